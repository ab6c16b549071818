"""The model down, slow, answering 429 or 500 — seen through a running `yakuba serve`.

The model client's own behaviour (retries, backoff, the timeout, the Japanese errors) is
tested in tests/service/test_llm_hardening.py, and the pipeline's degrade to quoting in
tests/service/test_ask_api.py and test_assistant.py; here the whole service process, with
its settings from the environment as an operator sets them, must answer within the
configured timeout: /v1/ask with the passages it found (extractive, audited as such), the
pass-through chat with a clear error in Japanese.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.audit import AuditStore
from service.settings import Settings
from tests.utils.llm_server import RecordingLLMServer

from ._processes import Service, free_port, index_copy, running, service_env

# Starting `yakuba serve` processes takes minutes on a loaded 2-core machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

TIMEOUT_S = 1.5
RETRIES = 1
# The model's timeout for each try, a short backoff, and this loaded machine's own time.
BOUND_S = TIMEOUT_S * (RETRIES + 1) + 5.0
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


@pytest.fixture(scope="module")
def model() -> Iterator[RecordingLLMServer]:
    with RecordingLLMServer() as server:
        yield server


@pytest.fixture(scope="module")
def service(
    model: RecordingLLMServer, indexed_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("model-faults")
    data_dir = index_copy(indexed_data_dir, folder / "data")
    env = service_env(
        data_dir,
        f"sqlite:///{data_dir / 'audit.sqlite3'}",
        model.base_url,
        YAKUBA_LLM_TIMEOUT_S=str(TIMEOUT_S),
        YAKUBA_LLM_MAX_RETRIES=str(RETRIES),
    )
    with running(Service(env, folder / "yakuba.log", free_port())) as (svc,):
        # The first question loads the embedding models: not part of any fault's time.
        warm = httpx.post(f"{svc.url}/v1/ask", json={"question": QUESTION}, timeout=300)
        assert warm.json()["mode"] == "generated"
        yield svc


def audited(service: Service, audit_id: int) -> tuple[str, str]:
    settings = Settings(
        data_dir=Path(service.env["YAKUBA_DATA_DIR"]),
        database_url=service.env["YAKUBA_DATABASE_URL"],
    )
    store = AuditStore.from_settings(settings)
    try:
        record = store.get(audit_id)
    finally:
        store.close()
    assert record is not None
    return record.mode, record.error_code


def check_degrades(service: Service, code: str) -> None:
    started = time.monotonic()
    response = httpx.post(f"{service.url}/v1/ask", json={"question": QUESTION}, timeout=60)
    took = time.monotonic() - started
    assert took < BOUND_S, f"{took:.1f} s"
    out = response.json()
    assert response.status_code == 200, out
    assert (out["status"], out["mode"]) == ("answered", "extractive")
    assert out["error_code"] == code and out["citations"]
    assert "生成モデルから回答を得られなかった" in out["text"]
    assert audited(service, out["audit_id"]) == ("extractive", code)

    started = time.monotonic()
    chat = httpx.post(
        f"{service.url}/v1/chat/completions",
        json={"model": "yakuba", "messages": [{"role": "user", "content": "挨拶文を作って"}]},
        timeout=60,
    )
    assert time.monotonic() - started < BOUND_S
    assert chat.status_code >= 500
    assert "生成モデル" in chat.text


@pytest.mark.parametrize(("status", "code"), [(429, "llm_rate_limited"), (500, "llm_server_error")])
def test_a_model_that_keeps_failing(
    service: Service, model: RecordingLLMServer, status: int, code: str
) -> None:
    model.clear()
    model.fail_next(status, times=100, headers={"retry-after-ms": "100"})
    try:
        check_degrades(service, code)
    finally:
        model.cancel_failures()
    # Each request was tried again RETRIES times before it gave up.
    assert len(model.chat_requests) == 2 * (RETRIES + 1)


def test_a_slow_model(service: Service, model: RecordingLLMServer) -> None:
    model.latency_s = 30.0
    try:
        check_degrades(service, "llm_timeout")
    finally:
        model.latency_s = 0.0


def test_a_model_that_is_down(service: Service, model: RecordingLLMServer) -> None:
    """Last in this file: it stops the module's model server for good."""
    model.stop()
    check_degrades(service, "llm_unreachable")
