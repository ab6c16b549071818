"""Several `yakuba serve` processes on one PostgreSQL database, and SIGKILL of one of them.

No Qdrant server runs here, and the embedded index opens in one process only
(bench/index_readers.py), so each process has its own copy of the index — what is
shared is everything in the database: audit chain, intents, threads. With a Qdrant
server (YAKUBA_QDRANT_URL) the processes would share the index as well.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bench.sigkill import MARK, marker
from service.audit import AuditStore
from tests.utils.audit_scratch import postgres_reason, scratch_postgres
from tests.utils.llm_server import RecordingLLMServer

from ._processes import (
    YAKUBA,
    Service,
    free_port,
    index_copy,
    on_record,
    running,
    service_env,
)

# Starting `yakuba serve` processes takes minutes on a loaded 2-core machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    if reason := postgres_reason():
        pytest.skip(reason)
    with scratch_postgres() as url:
        yield url


@pytest.fixture(scope="module")
def model() -> Iterator[RecordingLLMServer]:
    # A model that takes a while, so that SIGKILL finds requests in flight.
    with RecordingLLMServer(latency_s=0.3) as server:
        yield server


@pytest.fixture(scope="module")
def services(
    database: str,
    model: RecordingLLMServer,
    indexed_data_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Service, ...]]:
    folder = tmp_path_factory.mktemp("processes")
    # One metrics folder for both, as `yakuba serve --workers N` gives its workers.
    (folder / "metrics").mkdir()
    pair = [
        Service(
            service_env(
                index_copy(indexed_data_dir, folder / name),
                database,
                model.base_url,
                PROMETHEUS_MULTIPROC_DIR=str(folder / "metrics"),
            ),
            folder / f"{name}.log",
            free_port(),
        )
        for name in ("a", "b")
    ]
    with running(*pair) as started:
        for service in started:  # the first question loads the embedding models
            warm = httpx.post(f"{service.url}/v1/ask", json={"question": QUESTION}, timeout=300)
            assert warm.status_code == 200, warm.text
        yield started


def test_a_thread_continues_on_another_process(
    services: tuple[Service, ...], model: RecordingLLMServer
) -> None:
    a, b = services
    first = httpx.post(f"{a.url}/v1/ask", json={"question": QUESTION}, timeout=60).json()
    assert first["status"] == "answered"
    follow = httpx.post(
        f"{b.url}/v1/ask",
        json={"question": "その例外はありますか", "thread_id": first["thread_id"]},
        timeout=60,
    ).json()
    assert follow["status"] == "answered" and follow["thread_id"] == first["thread_id"]
    messages = model.last_chat_request.messages
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert QUESTION in messages[1]["content"]


def _counted(service: Service) -> tuple[float, float]:
    """Assistant requests (as audited) and HTTP requests in progress, in one scrape."""
    families = text_string_to_metric_families(httpx.get(f"{service.url}/metrics").text)
    values = [(s.name, s.value) for family in families for s in family.samples]
    return (
        sum(v for name, v in values if name == "yakuba_requests_total"),
        sum(v for name, v in values if name == "yakuba_http_requests_in_progress"),
    )


def test_one_scrape_reports_both_processes(services: tuple[Service, ...]) -> None:
    a, b = services
    before, _ = _counted(a)
    for n in range(6):  # 4 to one process, 2 to the other
        target = a if n % 3 else b
        answer = httpx.post(f"{target.url}/v1/ask", json={"question": QUESTION}, timeout=60)
        assert answer.status_code == 200, answer.text
    # Either process's scrape counts the other's requests too; in progress: the scrape.
    assert _counted(b) == (before + 6, 1.0)
    assert _counted(a) == (before + 6, 1.0)


@dataclass
class Outcome:
    process: str
    started: float
    audit_id: int | None  # set when the service acknowledged the request (HTTP 200)


async def _load(services: tuple[Service, ...], seconds: float, out: list[Outcome]) -> None:
    deadline = time.monotonic() + seconds
    counter = iter(range(10**6))

    async def client(http: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            n = next(counter)
            service = services[n % len(services)]
            started = time.monotonic()
            body = {"question": f"{QUESTION}（{marker(n)}）"}
            try:
                response = await http.post(f"{service.url}/v1/ask", json=body)
            except httpx.HTTPError:
                out.append(Outcome(service.url, started, None))
                await asyncio.sleep(0.05)  # a load balancer would mark it down
                continue
            acknowledged = response.status_code == 200
            out.append(
                Outcome(service.url, started, response.json()["audit_id"] if acknowledged else None)
            )

    async with httpx.AsyncClient(timeout=30) as http:
        await asyncio.gather(*(client(http) for _ in range(12)))


def test_sigkill_of_one_process_loses_no_acknowledged_request(
    services: tuple[Service, ...],
    model: RecordingLLMServer,
    database: str,
    tmp_path: Path,
) -> None:
    a, b = services
    outcomes: list[Outcome] = []

    async def scenario() -> float:
        load = asyncio.create_task(_load(services, 8.0, outcomes))
        await asyncio.sleep(3.0)
        killed_at = time.monotonic()
        a.kill()
        await load
        return killed_at

    killed_at = asyncio.run(scenario())
    # The dead process's requests in progress left the scrape with it (its counts stay).
    assert _counted(b)[1] == 1.0

    acknowledged = [o for o in outcomes if o.audit_id is not None]
    assert acknowledged, "no request was answered"
    # The other process kept answering while the first one was dead.
    assert any(o.process == b.url and o.started > killed_at for o in acknowledged)
    # Every acknowledged request is in the audit chain.
    store = AuditStore(database, key_file=tmp_path / "k")
    try:
        missing = [o.audit_id for o in acknowledged if store.get(o.audit_id or 0) is None]
    finally:
        store.close()
    assert missing == []
    # Every request the model saw is on record: chained, or an intent left by the dead
    # process ...
    seen = {m for r in model.chat_requests for m in MARK.findall(r.prompt_text())}
    records, intents = on_record(database)
    assert seen - records - intents == set()

    # ... which the restarted process chains as `interrupted` without anyone's help.
    a.start()
    answer = httpx.post(f"{a.url}/v1/ask", json={"question": QUESTION}, timeout=60)
    assert answer.status_code == 200
    records, intents = on_record(database)
    assert intents == set() and seen - records == set()
    verify = subprocess.run(
        [str(YAKUBA), "audit", "verify"], env=a.env, capture_output=True, text=True, timeout=300
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
