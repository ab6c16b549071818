"""An optional second stage: a reranker re-orders the hybrid search's candidates.

Hybrid search scores a question against each passage independently of the others; a
cross-encoder reads question and passage together and orders the candidates more
precisely, at a cost per candidate — so it only sees the first `candidates` hits. Nothing
is downloaded: a municipality points Yakuba at a model folder it copied in.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Protocol

from ._errors import EmbeddingError
from ._models import Hit

__all__ = ["CrossEncoderReranker", "Reranker", "make_reranker"]


class Reranker(Protocol):
    name: str

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        """`hits` re-ordered, best first (the same hits; `score` may be replaced)."""
        ...


class CrossEncoderReranker:
    """A sentence-transformers cross-encoder from a local directory (e.g. a Japanese
    reranker a municipality downloaded once); `score` becomes the model's score."""

    def __init__(self, path: str | Path, *, batch_size: int = 16, max_chars: int = 1000) -> None:
        self._path = Path(path)
        if not self._path.is_dir():
            raise EmbeddingError(
                f"リランカーのモデルフォルダが見つかりません: {self._path}"
                "（インターネットからは取得しません。フォルダを配置してください）"
            )
        self.name = f"cross-encoder:{self._path.name}"
        self._batch_size = batch_size
        self._max_chars = max_chars
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from sentence_transformers import CrossEncoder
                except ImportError as exc:
                    raise EmbeddingError(
                        "リランカーには sentence-transformers が必要です"
                        "（pip install 'yakuba[st]'）。"
                    ) from exc
                try:
                    self._model = CrossEncoder(
                        str(self._path), device="cpu", trust_remote_code=False
                    )
                except Exception as exc:
                    raise EmbeddingError(f"リランカーを読み込めませんでした: {exc}") from exc
            return self._model

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        if not hits:
            return []
        model = self._load()
        pairs = [(query, h.text[: self._max_chars]) for h in hits]
        try:
            scores = model.predict(pairs, batch_size=self._batch_size, show_progress_bar=False)
        except Exception as exc:
            raise EmbeddingError(f"リランカーの計算に失敗しました: {exc}") from exc
        rescored = [
            h.model_copy(update={"score": float(s)}) for h, s in zip(hits, scores, strict=True)
        ]
        # Stable: equal scores keep the hybrid order.
        return sorted(rescored, key=lambda h: -h.score)


def make_reranker(spec: str | None) -> Reranker | None:
    """``None``/``""`` → no reranking; ``cross-encoder:/path/to/model`` → a local
    cross-encoder directory."""
    raw = (spec or "").strip()
    if not raw:
        return None
    kind, _, arg = raw.partition(":")
    if kind.strip().lower() in ("cross-encoder", "ce") and arg.strip():
        return CrossEncoderReranker(arg.strip())
    raise EmbeddingError(
        f"リランカーの指定 {raw!r} が分かりません（例: cross-encoder:/opt/yakuba/models/reranker）。"
    )
