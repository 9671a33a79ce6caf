"""After the start-up warm-up, the first chat turn waits for no model (#6 item 28)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.adapters import SentenceTransformerEmbedder, open_knowledge_index, real_adapters
from core.bootstrap import start_background_work
from tests.conftest import build_app, make_settings
from tests.factories import make_user
from tests.fakes.adapters import fake_llm

pytestmark = pytest.mark.slow


def test_the_warm_up_loads_the_embedding_model_before_the_first_turn(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, knowledge_warm_up=True)
    # As after `make run`: the index is built and saved, so opening it needs no model.
    open_knowledge_index(settings, SentenceTransformerEmbedder())
    adapters = real_adapters(settings)
    adapters = type(adapters)(**{**adapters.__dict__, "llm": fake_llm()})
    app = build_app(settings, adapters)
    start_background_work(app)
    deadline = time.monotonic() + 120
    while app.risk_scorer.status.state != "ready" or app.knowledge.status.state != "ready":
        assert time.monotonic() < deadline, app.components()
        time.sleep(0.1)
    embedder = adapters.embedder()
    assert isinstance(embedder, SentenceTransformerEmbedder) and embedder.is_loaded
    user = make_user(app)
    plan = app.chat.prepare(
        user_id=user.id, conversation_id=None, text="I can't sleep", region="US"
    )
    assert plan.hits and "semantic" not in str(plan.assessment.categories)
    assert sum(plan.timings_ms.values()) < 2000  # the model load alone took 5-8 s here
