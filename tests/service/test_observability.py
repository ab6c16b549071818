"""/metrics, /readyz and the access log, through the real app."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
import structlog
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.observability import configure_logging
from tests.service.test_audit_store import require_backend
from tests.utils.audit_scratch import admin_url, scratch_postgres
from tests.utils.llm_server import RecordingLLMServer

AppFactory = Any
MY_NUMBER = "123456789018"
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_blocks_tokens_and_routes(
    make_client: AppFactory, llm_overrides: dict[str, object]
) -> None:
    client = make_client(**llm_overrides)
    assert client.post("/v1/ask", json={"question": QUESTION}).status_code == 200
    blocked = client.post("/v1/ask", json={"question": f"個人番号{MY_NUMBER}の人の手続き"})
    assert blocked.json()["status"] == "blocked"
    client.get("/v1/admin/audit/records", params={"q": "山田太郎"})

    text = client.get("/metrics").text

    assert value(text, "yakuba_requests_total", channel="api", task="ask", status="allowed") == 1
    assert value(text, "yakuba_requests_total", channel="api", task="ask", status="blocked") == 1
    assert value(text, "yakuba_guard_blocked_requests_total", type="MY_NUMBER") == 1
    assert value(text, "yakuba_model_tokens_total", direction="prompt", channel="api") > 0
    assert (
        value(
            text,
            "yakuba_http_requests_total",
            route="/v1/admin/audit/records",
            method="GET",
            status="200",
        )
        == 1
    )
    assert value(text, "yakuba_model_queue") == 0
    # Route templates only: no question, no search term, no number in any label.
    for needle in (MY_NUMBER, "山田", "審査基準"):
        assert needle not in text


def test_model_errors_are_counted(make_client: AppFactory, llm_server: RecordingLLMServer) -> None:
    llm_server.fail_next(500)
    client = make_client(
        llm_base_url=llm_server.base_url, llm_model="test-model", llm_max_retries=0
    )
    client.post("/v1/ask", json={"question": QUESTION})
    text = client.get("/metrics").text
    failed = [k for k, v in samples(text).items() if k[0] == "yakuba_model_errors_total" and v]
    assert failed, text


def test_metrics_token_is_required_when_set(make_client: AppFactory) -> None:
    client = make_client(metrics_token=SecretStr("s3cret-token"))
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.json()["detail"]["code"] == "metrics_forbidden"
    ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200 and "yakuba_http_requests_total" in ok.text


def test_readyz_reports_each_dependency(make_client: AppFactory) -> None:
    client = make_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert {c["name"]: c["ok"] for c in ready.json()["checks"]} == {"database": True, "index": True}


def test_readyz_is_not_ready_when_the_database_is_gone(make_client: AppFactory) -> None:
    require_backend("postgresql")
    with scratch_postgres() as url:
        client = make_client(database_url=url)
        assert client.get("/readyz").status_code == 200
        admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:  # the database server loses the service's database
            conn.execute(text(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)'))
        admin.dispose()
        not_ready = client.get("/readyz")
    assert not_ready.status_code == 503
    checks = {c["name"]: c for c in not_ready.json()["checks"]}
    assert checks["database"]["ok"] is False and checks["index"]["ok"] is True
    assert "postgres" not in not_ready.text  # no URL, no credentials in the answer


@pytest.mark.parametrize(
    ("model_up", "check_model", "expected"),
    [(False, False, 200), (False, True, 503), (True, True, 200)],
    ids=["down-unchecked-degrades", "down-checked", "up-checked"],
)
def test_readyz_asks_the_model_only_when_told(
    make_client: AppFactory,
    llm_overrides: dict[str, object],
    model_up: bool,
    check_model: bool,
    expected: int,
) -> None:
    url = llm_overrides["llm_base_url"] if model_up else "http://127.0.0.1:9/v1"
    client = make_client(**llm_overrides | {"llm_base_url": url}, readyz_check_model=check_model)
    response = client.get("/readyz")
    assert response.status_code == expected
    assert ("model" in {c["name"] for c in response.json()["checks"]}) is check_model


def test_access_log_is_json_without_query_strings(
    make_client: AppFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    configure_logging(json_lines=True)
    try:
        client = make_client()
        client.get("/v1/admin/audit/records", params={"q": "山田太郎"})
        client.get("/v1/admin/audit/records/12345")
    finally:
        logging.getLogger().handlers[:] = []
        structlog.reset_defaults()
    lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    access = [x for x in lines if x.get("logger") == "yakuba.access"]
    routes = {x["route"] for x in access}
    assert "/v1/admin/audit/records" in routes
    assert "/v1/admin/audit/records/{record_id}" in routes, routes
    joined = json.dumps(lines, ensure_ascii=False)
    assert "山田" not in joined and "12345" not in joined


def test_access_log_line_keeps_its_fields(
    make_client: AppFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """The access line is written by structlog itself (not through the standard
    library's handlers): the same fields in the same order, one JSON object a line."""
    configure_logging(json_lines=True)
    try:
        client = make_client()
        client.get("/healthz")
        logging.getLogger("uvicorn.error").warning("through the standard library")
    finally:
        logging.getLogger().handlers[:] = []
        structlog.reset_defaults()
    lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    access = [x for x in lines if x.get("logger") == "yakuba.access"]
    assert [list(x) for x in access] == [
        ["route", "method", "status", "duration_ms", "event", "level", "logger", "timestamp"]
    ]
    assert access[0]["route"] == "/healthz" and access[0]["status"] == 200
    assert access[0]["event"] == "request" and access[0]["level"] == "info"
    stdlib = [x for x in lines if x.get("logger") == "uvicorn.error"]
    assert [x["event"] for x in stdlib] == ["through the standard library"]
