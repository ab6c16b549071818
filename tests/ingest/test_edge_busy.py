"""The embedded index belongs to one process at a time: a second opener (`yakuba ingest`
while `yakuba serve` runs) gets a Japanese message that says so, not a layout error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import EdgeIndex, IndexBusyError

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys
from pathlib import Path
from ingest import EdgeIndex
index = EdgeIndex(Path(sys.argv[1]))
index.ensure(8)
print("open", flush=True)
sys.stdin.read()  # hold the shard until the test closes stdin
index.close()
"""


@pytest.mark.parametrize("storage", ["float16", "float32"])
def test_a_shard_held_by_another_process_is_busy(tmp_path: Path, storage: str) -> None:
    path = tmp_path / "idx"
    created = EdgeIndex(path, vector_storage=storage)  # type: ignore[arg-type]
    created.ensure(8)
    created.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(IndexBusyError, match="別のプロセス") as info:
            EdgeIndex(path).ensure(8)
        assert "YAKUBA_QDRANT_URL" in str(info.value)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    # Once the other process has let go, the shard opens as before.
    index = EdgeIndex(path)
    index.ensure(8)
    assert index.count() == 0
    index.close()
