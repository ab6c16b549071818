"""Ingest documents into a vector index and search it: the knowledge base."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ._answerability import KEY_TERM_BOOST, AnswerabilityModel, Retrieval, boost_key_terms
from ._embedding import LEAD_SENTENCES, Embedder, passage_views, views_label
from ._errors import IngestError
from ._index.base import DocumentState, IndexedChunk, IndexSignature, VectorIndex
from ._loaders import DEFAULT_MAX_BYTES, load_chunks
from ._models import Chunk, DocType, Hit
from ._published import PublishedSink
from ._report import FileResult, FileStatus, IngestReport, units_of, withheld_result
from ._rerank import Reranker
from ._screening import ChunkScreen, DocumentScreen, ScreenOutcome
from ._sparse import LEGACY_ANALYZER, SudachiBm25, Term, analyzer_for

logger = logging.getLogger(__name__)
# How many hybrid hits the answerability decision looks at, whatever `k` the caller wants
# (its signals were calibrated on the first ten).
JUDGED_HITS = 10
_JST = timezone(timedelta(hours=9), "JST")


ProgressCallback = Callable[[FileResult], None]


def iter_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """Every file under `paths` as (path on disk, source name as ingested); hidden entries
    (dot files, editor and VCS folders) are skipped, the order is stable."""
    for root in paths:
        if root.is_file():
            yield root, root.as_posix()
            continue
        if not root.exists():
            raise IngestError(f"パスが見つかりません: {root}", path=str(root))
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    path = Path(dirpath) / name
                    yield path, path.as_posix()


def _file_hash(path: Path, *, limit: int) -> str:
    """SHA-256 of the file, refusing oversized files before reading them into memory."""
    size = path.stat().st_size
    if size > limit:
        raise IngestError(
            f"ファイルが大きすぎます（{size / 1_048_576:.1f} MiB、上限 {limit / 1_048_576:.0f} MiB）。",
            path=str(path),
        )
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class _Metadata:
    """What the person ingesting says about a run's files."""

    department: str = ""
    doc_type: DocType | None = None

    def fold_into(self, file_hash: str) -> str:
        # The same file filed under another department is a new version: re-index it.
        if not self.department and self.doc_type is None:
            return file_hash
        tag = f"{file_hash}|{self.department}|{self.doc_type or ''}"
        return hashlib.sha256(tag.encode("utf-8")).hexdigest()

    def apply(self, chunks: list[Chunk], *, modified: str) -> list[Chunk]:
        update: dict[str, object] = {"modified": modified}
        if self.department:
            update["department"] = self.department
        if self.doc_type is not None:
            update["doc_type"] = self.doc_type
        return [c.model_copy(update=update) for c in chunks]


def _modified_jst(path: Path) -> str:
    moment = datetime.fromtimestamp(path.stat().st_mtime, tz=_JST)
    return moment.date().isoformat()


