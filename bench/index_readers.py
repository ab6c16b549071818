"""Can the embedded index serve several readers on one host? (issue 16)

    .venv/bin/python bench/index_readers.py

Opens one index, keeps it open, and tries a second opener of the same files — in the
same process and in another process — for both embedded engines the project can use:

    qdrant-edge     ingest/_index/edge.py (what `yakuba serve` uses without
                    YAKUBA_QDRANT_URL): EdgeShard.load on the same shard directory
    qdrant-client   QdrantClient(path=…), qdrant-client's local mode
                    (the Python re-implementation of Qdrant, storage in one folder)

and, as the only way around a lock, a copy of the shard directory per process (each
process its own read-only replica): whether it opens while the original is held, and
whether a search on it returns the original's hits. Prints one Markdown table row each.
"""

from __future__ import annotations

import multiprocessing as mp
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DIM = 8
POINTS = 200


def _vector(i: int) -> list[float]:
    return [float((i * (k + 3)) % 17) + 1.0 for k in range(DIM)]


# -- qdrant-edge ---------------------------------------------------------------------------


def _edge_create(path: Path) -> None:
    import qdrant_edge as qe

    from ingest._index.base import DENSE
    from ingest._index.edge import EdgeIndex

    index = EdgeIndex(path)
    index.ensure(DIM)
    points = [qe.Point(id=i, vector={DENSE: [_vector(i)]}, payload={}) for i in range(POINTS)]
    index._s.update(qe.UpdateOperation.upsert_points(points))
    index.close()


def _edge_open(path: Path) -> Any:
    from ingest._index.edge import EdgeIndex

    index = EdgeIndex(path)
    index.ensure(DIM)
    return index


def _edge_top(index: Any) -> list[int]:
    import qdrant_edge as qe

    from ingest._index.base import DENSE

    request = qe.QueryRequest(
        query=qe.Query.Nearest([_vector(7)], using=DENSE), limit=5, with_payload=False
    )
    return [int(p.id) for p in index._s.query(request)]


# -- qdrant-client local mode --------------------------------------------------------------


def _local_create(path: Path) -> None:
    from qdrant_client import QdrantClient, models

    client = QdrantClient(path=str(path))
    client.create_collection(
        "c", vectors_config=models.VectorParams(size=DIM, distance=models.Distance.COSINE)
    )
    client.upsert(
        "c", [models.PointStruct(id=i, vector=_vector(i)) for i in range(POINTS)], wait=True
    )
    client.close()


def _local_open(path: Path) -> Any:
    from qdrant_client import QdrantClient

    client = QdrantClient(path=str(path))
    client.count("c")
    return client


def _local_top(client: Any) -> list[int]:
    return [int(p.id) for p in client.query_points("c", query=_vector(7), limit=5).points]


ENGINES: dict[str, tuple[Callable[[Path], None], Callable[[Path], Any], Callable[[Any], Any]]] = {
    "qdrant-edge": (_edge_create, _edge_open, _edge_top),
    "qdrant-client local": (_local_create, _local_open, _local_top),
}


def _try(engine: str, path: Path) -> str:
    """Open `path` (and search it); 'ok' or the error, shortened."""
    _, opener, top = ENGINES[engine]
    try:
        top(opener(path))
    except Exception as exc:
        return f"fails: {type(exc).__name__}: {str(exc).splitlines()[0][:70]}"
    return "ok"


def _try_in_child(engine: str, path: Path, out: Any) -> None:
    out.put(_try(engine, path))


def _in_other_process(engine: str, path: Path) -> str:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_try_in_child, args=(engine, path, queue))
    child.start()
    child.join(120)
    return str(queue.get(timeout=5)) if not queue.empty() else f"no answer (exit {child.exitcode})"


def main() -> None:
    print(
        "| engine | second opener, same process | second opener, other process "
        "| copy of the files, other process (hits equal) | copy time, size |"
    )
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="yakuba-index-readers-") as tmp:
        for engine, (create, opener, top) in ENGINES.items():
            path = Path(tmp) / engine.replace(" ", "-") / "index"
            create(path)
            held = opener(path)  # the first opener (a serving process) keeps it open
            expected = top(held)
            same = _try(engine, path)
            other = _in_other_process(engine, path)
            copy = path.with_name("copy")
            t0 = time.perf_counter()
            shutil.copytree(path, copy, ignore=shutil.ignore_patterns("*.lock", ".lock"))
            copy_s = time.perf_counter() - t0
            size_mb = sum(f.stat().st_size for f in copy.rglob("*") if f.is_file()) / 2**20
            copied = _in_other_process(engine, copy)
            if copied == "ok":
                replica = opener(copy)
                copied = f"ok ({'equal' if top(replica) == expected else 'DIFFERENT'})"
                replica.close()
            held.close()
            print(
                f"| {engine} | {same} | {other} | {copied} | {copy_s * 1000:.0f} ms, {size_mb:.0f} MiB |"
            )


if __name__ == "__main__":
    main()
