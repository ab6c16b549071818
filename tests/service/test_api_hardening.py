"""Issue 13, findings 7 and 8, driven through the real HTTP API.

7. In `none` mode the service trusted any Host (DNS rebinding read the audit log) and any
   Origin (a cross-origin upload was processed).
8. Ids and dates out of range were unhandled 500s; malformed JSON and a lone surrogate got
   the wrong body or the wrong explanation; `llm_busy` had one status per route.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.api.errors import STATUS_BY_CODE, status_for
from tests.service.conftest import AppFactory
from tests.utils.llm_server import RecordingLLMServer
from tests.utils.service_api import audit_records, runtime_of, upload

HUGE_ID = 99999999999999999999999
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


def error_detail(response: Any) -> dict[str, Any]:
    """The shared error body: a code and a Japanese message."""
    body = response.json()
    assert set(body) == {"detail"}, body
    detail: dict[str, Any] = body["detail"]
    assert isinstance(detail, dict), body
    assert detail["code"] and isinstance(detail["code"], str)
    assert any("\u3040" <= ch <= "\u30ff" for ch in detail["message"]), detail["message"]
    return detail


def openai_error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert {"message", "type", "code"} <= set(error)
    return error


@pytest.fixture
def local(make_client: AppFactory) -> TestClient:
    """`none` mode with the default trusted hosts (loopback names only), addressed as the
    browser on the staff member's own machine would: http://localhost:8000."""
    client: TestClient = make_client(trusted_hosts="")
    client.base_url = client.base_url.copy_with(host="localhost", port=8000)
    return client


# -- finding 7: Host -------------------------------------------------------------------------


def test_dns_rebinding_cannot_read_the_audit_log(local: TestClient) -> None:
    local.post("/v1/ask", json={"question": QUESTION})
    assert local.get("/v1/admin/audit/records").json()["records"]

    response = local.get(
        "/v1/admin/audit/records", headers={"Host": "rebind.attacker.example:8000"}
    )
    assert response.status_code == 400
    assert error_detail(response)["code"] == "untrusted_host"
    assert "records" not in response.text


@pytest.mark.parametrize(
    "host", ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "localhost", "127.0.0.2"]
)
def test_loopback_names_are_trusted_by_default_in_none_mode(local: TestClient, host: str) -> None:
    assert local.get("/v1/me", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "host", ["rebind.attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io", ""]
)
def test_other_names_are_refused_in_none_mode(local: TestClient, host: str) -> None:
    response = local.post("/v1/ask", json={"question": QUESTION}, headers={"Host": host})
    assert response.status_code == 400
    assert error_detail(response)["code"] == "untrusted_host"
    assert audit_records(local) == []  # refused before anything else


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_probes_answer_under_an_ip_address(local: TestClient, path: str) -> None:
    # Kubernetes probes and Prometheus address the pod by its IP address.
    assert local.get(path, headers={"Host": "10.1.2.3:8000"}).status_code == 200
    assert local.get(path, headers={"Host": "[fd00::1]:8000"}).status_code == 200
    refused = local.get(path, headers={"Host": "rebind.attacker.example:8000"})
    assert refused.status_code == 400