class KnowledgeBase:
    """The municipality's documents, chunked, embedded and indexed for hybrid search."""

    def __init__(
        self,
        index: VectorIndex,
        embedder: Embedder,
        sparse: SudachiBm25 | None = None,
        *,
        max_chunk_chars: int = 800,
        screen: ChunkScreen | None = None,
        withhold_flagged: bool = True,
        max_file_bytes: int = DEFAULT_MAX_BYTES,
        lead_sentences: int = LEAD_SENTENCES,
        reranker: Reranker | None = None,
        rerank_candidates: int = 20,
        judge: AnswerabilityModel | None = None,
        key_term_boost: float = KEY_TERM_BOOST,
        published: PublishedSink | None = None,
    ) -> None:
        self.index = index
        # Receives what each indexed document publishes (the public register).
        self.published = published
        # Decides whether a question is answered by what `retrieve` found.
        self.judge = judge or AnswerabilityModel.for_embedder(embedder.name)
        # Hybrid hits that hold the question's key terms move up (see `boost_key_terms`).
        self.key_term_boost = key_term_boost
        # Optional second stage over the first `rerank_candidates` hybrid hits.
        self.reranker = reranker
        self.rerank_candidates = rerank_candidates
        self.embedder = embedder
        self.sparse = sparse or _stored_analyzer(index) or SudachiBm25()
        self.max_chunk_chars = max_chunk_chars
        self.screen = screen
        self.withhold_flagged = withhold_flagged
        self._document_screen = (
            DocumentScreen(screen, withhold=withhold_flagged) if screen is not None else None
        )
        self.max_file_bytes = max_file_bytes
        # Lead sentences embedded besides each whole chunk (see `passage_views`).
        self.lead_sentences = lead_sentences
        dimension = embedder.dimension
        index.ensure(
            dimension,
            signature=IndexSignature(
                embedder.name, dimension, self.sparse.name, views_label(lead_sentences)
            ),
        )

    def ingest(
        self,
        paths: Iterable[Path],
        *,
        prune: bool = False,
        progress: ProgressCallback | None = None,
        department: str = "",
        doc_type: DocType | None = None,
    ) -> IngestReport:
        """`department` (担当課) and `doc_type` are recorded on every chunk of this run's
        files (`doc_type` replaces what the loader detected) and can filter searches."""
        meta = _Metadata(department=department.strip(), doc_type=doc_type)
        roots = list(paths)
        files = list(iter_files(roots))
        stored = self.index.documents()
        report = IngestReport()
        for path, source in files:
            result = self._ingest_file(path, source, stored, meta)
            report.files.append(result)
            if progress:
                progress(result)
        if prune:
            seen = {source for _, source in files}
            prefixes = tuple(r.as_posix().rstrip("/") + "/" for r in roots if r.is_dir())
            for source in sorted(stored):
                if source not in seen and (source.startswith(prefixes) or Path(source) in roots):
                    self.index.delete_document(source)
                    if self.published is not None:
                        self.published.remove(source)
                    result = FileResult(source=source, status=FileStatus.PRUNED)
                    report.files.append(result)
                    if progress:
                        progress(result)
        if any(f.status in (FileStatus.INDEXED, FileStatus.PRUNED) for f in report.files):
            self.index.optimize()
        return report

    def ingest_file(
        self,
        path: Path,
        *,
        source: str,
        department: str = "",
        doc_type: DocType | None = None,
        modified: str | None = None,
        stored: dict[str, DocumentState] | None = None,
    ) -> FileResult:
        """One file indexed under `source` (its name in citations and in the index),
        exactly as `ingest` indexes a file: the same loaders, screen and version check.
        For a file that was staged under another path (an upload, a handed-over file);
        `modified` (YYYY-MM-DD) replaces the staged file's date; `stored` is
        `index.documents()` when the caller has just read it."""
        meta = _Metadata(department=department.strip(), doc_type=doc_type)
        if stored is None:
            stored = self.index.documents()
        result = self._ingest_file(path, source, stored, meta, modified=modified)
        if result.status is FileStatus.INDEXED:
            self.index.optimize()
        return result

    def remove(self, source: str) -> bool:
        """Removes the document `source` from the index; False when it holds no such
        document."""
        if source not in self.index.documents():
            return False
        self.index.delete_document(source)
        self.index.optimize()
        return True

    def _ingest_file(
        self,
        path: Path,
        source: str,
        stored: dict[str, DocumentState],
        meta: _Metadata,
        *,
        modified: str | None = None,
    ) -> FileResult:
        try:
            doc_hash = meta.fold_into(_file_hash(path, limit=self.max_file_bytes))
            state = stored.get(source)
            unchanged = state is not None and state.doc_hash == doc_hash and state.complete
            if unchanged and (
                self.published is None or self.published.harvested(source) == doc_hash
            ):
                return FileResult(source=source, status=FileStatus.UNCHANGED)
            screened = self._screened(path, source, meta, modified)
            if unchanged and self.published is not None:
                # Indexed already, but its values are not in the register (an index
                # from before the register, a new database): screen, publish, no re-embed.
                self.published.replace(source, doc_hash, screened.published)
                return FileResult(source=source, status=FileStatus.UNCHANGED)
            chunks = screened.kept
            if not chunks:
                return withheld_result(source, screened)
            dense = self._embed(chunks)
            indexed = [
                IndexedChunk(
                    chunk=c,
                    dense=dense[i],
                    sparse=self.sparse.embed_document(c.citation() + "\n" + c.text),
                    doc_hash=doc_hash,
                    doc_chunks=len(chunks),
                )
                for i, c in enumerate(chunks)
            ]
            self.index.replace_document(source, indexed)
            if self.published is not None:
                self.published.replace(source, doc_hash, screened.published)
            return FileResult(
                source=source,
                status=FileStatus.INDEXED,
                chunks=len(chunks),
                personal_data=screened.found,
                withheld=screened.withheld,
                masked=screened.masked,
                withheld_units=units_of(screened),
            )
        except IngestError as exc:
            return FileResult(source=source, status=FileStatus.FAILED, error=str(exc))
        except OSError as exc:
            return FileResult(
                source=source, status=FileStatus.FAILED, error=f"ファイルを読めません: {exc}"
            )

    def _screened(
        self, path: Path, source: str, meta: _Metadata, modified: str | None = None
    ) -> ScreenOutcome:
        chunks = load_chunks(
            path, source=source, max_chars=self.max_chunk_chars, max_bytes=self.max_file_bytes
        )
        if not chunks:
            raise IngestError("本文が見つかりませんでした（空の文書です）。", path=source)
        chunks = meta.apply(chunks, modified=modified or _modified_jst(path))
        if self._document_screen is None:
            return ScreenOutcome(kept=chunks)
        return self._document_screen.apply(chunks)

    def _embed(self, chunks: list[Chunk]) -> list[list[list[float]]]:
        """Each chunk's vectors: the whole chunk and its lead sentences, in one batch."""
        views = [
            passage_views(
                c.citation(),
                c.text,
                # A FAQ pair is one question and its answer, retrieved as a whole: its
                # question already dominates its vector, and a vector of the bare question
                # only adds near-misses (FAQ dev set −0.04 nDCG@10 with them).
                lead_sentences=0 if c.doc_type is DocType.FAQ else self.lead_sentences,
            )
            for c in chunks
        ]
        matrix = self.embedder.embed_documents([t for v in views for t in v])
        out: list[list[list[float]]] = []
        at = 0
        for v in views:
            out.append(matrix[at : at + len(v)].tolist())
            at += len(v)
        return out

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        mode: str = "hybrid",
        doc_types: list[DocType] | None = None,
        departments: list[str] | None = None,
    ) -> list[Hit]:
        """The `k` best passages for `query` (hybrid, or `mode` dense / sparse)."""
        _, hits = self._search(query, k, mode, doc_types, departments)
        if self.reranker is None:
            return hits[:k]
        return self.reranker.rerank(query, hits)[:k]

    def retrieve(
        self,
        query: str,
        *,
        k: int = 5,
        doc_types: list[DocType] | None = None,
        departments: list[str] | None = None,
    ) -> Retrieval:
        """Hybrid search plus the decision whether the hits answer `query` at all
        (`Retrieval.answerability`): what an assistant needs to say 「該当する資料が見つかり
        ませんでした」 instead of quoting near-misses."""
        terms, hits = self._search(query, max(k, JUDGED_HITS), "hybrid", doc_types, departments)
        answerability = self.judge.judge(terms, hits[:JUDGED_HITS])
        if self.reranker is not None:
            hits = self.reranker.rerank(query, hits)
        return Retrieval(query=query, hits=hits[:k], answerability=answerability)

    def _search(
        self,
        query: str,
        k: int,
        mode: str,
        doc_types: list[DocType] | None,
        departments: list[str] | None,
    ) -> tuple[list[Term], list[Hit]]:
        """The query's analysed terms and its hits: at least `k`, more when a reranker
        or the key-term boost re-orders the first candidates."""
        dense = self.embedder.embed_query(query).tolist()
        terms = self.sparse.analyse(query)
        boost = self.key_term_boost if mode == "hybrid" else 0.0
        wanted = max(
            k,
            self.rerank_candidates if self.reranker else 0,
            JUDGED_HITS if boost else 0,
        )
        hits = self.index.search(
            dense,
            self.sparse.query_vector(terms),
            k=wanted,
            mode=mode,
            doc_types=doc_types,
            departments=departments,
        )
        if boost:
            hits = boost_key_terms(terms, hits[:JUDGED_HITS], boost) + hits[JUDGED_HITS:]
        return terms, hits

    def close(self) -> None:
        self.index.close()


def _stored_analyzer(index: VectorIndex) -> SudachiBm25 | None:
    """The keyword analyser an existing collection was built with, when it is not the
    current default: an index from before synonym groups is searched as it was built
    (its keyword vectors hold no group terms) until it is rebuilt."""
    stored = index.stored_signature()
    if stored is None:
        return None
    if stored.sparse == LEGACY_ANALYZER:
        logger.info(
            "索引は以前のキーワード解析（%s）で作られています。同義語を使うには索引を作り直してください。",
            stored.sparse,
        )
    return analyzer_for(stored.sparse)
