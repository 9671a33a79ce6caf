"""The container build never takes secrets or runtime state along (#6 item 21)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_docker_build_context_leaves_out_secrets_and_state() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "var", ".streamlit/secrets.toml", "dev-secrets.json"} <= ignored
    assert "COPY . ." in (ROOT / "Dockerfile").read_text(encoding="utf-8")
