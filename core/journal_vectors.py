"""Each journal entry's search vector, sealed with the entry (the `embedding_ct` column).

A vector of private text says what the text is about, so it is encrypted with the user's key
like the text itself, bound to its row, and destroyed with the account. It is stored as the
embedding model's name, a newline, and the base64 of the float32 values: a vector of another
model (or of the wrong length) reads as missing, and the search embeds that entry again.

The export leaves the vectors out: 384 numbers per entry mean nothing to a person, and they are
derived from the title and body, which the export holds in full.
"""

from __future__ import annotations

import base64
import binascii
import logging

import numpy as np

from core.db.models import JournalEntry
from core.ports import Embedder, Vector
from core.store import UserUnit

log = logging.getLogger(__name__)

EMBED_CHARS = 2_000  # MiniLM reads 256 word pieces; the start of an entry carries its topic


def text_to_embed(title: str, body: str) -> str:
    """What of an entry the model reads: the title, then the start of the body."""
    return f"{title}\n{body}"[:EMBED_CHARS]


def seal_vector(unit: UserUnit, row: JournalEntry, model_name: str, vector: Vector | None) -> None:
    """Seal `vector` (from the model `model_name`) into the row; None clears it."""
    if vector is None:
        unit.seal(row, "embedding_ct", None)
        return
    packed = base64.b64encode(np.asarray(vector, dtype=np.float32).tobytes()).decode("ascii")
    unit.seal(row, "embedding_ct", f"{model_name}\n{packed}")


def open_vector(unit: UserUnit, row: JournalEntry, model: Embedder) -> Vector | None:
    """The row's vector if it was made by `model` and has its dimension; None otherwise."""
    sealed = unit.open(row, "embedding_ct")
    if not sealed:
        return None
    name, _, packed = sealed.partition("\n")
    if name != model.name:
        return None
    try:
        vector: Vector = np.frombuffer(base64.b64decode(packed, validate=True), dtype=np.float32)
    except (binascii.Error, ValueError):
        log.warning("unreadable journal vector", extra={"entry_id": row.id})
        return None
    return vector if vector.shape == (model.dimension,) else None


def embed_entry(model: Embedder | None, title: str, body: str) -> Vector | None:
    """The entry's vector with `model`, or None when there is no model or it fails (a save
    never fails for it: the search embeds the entry later)."""
    if model is None:
        return None
    try:
        vector: Vector = model.embed([text_to_embed(title, body)])[0]
    except Exception as failure:
        log.warning("journal entry not embedded", extra={"error": type(failure).__name__})
        return None
    return vector


def seal_entry_vector(
    unit: UserUnit, row: JournalEntry, model: Embedder | None, title: str, body: str
) -> None:
    """Embed the entry's text with `model` and seal it; clear the old vector when that can't
    be done now, so an edited entry never keeps the vector of its old text."""
    vector = embed_entry(model, title, body)
    seal_vector(unit, row, model.name if model is not None else "", vector)
