"""A fast, deterministic stand-in for MiniLM: hashed words and word pairs, L2-normalised.

Texts sharing words get similar vectors, which is enough for pages and services to retrieve
plausible entries without loading a model. Tests about retrieval quality use the real model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from core.ports import Vector

_WORD = re.compile(r"[a-z0-9']+")


class HashingEmbedder:
    """`Embedder` port: feature hashing of words and adjacent word pairs."""

    def __init__(self, dimension: int = 384) -> None:
        self._dimension = dimension
        self.calls: list[int] = []  # how many texts each `embed` call was given

    @property
    def name(self) -> str:
        """Never the name of a real model, so no trained layer accepts these vectors."""
        return f"hashing-{self._dimension}@fake"

    @property
    def dimension(self) -> int:
        """Vector length."""
        return self._dimension

    def embed(self, texts: Sequence[str]) -> Vector:
        """One unit vector per text (a zero text maps to a fixed unit vector)."""
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            for feature in [*words, *(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))]:
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self._dimension
                out[row, index] += 1.0 if digest[4] & 1 else -1.0
            norm = float(np.linalg.norm(out[row]))
            if norm == 0.0:
                out[row, 0], norm = 1.0, 1.0
            out[row] /= norm
        return out
