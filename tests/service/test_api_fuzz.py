"""Every operation of the app's own OpenAPI document, fuzzed (issue 13, finding 8): no
request is an unhandled 500, and every error is in the body of its API with a status from
the one table (service.api.errors).

Values are drawn from each parameter's and body field's schema, mixed with what breaks
services: numbers past 64 bits, dates at the ends of the calendar, half surrogate pairs,
control characters, wrong types, missing and extra fields. schemathesis is not on the
package index this project may use; hypothesis draws the values instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.api.errors import STATUS_BY_CODE, is_openai_path
from tests.service.conftest import AppFactory

Schema = dict[str, Any]

_EXAMPLES = 60
_FUZZ = settings(
    max_examples=_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run: a failure can be reproduced
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_HOSTILE_INTS = st.sampled_from([0, -1, 1, 2**31 - 1, 2**31, 2**63, -(2**63) - 1, 10**23, 10**40])
_HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\ud800",
        "a\udfffb",
        "\x00",
        "\u202e",
        "0001-01-01",
        "9999-12-31",
        "1e309",
        "NaN",
        "../../etc/passwd",
        "%ED%A0%80",
        "𠮷野家" * 200,
        "123456789018",
    ]
)
# The calendar's ends: JST's offset and "the day after" overflow there.
_EDGE_DATES = st.sampled_from(["0001-01-01", "0001-01-02", "9999-12-30", "9999-12-31"])
_TEXT = st.one_of(st.text(max_size=40), _HOSTILE_TEXT)
_JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _TEXT, _HOSTILE_INTS
)
_ANY_JSON = st.recursive(
    _JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)


def _resolve(schema: Schema, components: Schema) -> Schema:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def value_for(
    schema: Schema, components: Schema, *, strict: bool, depth: int = 0
) -> st.SearchStrategy[Any]:
    """strict: values the schema allows, its limits and the calendar's ends included (what
    passes validation must not break the route); otherwise hostile values mixed in."""
    schema = _resolve(schema, components)
    if depth > 3:
        return st.none() if strict else _JSON_LEAF
    if "anyOf" in schema:
        options = [
            value_for(s, components, strict=strict, depth=depth + 1) for s in schema["anyOf"]
        ]
        return st.one_of(options)
    typed = _typed(schema, components, strict, depth)
    return typed if strict else st.one_of(typed, typed, typed, _ANY_JSON)


def _typed(schema: Schema, components: Schema, strict: bool, depth: int) -> st.SearchStrategy[Any]:
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    kind = schema.get("type")
    if kind == "integer":
        lo, hi = schema.get("minimum"), schema.get("maximum")
        edges = [v for v in (lo, hi) if v is not None] or [0]
        valid = st.integers(min_value=lo, max_value=hi) | st.sampled_from(edges)
        hostile = _HOSTILE_INTS.filter(
            lambda v: (lo is None or v >= lo) and (hi is None or v <= hi)
        )
        return valid | hostile if strict else valid | _HOSTILE_INTS
    if kind == "number":
        return (
            st.floats(
                min_value=schema.get("minimum"), max_value=schema.get("maximum"), allow_nan=False
            )
            if strict
            else st.floats(allow_nan=False) | _HOSTILE_INTS
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        if schema.get("format") == "date":
            dates = st.one_of(_EDGE_DATES, st.dates().map(str))
            return dates if strict else dates | _HOSTILE_TEXT
        if "pattern" in schema:
            valid = st.from_regex(schema["pattern"], fullmatch=True)
        else:
            lo, hi = schema.get("minLength", 0), min(schema.get("maxLength", 60), 60)
            valid = st.text(min_size=lo, max_size=max(lo, hi))
        return valid if strict else valid | _HOSTILE_TEXT
    if kind == "array":
        item = value_for(schema.get("items", {}), components, strict=strict, depth=depth + 1)
        lo = schema.get("minItems", 0) if strict else 0
        return st.lists(item, min_size=lo, max_size=max(lo, 3))
    if kind == "object" or "properties" in schema:
        return object_for(schema, components, strict=strict, depth=depth)
    return st.none() if strict else _ANY_JSON


def object_for(
    schema: Schema, components: Schema, *, strict: bool, depth: int = 0
) -> st.SearchStrategy[Any]:
    """The object's fields, optional ones present or left out; unless strict, required
    ones are sometimes missing and an unknown one sometimes added."""
    props: dict[str, Schema] = schema.get("properties", {})
    required = set(schema.get("required", []))

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, sub in props.items():
            keep = (name in required and strict) or draw(st.integers(0, 9)) < (
                9 if name in required else 5
            )
            if keep:
                out[name] = draw(value_for(sub, components, strict=strict, depth=depth + 1))
        if not strict and draw(st.integers(0, 9)) == 0:
            out[draw(_TEXT)] = draw(_JSON_LEAF)
        return out

    return build()


def operations(app_schema: Schema) -> list[tuple[str, str, Schema]]:
    return [
        (method.upper(), path, op)
        for path, ops in sorted(app_schema["paths"].items())
        for method, op in sorted(ops.items())
        if "multipart/form-data" not in op.get("requestBody", {}).get("content", {})
    ]


def assert_handled(response: Any, path: str) -> None:
    assert response.status_code != 500, response.text[:500]
    if response.status_code < 400:
        return
    body = response.json()
    error = body["error"] if is_openai_path(path) else body["detail"]
    code = error["code"]
    assert STATUS_BY_CODE.get(code) == response.status_code, (code, response.status_code)
    assert any("\u3040" <= ch <= "\u30ff" for ch in error["message"]), error["message"]


@pytest.fixture
def fuzz_client(make_client: AppFactory, llm_overrides: dict[str, object]) -> TestClient:
    client: TestClient = make_client(**llm_overrides)
    client.post("/v1/ask", json={"question": "行政手続法の審査基準について"})  # a record
    return client


def _request_for(
    method: str, path: str, op: Schema, components: Schema
) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        strict = draw(st.booleans())
        url, query, headers = path, [], {}
        for param in op.get("parameters", []):
            value = draw(value_for(param["schema"], components, strict=strict))
            text = value if isinstance(value, str) else json.dumps(value)
            # Percent-encoded as sent on the wire, half surrogates included.
            encoded = quote(text.encode("utf-8", "surrogatepass"), safe="")
            if param["in"] == "path":
                url = url.replace("{" + param["name"] + "}", encoded or "x")
            elif value is not None and draw(st.booleans()):
                if param["in"] == "query":
                    query.append(f"{param['name']}={encoded}")
                else:
                    headers[param["name"]] = encoded
        if query:
            url += "?" + "&".join(query)
        request: dict[str, Any] = {"method": method, "url": url}
        content = op.get("requestBody", {}).get("content", {}).get("application/json")
        if content is not None:
            body = draw(value_for(content["schema"], components, strict=strict))
            text = json.dumps(body, ensure_ascii=draw(st.booleans()))
            request["content"] = text.encode("utf-8", "surrogatepass")
            headers["Content-Type"] = "application/json"
        request["headers"] = headers
        return request

    return build()


def _each_operation() -> list[Any]:
    from pathlib import Path
    from tempfile import mkdtemp

    from service.main import create_app
    from service.settings import Settings

    app = create_app(Settings(data_dir=Path(mkdtemp(prefix="yakuba-openapi-"))))
    schema = app.openapi()
    app.state.runtime.close()
    app.state.access.close()
    return [
        pytest.param(method, path, op, schema["components"]["schemas"], id=f"{method} {path}")
        for method, path, op in operations(schema)
    ]


@pytest.mark.parametrize(("method", "path", "op", "components"), _each_operation())
def test_no_operation_answers_an_unhandled_error(
    fuzz_client: TestClient, method: str, path: str, op: Schema, components: Schema
) -> None:
    @_FUZZ
    @given(request=_request_for(method, path, op, components))
    def check(request: dict[str, Any]) -> None:
        response = fuzz_client.request(**request)
        assert_handled(response, path)

    check()


_RAW_BODIES = st.one_of(
    st.binary(max_size=64),
    st.text(max_size=40).map(lambda t: t.encode("utf-8")),
    st.sampled_from(
        [b"[" * 5000, b"1" * 5000, b'{"question": NaN}', b"\xed\xa0\x80", b'"\\ud800"', b"null"]
    ),
)
_JSON_PATHS = ["/v1/ask", "/v1/tasks/draft", "/v1/feedback", "/v1/chat/completions"]


@pytest.mark.parametrize("path", _JSON_PATHS)
def test_any_bytes_as_a_json_body_are_handled(fuzz_client: TestClient, path: str) -> None:
    send: Callable[..., Any] = fuzz_client.post

    @_FUZZ
    @given(body=_RAW_BODIES)
    def check(body: bytes) -> None:
        response = send(path, content=body, headers={"Content-Type": "application/json"})
        assert_handled(response, path)
        assert response.status_code in (200, 422), response.text[:300]

    check()