def test_the_public_host_names_are_listed_by_the_operator(make_client: AppFactory) -> None:
    client = make_client(trusted_hosts="yakuba.city.example.lg.jp, *.yakuba.example.lg.jp")
    for host in (
        "yakuba.city.example.lg.jp",
        "YAKUBA.City.Example.LG.JP.",
        "a.yakuba.example.lg.jp",
    ):
        assert client.get("/v1/me", headers={"Host": host}).status_code == 200, host
    for host in ("yakuba.example.lg.jp", "evil.example", "testserver"):
        assert client.get("/v1/me", headers={"Host": host}).status_code == 400, host
    # Loopback names stay trusted: the operator's own checks on the machine.
    assert client.get("/v1/me", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_a_malformed_trusted_host_setting_stops_the_start(make_client: AppFactory) -> None:
    from service.errors import ConfigurationError

    with pytest.raises((ConfigurationError, ValueError)):
        make_client(trusted_hosts="https://yakuba.example.lg.jp/")


# -- finding 7: Origin ---------------------------------------------------------------------


def test_cross_origin_upload_is_refused(local: TestClient) -> None:
    response = local.post(
        "/v1/tasks/summarize/file",
        files={"file": ("a.txt", "行政手続法の概要".encode(), "text/plain")},
        headers={"Origin": "https://attacker.example"},
    )
    assert response.status_code == 403
    assert error_detail(response)["code"] == "cross_origin_request"
    assert audit_records(local) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://localhost:3000"},  # another local app is another origin
        {"Origin": "null"},  # a sandboxed frame or a file:// page
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        {"Referer": "https://attacker.example/page.html"},  # a browser that sent no Origin
        {"Origin": "not a url"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_state_changing_requests_from_another_origin_are_refused(
    local: TestClient, headers: dict[str, str]
) -> None:
    for method, path, body in (
        ("POST", "/v1/ask", {"question": QUESTION}),
        ("POST", "/v1/feedback", {"audit_id": 1, "rating": "up"}),
        ("POST", "/v1/admin/apikeys", {"user": "bot"}),
        ("DELETE", "/v1/admin/apikeys/abc", None),
    ):
        response = local.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, (method, path, response.text)
        assert error_detail(response)["code"] == "cross_origin_request"
    assert audit_records(local) == []


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, scripts, bots: no Origin at all
        {"Origin": "http://localhost:8000"},
        {"Origin": "http://LOCALHOST:8000"},
        {"Referer": "http://localhost:8000/"},
        # The staff page sends no referrer; by the Fetch standard a same-origin fetch then
        # says Origin: null, and the browser's own Sec-Fetch-Site tells that it is ours.
        {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
        {"Origin": "http://localhost:8000", "Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},  # the user's own navigation
    ],
)
def test_same_origin_and_non_browser_clients_keep_working(
    local: TestClient, headers: dict[str, str]
) -> None:
    response = local.post("/v1/ask", json={"question": QUESTION}, headers=headers)
    assert response.status_code == 200, response.text


def test_reads_from_another_origin_are_not_refused(local: TestClient) -> None:
    # A GET changes nothing; the browser's same-origin policy keeps its answer from the
    # other site (no CORS headers are sent).
    response = local.get("/v1/me", headers={"Origin": "https://attacker.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_behind_a_proxy_the_public_origin_is_the_services_own(make_client: AppFactory) -> None:
    # nginx's proxy_pass rewrites Host to the upstream (127.0.0.1:8000) unless told
    # otherwise; the listed public name still counts as this service's origin.
    client = make_client(trusted_hosts="yakuba.city.example.lg.jp")
    response = client.post(
        "/v1/ask",
        json={"question": QUESTION},
        headers={"Host": "127.0.0.1:8000", "Origin": "https://yakuba.city.example.lg.jp"},
    )
    assert response.status_code == 200, response.text
    refused = client.post(
        "/v1/ask",
        json={"question": QUESTION},
        headers={"Host": "127.0.0.1:8000", "Origin": "https://other.example.lg.jp"},
    )
    assert refused.status_code == 403


def test_behind_a_proxy_a_modern_browser_needs_no_setting(make_client: AppFactory) -> None:
    # YAKUBA_TRUSTED_HOSTS unset and nginx passing Host: 127.0.0.1:8000 (the Origin check
    # is the same in every mode): the browser's Sec-Fetch-Site tells the staff page's own
    # requests from a foreign page's.
    client = make_client(trusted_hosts="")
    headers = {"Host": "127.0.0.1:8000", "Origin": "https://yakuba.city.example.lg.jp"}
    own = client.post(
        "/v1/ask", json={"question": QUESTION}, headers={**headers, "Sec-Fetch-Site": "same-origin"}
    )
    assert own.status_code == 200, own.text
    for site in ("cross-site", "same-site"):
        foreign = client.post(
            "/v1/ask", json={"question": QUESTION}, headers={**headers, "Sec-Fetch-Site": site}
        )
        assert foreign.status_code == 403, site


def test_a_bot_webhook_from_another_host_keeps_working(make_client: AppFactory) -> None:
    # Slack, Teams and LINE WORKS post server to server: the public host name, no Origin.
    client = make_client(trusted_hosts="yakuba.city.example.lg.jp")
    response = client.post(
        "/v1/ask",
        json={"question": QUESTION},
        headers={"Host": "yakuba.city.example.lg.jp", "User-Agent": "Slackbot 1.0"},
    )
    assert response.status_code == 200, response.text


def test_openai_route_refusals_keep_openais_shape(local: TestClient) -> None:
    response = local.post(
        "/v1/chat/completions",
        json={"model": "yakuba", "messages": [{"role": "user", "content": "こんにちは"}]},
        headers={"Origin": "https://attacker.example"},
    )
    assert response.status_code == 403
    assert openai_error(response)["code"] == "cross_origin_request"


# -- finding 8: ids and dates ---------------------------------------------------------------


@pytest.fixture
def client(make_client: AppFactory) -> TestClient:
    built: TestClient = make_client()
    return built


@pytest.mark.parametrize("audit_id", [HUGE_ID, 2**31, 2**63, -HUGE_ID])
def test_feedback_on_an_id_out_of_range_is_refused(client: TestClient, audit_id: int) -> None:
    response = client.post("/v1/feedback", json={"audit_id": audit_id, "rating": "up"})
    assert response.status_code == 422
    assert error_detail(response)["errors"][0]["field"] == "audit_id"


@pytest.mark.parametrize("record_id", [str(HUGE_ID), str(2**31), "0", "-1", "1e3"])
def test_admin_record_id_out_of_range_is_refused(client: TestClient, record_id: str) -> None:
    response = client.get(f"/v1/admin/audit/records/{record_id}")
    assert response.status_code == 422, response.text
    assert error_detail(response)["code"] == "invalid_input"


def test_an_api_key_id_is_sixteen_hex_digits(client: TestClient) -> None:
    response = client.delete("/v1/admin/apikeys/" + "a" * 5000)
    assert response.status_code == 422
    assert "a" * 100 not in response.text  # not echoed back
    assert client.delete("/v1/admin/apikeys/0123456789abcdef").status_code == 404


def test_the_largest_id_is_answered_as_not_found(client: TestClient) -> None:
    response = client.get(f"/v1/admin/audit/records/{2**31 - 1}")
    assert response.status_code == 404
    assert error_detail(response)["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "param", "value"),
    [
        ("/v1/history", "since", "0001-01-01"),
        ("/v1/history", "until", "0001-01-01"),
        ("/v1/history", "until", "9999-12-31"),
        ("/v1/admin/audit/records", "since", "9999-12-31"),
        ("/v1/admin/audit/records", "until", "9999-12-31"),
        ("/v1/admin/audit/stats", "since", "0001-01-01"),
        ("/v1/admin/audit/stats", "until", "9999-12-31"),
        ("/v1/admin/audit/export", "until", "9999-12-31"),
    ],
)
def test_dates_out_of_range_are_refused(
    client: TestClient, path: str, param: str, value: str
) -> None:
    client.post("/v1/ask", json={"question": QUESTION})  # something to find
    response = client.get(path, params={param: value})
    assert response.status_code == 422, response.text
    detail = error_detail(response)
    assert detail["errors"][0]["field"] == param
    assert "2000-01-01" in detail["message"] or "2999-12-31" in detail["message"]


def test_dates_in_range_are_answered(client: TestClient) -> None:
    client.post("/v1/ask", json={"question": QUESTION})
    for path in ("/v1/history", "/v1/admin/audit/records", "/v1/admin/audit/stats"):
        response = client.get(path, params={"since": "2000-01-01", "until": "2999-12-31"})
        assert response.status_code == 200, (path, response.text)


# -- finding 8: bodies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b'{"question": ', b'{"question": "\xff\xfe"}', b"\xef\xbb\xbf\xff", b"[1, 2"],
)
def test_malformed_json_gets_the_shared_body(client: TestClient, body: bytes) -> None:
    response = client.post("/v1/ask", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert error_detail(response)["code"] == "invalid_input"


def test_malformed_json_on_the_openai_route_gets_openais_shape(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions", content=b"\xff{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert openai_error(response)["code"] == "invalid_input"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/ask", '{"question": "審査基準\\ud800について"}'),
        ("/v1/ask", '{"question": "審査基準", "purpose": "\\udfff"}'),
        ("/v1/tasks/draft", '{"kind": "お知らせ", "instructions": "休館日\\udc00"}'),
        ("/v1/feedback", '{"audit_id": 1, "rating": "up", "comment": "\\ud83d"}'),
    ],
)
def test_a_lone_surrogate_is_the_users_malformed_input(
    client: TestClient, path: str, body: str
) -> None:
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    detail = error_detail(response)
    assert detail["code"] == "invalid_input"
    assert "しばらくしてから" not in detail["message"]
    assert "文字" in detail["message"]
    assert audit_records(client) == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/ask", '{"question": "審査基準\\u0000について"}'),
        ("POST", "/v1/tasks/draft", '{"kind": "お知らせ", "instructions": "休館\\u0000日"}'),
        ("POST", "/v1/admin/apikeys", '{"user": "bot\\u0000"}'),
        ("GET", "/v1/admin/audit/records?text=a%00b", None),
        ("GET", "/v1/admin/audit/stats?department=%00", None),
        ("GET", "/v1/history?task=%00", None),
        ("DELETE", "/v1/admin/apikeys/%00", None),
    ],
)
def test_a_nul_character_is_the_users_malformed_input(
    client: TestClient, method: str, path: str, body: str | None
) -> None:
    # PostgreSQL refuses NUL in any text: these were 500s on queries and 503 audit_error
    # ("try again later") on writes.
    headers = {"Content-Type": "application/json"} if body else {}
    response = client.request(method, path, content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert "制御文字" in error_detail(response)["message"]
    assert audit_records(client) == []


def test_a_nul_in_the_upload_form_is_refused(client: TestClient) -> None:
    response = upload(client, "行政手続法の概要です。".encode(), purpose="窓口\x00")
    assert response.status_code == 400
    assert error_detail(response)["code"] == "invalid_form"


def test_a_lone_surrogate_on_the_openai_route(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        content='{"model": "yakuba", "messages": [{"role": "user", "content": "a\\ud800"}]}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert openai_error(response)["code"] == "invalid_input"


def test_a_nul_in_the_purpose_header_of_the_openai_route(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        json={"model": "yakuba", "messages": [{"role": "user", "content": "こんにちは"}]},
        headers={"X-Yakuba-Purpose": "%E7%AA%93%E5%8F%A3%00"},
    )
    assert response.status_code == 422
    assert openai_error(response)["code"] == "invalid_input"
    assert audit_records(client) == []


def test_a_surrogate_pair_is_an_ordinary_character(client: TestClient) -> None:
    body = '{"question": "審査基準について\\ud83d\\ude00"}'  # 😀, escaped as JSON does
    response = client.post("/v1/ask", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/v1/no-such-route", 404, "not_found"),
        ("PUT", "/v1/ask", 405, "method_not_allowed"),
        ("GET", "/static/app/no-such-file.js", 404, "not_found"),
    ],
)
def test_framework_errors_get_the_shared_body(
    client: TestClient, method: str, path: str, status: int, code: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert error_detail(response)["code"] == code


def test_upload_form_errors_keep_the_shared_body(client: TestClient) -> None:
    response = upload(client, b"", length="no-such-length")
    assert response.status_code == 400
    assert error_detail(response)["code"] == "invalid_form"


# -- finding 8: one table from error code to HTTP status ------------------------------------


def _hold_every_model_slot(client: TestClient) -> threading.BoundedSemaphore:
    model = runtime_of(client).chat_model
    slots: threading.BoundedSemaphore = model._slots  # type: ignore[union-attr]
    while slots.acquire(blocking=False):
        pass
    return slots


def test_llm_busy_has_one_status_on_every_route(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    client = make_client(**llm_overrides, llm_max_concurrency=1, llm_timeout_s=0.3)
    _hold_every_model_slot(client)
    ask = client.post("/v1/ask", json={"question": QUESTION})
    chat = client.post(
        "/v1/chat/completions",
        json={"model": "yakuba", "messages": [{"role": "user", "content": "こんにちは"}]},
    )
    rag = client.post(
        "/v1/chat/completions",
        json={"model": "yakuba-rag", "messages": [{"role": "user", "content": QUESTION}]},
    )
    draft = client.post(
        "/v1/tasks/draft", json={"kind": "お知らせ", "instructions": "図書館の休館日"}
    )
    # Where passages were found, a busy model degrades the answer to quoting them (200,
    # extractive, the code kept); where there is nothing to quote, one status: 503.
    for degraded in (ask.json(), rag.json()["yakuba"]):
        assert (degraded["status"], degraded["mode"]) == ("answered", "extractive")
    assert ask.json()["error_code"] == "llm_busy"
    assert openai_error(chat)["code"] == "llm_busy"
    assert error_detail(draft)["code"] == "llm_busy"
    assert {ask.status_code, rag.status_code} == {200}
    statuses = {r.status_code for r in (chat, draft)}
    assert statuses == {status_for("llm_busy")} == {503}
    assert llm_server.requests == []


def test_every_code_the_service_raises_is_in_the_table() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "service"
    # Packages only the command line runs: their errors never become HTTP responses.
    command_line_only = {root / "backup"}
    raised: set[str] = set()
    pattern = re.compile(r"""(?:\bcode\s*=\s*|error_code\s*=\s*|http_error\(\s*)"([a-z_]+)\"""")
    for path in root.rglob("*.py"):
        if not command_line_only.intersection(path.parents):
            raised.update(pattern.findall(path.read_text("utf-8")))
    assert raised, "no codes found: the pattern is out of date"
    missing = sorted(raised - set(STATUS_BY_CODE))
    assert missing == [], f"codes without an HTTP status in service/api/errors.py: {missing}"


def test_auth_errors_agree_with_the_table() -> None:
    from service.auth import errors as auth_errors

    classes = [
        c
        for c in vars(auth_errors).values()
        if isinstance(c, type) and issubclass(c, auth_errors.AuthError)
    ]
    assert len(classes) >= 4
    for cls in classes:
        assert STATUS_BY_CODE[cls.code] == cls.status, cls.__name__


def test_the_docs_list_the_table_as_it_is() -> None:
    import re
    from pathlib import Path

    page = Path(__file__).resolve().parents[2] / "docs" / "errors.md"
    rows = re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \|", page.read_text("utf-8"), re.MULTILINE)
    assert {code: int(status) for code, status in rows} == dict(STATUS_BY_CODE)


def test_the_openapi_document_shows_the_422_body_that_is_sent(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in json.dumps(schema)
    ask = schema["paths"]["/v1/ask"]["post"]["responses"]["422"]
    assert ask["content"]["application/json"]["schema"]["$ref"].endswith("/InvalidInputResponse")
    chat = schema["paths"]["/v1/chat/completions"]["post"]["responses"]["422"]
    assert chat["content"]["application/json"]["schema"]["$ref"].endswith("/OpenAIErrorResponse")
    sent = client.post("/v1/ask", json={}).json()
    documented = schema["components"]["schemas"]["InvalidInputDetail"]["properties"]
    assert set(sent["detail"]) == set(documented)
