"""Journal search: by meaning over decrypted text in memory, scoped to the user, by kind and
date; vectors cached per entry id and updated_at; nothing written to disk."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.bootstrap import App
from core.errors import InvalidInput
from core.journal_forms import gratitude_entry
from core.journal_search import JournalSearchService
from core.lazy import Lazy
from core.ports import Embedder
from tests.conftest import build_app, make_settings
from tests.factories import make_user
from tests.fakes.adapters import fake_adapters
from tests.fakes.embeddings import HashingEmbedder


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def searching(tmp_path: Path, embedder: HashingEmbedder) -> App:
    settings = make_settings(tmp_path)
    return build_app(settings, fake_adapters(settings, embedder=embedder))


def _titles(app: App, user_id: str, **criteria: object) -> list[str]:
    result = app.journal_search.search(user_id=user_id, **criteria)  # type: ignore[arg-type]
    return [hit.title for hit in result.hits]


def test_the_closest_entry_comes_first_and_only_the_owners(searching: App) -> None:
    alice, bob = make_user(searching), make_user(searching)
    searching.journal.add(user_id=alice.id, title="Lake", body="A calm walk by the lake at dawn")
    searching.journal.add(user_id=alice.id, title="Work", body="Deadline stress at the office")
    searching.journal.add(user_id=bob.id, title="Bob's lake", body="A calm walk by the lake")
    assert _titles(searching, alice.id, query="calm walk by the lake")[0] == "Lake"
    assert _titles(searching, bob.id, query="calm walk by the lake") == ["Bob's lake"]
    result = searching.journal_search.search(user_id=alice.id, query="office deadline")
    assert result.by_meaning and result.hits[0].title == "Work" and result.hits[0].score


def test_kind_and_dates_filter_with_or_without_words(searching: App) -> None:
    user = make_user(searching)
    searching.journal.add(user_id=user.id, title="Free", body="Tea and a quiet morning")
    draft = gratitude_entry(["Tea", "Sun"])
    searching.journal.add(user_id=user.id, title=draft.title, body=draft.body, kind="gratitude")
    assert _titles(searching, user.id, kind="gratitude") == ["Good things"]
    assert len(_titles(searching, user.id, kind="gratitude", query="tea")) == 1
    later = searching.clock.now() + timedelta(minutes=5)
    assert _titles(searching, user.id, since=later) == []
    assert len(_titles(searching, user.id, until=later)) == 2


def test_a_warm_search_embeds_only_the_query_and_an_edit_is_embedded_again(
    searching: App, embedder: HashingEmbedder
) -> None:
    user = make_user(searching)
    first = searching.journal.add(user_id=user.id, title="One", body="morning run")
    searching.journal.add(user_id=user.id, title="Two", body="evening tea")
    searching.journal_search.search(user_id=user.id, query="run")
    assert embedder.calls[-2:] == [2, 1]  # both entries, then the query
    embedder.calls.clear()
    searching.journal_search.search(user_id=user.id, query="tea")
    assert embedder.calls == [1]  # warm: the query only
    searching.journal.update(user_id=user.id, entry_id=first.id, title="One", body="night swim")
    embedder.calls.clear()
    assert _titles(searching, user.id, query="night swim")[0] == "One"
    assert embedder.calls == [1, 1]  # the edited entry, then the query


def test_a_search_writes_nothing_to_disk(searching: App, tmp_path: Path) -> None:
    user = make_user(searching)
    searching.journal.add(user_id=user.id, title="Secret", body="a very private thought")
    searching.engine.dispose()
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    searching.journal_search.search(user_id=user.id, query="private thought")
    after = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    # Reading opens SQLite's -wal/-shm files; nothing else appears or changes.
    assert {p: t for p, t in after.items() if not p.name.endswith(("-wal", "-shm"))} == before
    assert not [p for p in after if b"private" in p.read_bytes()]


@pytest.mark.parametrize(
    "criteria",
    [{"query": "x" * 501}, {"query": 42}, {"kind": "poem"}, {"limit": 0}, {"limit": 10_000}],
)
def test_bad_search_input_is_refused_kindly(searching: App, criteria: dict[str, object]) -> None:
    user = make_user(searching)
    with pytest.raises(InvalidInput):
        searching.journal_search.search(user_id=user.id, **criteria)  # type: ignore[arg-type]


class _BrokenEmbedder:
    name, dimension = "broken@test", 8

    def embed(self, texts: object) -> object:
        raise RuntimeError("the model could not be loaded")


def test_without_a_model_the_search_still_works_by_kind_and_date(searching: App) -> None:
    user = make_user(searching)
    searching.journal.add(user_id=user.id, title="Kept", body="still here")
    broken: Lazy[Embedder] = Lazy(lambda: _BrokenEmbedder(), "embedder")  # type: ignore[return-value,arg-type]
    service = JournalSearchService(store=searching.store, embedder=broken)
    result = service.search(user_id=user.id, query="here")
    assert not result.by_meaning and [hit.title for hit in result.hits] == ["Kept"]


def test_the_cache_keeps_a_bounded_number_of_people(searching: App) -> None:
    service = JournalSearchService(
        store=searching.store, embedder=Lazy(HashingEmbedder, "embedder"), max_users=2
    )
    users = [make_user(searching) for _ in range(3)]
    for user in users:
        searching.journal.add(user_id=user.id, title="t", body="words")
        service.search(user_id=user.id, query="words")
    assert list(service._cache) == [users[1].id, users[2].id]
    service.forget(user_id=users[2].id)
    assert list(service._cache) == [users[1].id]
