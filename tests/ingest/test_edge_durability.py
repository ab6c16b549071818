"""The embedded index survives a process that dies without closing it (no flush)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ingest import EdgeIndex

WRITER = """
import os, sys
from pathlib import Path
from ingest import Chunk, EdgeIndex, SudachiBm25
from ingest._index.base import IndexedChunk
index = EdgeIndex(Path(sys.argv[1]))
index.ensure(8)
sparse = SudachiBm25().embed_document("審査基準")
index.replace_document("a.txt", [
    IndexedChunk(chunk=Chunk(source="a.txt", title="t", locator=f"第{k}条", text="審査基準", ordinal=k),
                 dense=[1.0] * 8, sparse=sparse, doc_hash="h", doc_chunks=3)
    for k in range(3)
])
os._exit(0)  # like SIGKILL: no close(), no flush()
"""


def test_points_written_before_a_crash_are_there_after_reopen(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-c", WRITER, str(tmp_path / "idx")], check=True, timeout=120)
    index = EdgeIndex(tmp_path / "idx")
    index.ensure(8)
    try:
        state = index.documents()["a.txt"]
        assert (state.doc_hash, state.complete) == ("h", True)
    finally:
        index.close()
