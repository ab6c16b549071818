"""Incremental ingest: unchanged files are skipped, changed replaced, vanished pruned."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest import DocType, FileStatus, KnowledgeBase, UseEmbedder, open_knowledge_base

EMBEDDER = UseEmbedder()


@pytest.fixture
def kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    base = open_knowledge_base(data_dir=tmp_path / "data", embedder=EMBEDDER)
    yield base
    base.close()


def _statuses(kb: KnowledgeBase, *paths: Path, prune: bool = False) -> dict[str, FileStatus]:
    report = kb.ingest(list(paths), prune=prune)
    return {Path(f.source).name: f.status for f in report.files}


def test_rerun_changes_nothing_and_edits_replace(kb: KnowledgeBase, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("ごみの収集日は毎週月曜日です。", encoding="utf-8")
    (docs / "b.md").write_text(
        "# 窓口案内\n\n受付時間は平日の午前8時30分からです。", encoding="utf-8"
    )
    assert _statuses(kb, docs) == {"a.txt": FileStatus.INDEXED, "b.md": FileStatus.INDEXED}
    count = kb.index.count()

    assert _statuses(kb, docs) == {"a.txt": FileStatus.UNCHANGED, "b.md": FileStatus.UNCHANGED}
    assert kb.index.count() == count

    (docs / "a.txt").write_text("粗大ごみは事前の申込みが必要です。", encoding="utf-8")
    assert _statuses(kb, docs)["a.txt"] is FileStatus.INDEXED
    assert kb.index.count() == count
    top = kb.search("粗大ごみの申込み", k=1)[0]
    assert top.source.endswith("a.txt") and "粗大ごみ" in top.text
    assert not any("収集日" in h.text for h in kb.search("ごみの収集日", k=5))


def test_prune_removes_vanished_files_only_under_the_given_roots(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    docs, other = tmp_path / "docs", tmp_path / "other"
    docs.mkdir()
    other.mkdir()
    (docs / "keep.txt").write_text("残す文書です。", encoding="utf-8")
    (docs / "gone.txt").write_text("消える文書です。", encoding="utf-8")
    (other / "elsewhere.txt").write_text("別の場所の文書です。", encoding="utf-8")
    kb.ingest([docs, other])
    (docs / "gone.txt").unlink()

    assert "gone.txt" in {Path(s).name for s in kb.index.documents()}
    without_prune = _statuses(kb, docs)
    assert "gone.txt" not in without_prune
    assert "gone.txt" in {Path(s).name for s in kb.index.documents()}

    statuses = _statuses(kb, docs, prune=True)
    assert statuses["gone.txt"] is FileStatus.PRUNED
    assert {Path(s).name for s in kb.index.documents()} == {"keep.txt", "elsewhere.txt"}


def test_bad_files_fail_alone(kb: KnowledgeBase, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.txt").write_text("住民票の写しの交付", encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    report = kb.ingest([docs])
    by_name = {Path(f.source).name: f for f in report.files}
    assert by_name["ok.txt"].status is FileStatus.INDEXED
    for bad in ("empty.txt", "image.png"):
        assert by_name[bad].status is FileStatus.FAILED
        assert by_name[bad].error
    assert not report.ok


def test_missing_path_is_a_clear_error(kb: KnowledgeBase, tmp_path: Path) -> None:
    from ingest import IngestError

    with pytest.raises(IngestError, match="見つかりません"):
        kb.ingest([tmp_path / "nope"])


def test_department_and_type_are_recorded_filterable_and_part_of_the_version(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    manual = tmp_path / "manual.txt"
    manual.write_text("住民票の写しは窓口で請求できます。", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("住民票の写しの郵送請求の手引きです。", encoding="utf-8")
    kb.ingest([manual], department="市民課", doc_type=DocType.MANUAL)
    kb.ingest([other])
    hits = kb.search("住民票の写し", k=5, departments=["市民課"])
    assert [Path(h.source).name for h in hits] == ["manual.txt"]
    assert (hits[0].department, hits[0].doc_type) == ("市民課", DocType.MANUAL)
    assert len(hits[0].modified) == 10  # the file's JST date, 2026-11-23
    # Filing the unchanged file under another department re-indexes it.
    assert _statuses(kb, manual) == {"manual.txt": FileStatus.INDEXED}
    assert kb.search("住民票の写し", k=5, departments=["市民課"]) == []
    assert _statuses(kb, manual) == {"manual.txt": FileStatus.UNCHANGED}
