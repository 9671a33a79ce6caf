# The two commands of the README: `make run` and `make test`. Both do all set-up themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run demo worker webhook test check unit bench browser clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, alone: this exact version is the CPU build; a looser pin pulls GBs of CUDA.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Start the app on http://127.0.0.1:8501 (SQLite in var/, no Ollama needed to start).
run: install
	$(PY) -m core.db upgrade
	$(PY) -m core.knowledge build
	$(VENV)/bin/streamlit run Home.py --server.address 127.0.0.1 --server.port 8501

## Create (or refresh) the demo account with weeks of history; prints its login last.
demo: install
	$(PY) -m core.db upgrade
	$(PY) -m core.demo seed

## The reminder worker (WhatsApp, email, in-app); run as many as you like; SIGTERM stops one.
worker: install
	$(PY) -m core.db upgrade
	$(PY) -m workers.reminder_worker

## The inbound WhatsApp webhook (Twilio posts here); see README "WhatsApp".
webhook: install
	$(PY) -m core.db upgrade
	$(PY) -m workers.whatsapp_webhook

## Lint, type-check and run the whole test suite (unit, integration, pages, browser).
test: install browser check
	$(VENV)/bin/pytest

check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) tools/audit_dependencies.py

unit: install
	$(VENV)/bin/pytest tests/unit -q

## Debian's Chromium drives the browser tests (Playwright's own browser download is not used).
browser:
	@dpkg -s chromium fonts-noto-color-emoji >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; \
	  else echo "chromium missing: run 'sudo apt-get install chromium' (browser tests will skip)"; fi; }

bench: install
	$(PY) bench/safety_eval.py
	$(PY) bench/search_bench.py
	$(PY) bench/hnsw_bench.py
	$(PY) bench/first_token_bench.py
	$(PY) bench/output_check_bench.py
	$(PY) bench/emotion_bench.py
	$(PY) bench/export_bench.py
	$(PY) bench/journal_page_bench.py
	$(PY) bench/journal_search_bench.py
	$(PY) bench/apple_health_bench.py
	$(PY) bench/breath_rate_bench.py

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache test-artifacts
