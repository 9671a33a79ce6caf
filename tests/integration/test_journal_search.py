"""Journal search: by meaning, scoped to the user, by kind and date; each entry's vector sealed
with it at save (or at its first search, or by the warm-up), cached in memory per entry id and
updated_at; nothing decrypted written to disk."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import col

from core.bootstrap import App
from core.db.models import JournalEntry
from core.errors import InvalidInput
from core.journal import seal_entry
from core.journal_forms import gratitude_entry
from core.journal_search import JournalSearchService, _store_vector
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
    _legacy(searching, user.id, "One", "morning run")
    _legacy(searching, user.id, "Two", "evening tea")
    searching.journal_search.search(user_id=user.id, query="run")
    assert embedder.calls[-2:] == [2, 1]  # both entries (no vectors stored), then the query
    embedder.calls.clear()
    searching.journal_search.search(user_id=user.id, query="tea")
    assert embedder.calls == [1]  # warm: the query only
    first = searching.journal_search.search(user_id=user.id, query="morning run").hits[0]
    embedder.calls.clear()
    searching.journal.update(user_id=user.id, entry_id=first.id, title="One", body="night swim")
    assert _titles(searching, user.id, query="night swim")[0] == "One"
    assert embedder.calls == [1, 1]  # the edited entry (at its save), then the query


def _legacy(app: App, user_id: str, title: str, body: str) -> str:
    """An entry as saved before vectors existed (or while the model was loading): none stored."""
    with app.store.unit(user_id) as unit:
        now = unit.now()
        entry = JournalEntry(user_id=user_id, created_at=now, updated_at=now)
        seal_entry(unit, entry, title=title, body=body, kind="free")
        unit.add(entry)
        return entry.id


def _stored(app: App, user_id: str) -> dict[str, bytes | None]:
    with app.store.unit(user_id) as unit:
        return {row.id: row.embedding_ct for row in unit.list(JournalEntry)}


def test_an_entry_is_embedded_when_saved_so_a_cold_search_embeds_only_the_query(
    tmp_path: Path, embedder: HashingEmbedder
) -> None:
    settings = make_settings(tmp_path)
    adapters = fake_adapters(settings, embedder=embedder)
    app = build_app(settings, adapters)
    adapters.embedder()  # the model is loaded, as it is once the app has warmed up
    user = make_user(app)
    app.journal.add(user_id=user.id, title="Lake", body="A calm walk by the lake at dawn")
    app.journal.add(user_id=user.id, title="Work", body="Deadline stress at the office")
    assert embedder.calls == [1, 1]
    sealed = _stored(app, user.id)
    assert all(sealed.values())
    assert not any(b"Lake" in blob or b"hashing" in blob for blob in sealed.values() if blob)
    embedder.calls.clear()
    cold = JournalSearchService(store=app.store, embedder=adapters.embedder)  # a new process
    result = cold.search(user_id=user.id, query="calm walk by the lake")
    assert [hit.title for hit in result.hits][0] == "Lake" and result.by_meaning
    assert embedder.calls == [1]  # the query only: the entries' vectors were decrypted
    app.engine.dispose()


def test_an_old_entry_is_embedded_once_and_its_vector_kept_for_the_next_process(
    searching: App, embedder: HashingEmbedder
) -> None:
    user = make_user(searching)
    _legacy(searching, user.id, "Old", "written before vectors existed")
    assert _stored(searching, user.id) != {} and not any(_stored(searching, user.id).values())
    searching.journal_search.search(user_id=user.id, query="vectors")
    assert all(_stored(searching, user.id).values())
    embedder.calls.clear()
    fresh = JournalSearchService(store=searching.store, embedder=Lazy(lambda: embedder, "e"))
    fresh.search(user_id=user.id, query="before")
    assert embedder.calls == [1]


def test_a_vector_of_another_model_is_computed_again(
    searching: App, embedder: HashingEmbedder
) -> None:
    user = make_user(searching)
    _legacy(searching, user.id, "Old", "some words")
    searching.journal_search.search(user_id=user.id, query="words")
    other = HashingEmbedder(dimension=64)  # another model: its own name and dimension
    service = JournalSearchService(store=searching.store, embedder=Lazy(lambda: other, "e"))
    assert service.search(user_id=user.id, query="words").hits[0].title == "Old"
    assert other.calls == [1, 1]  # the entry again, then the query


def test_the_warm_up_fills_missing_vectors_in_the_background(
    searching: App, embedder: HashingEmbedder
) -> None:
    user = make_user(searching)
    for number in range(3):
        _legacy(searching, user.id, f"Entry {number}", f"words {number}")
    service = JournalSearchService(store=searching.store, embedder=Lazy(lambda: embedder, "e"))
    service._embedder()  # loaded: a warm-up never waits for the model to load
    assert service.warm_up(user_id=user.id)
    for thread in threading.enumerate():
        if thread.name == "journal-search-warm-up":
            thread.join(timeout=30)
    assert all(_stored(searching, user.id).values())
    assert not service.warm_up(user_id=user.id)  # in memory now: nothing to do
    embedder.calls.clear()
    service.search(user_id=user.id, query="words")
    assert embedder.calls == [1]


def test_a_vector_computed_by_a_search_never_overwrites_a_newer_edit(
    searching: App, embedder: HashingEmbedder
) -> None:
    user = make_user(searching)
    entry_id = _legacy(searching, user.id, "Draft", "first words")
    with searching.store.unit(user.id) as unit:
        stale = unit.get(JournalEntry, entry_id)
        edited = stale.updated_at + timedelta(minutes=1)  # another tab saved meanwhile
        unit.session.execute(
            sa.update(JournalEntry)
            .where(col(JournalEntry.id) == entry_id)
            .values(updated_at=edited)
            .execution_options(synchronize_session=False)  # as from another session
        )
        _store_vector(unit, stale, embedder.name, embedder.embed(["first words"])[0])
    assert _stored(searching, user.id)[entry_id] is None


def test_a_search_writes_nothing_decrypted_to_disk(searching: App, tmp_path: Path) -> None:
    user = make_user(searching)
    _legacy(searching, user.id, "Secret", "a very private thought")
    searching.journal_search.search(user_id=user.id, query="private thought")  # stores a vector
    searching.engine.dispose()
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    searching.journal_search.forget(user_id=user.id)
    searching.journal_search.search(user_id=user.id, query="private thought")
    after = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    # With the vector stored, a search only reads (SQLite's -wal/-shm files open for reading).
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
