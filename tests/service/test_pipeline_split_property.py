"""Property: a personal value — a マイナンバー with a valid check digit, a mobile number, a
resident's name — cut at random points and spread over chat messages, a task's fields,
the turns of a thread or the model's stream chunks never reaches the model whole in one
request, never leaves in a stream, and never lands in the audit database.

Values the guard does not recognise even whole (its recall is guardrails' business) are
skipped with `assume`: this tests the pipeline's plumbing, not the guard's recall."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from guardrails import Action, Guard
from guardrails.recognizers.my_number import my_number_check_digit
from tests.service.pipeline_support import database_text, digits
from tests.utils.llm_server import RecordingLLMServer
from tests.utils.service_api import runtime_of

AppFactory = Any
SURNAMES = ("山田", "佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "中村")
GIVEN = ("花子", "太郎", "一郎", "美咲", "健太", "由美", "翔", "陽子")
CHANNELS = ("chat", "fields", "turns", "stream")
LEAD = "市民課の窓口は平日の午前8時30分から午後5時15分まで開いています。\n"


@st.composite
def personal_values(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("my_number", "phone", "name")))
    if kind == "my_number":
        body = "".join(str(d) for d in draw(st.lists(st.integers(0, 9), min_size=11, max_size=11)))
        # Not 000000000000: the chain's genesis hash is all zeros.
        assume(len(set(body)) >= 3)
        return body + str(my_number_check_digit(body))
    if kind == "phone":
        a, b = draw(st.integers(1000, 9999)), draw(st.integers(1000, 9999))
        prefix = draw(st.sampled_from(("090", "080", "070")))
        sep = draw(st.sampled_from(("-", "", " ")))
        return f"{prefix}{sep}{a}{sep}{b}"
    return draw(st.sampled_from(SURNAMES)) + draw(st.sampled_from(GIVEN)) + "様"


@st.composite
def split_values(draw: st.DrawFn) -> tuple[str, list[str]]:
    value = draw(personal_values())
    cuts = sorted(draw(st.sets(st.integers(1, len(value) - 1), min_size=1, max_size=3)))
    bounds = [0, *cuts, len(value)]
    return value, [value[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _units(parts: list[str]) -> list[str]:
    """The parts as a careless (or crafty) writer spreads them over several inputs."""
    units = [f"確認です。{parts[0]}", *parts[1:]]
    units[-1] += "の件でお願いします。"
    return units


def _guard_sees(guard: Guard, text: str) -> bool:
    return guard.scan(text).action is not Action.ALLOW


def _kept_out(value: str, client: TestClient, llm: RecordingLLMServer, *shown: str) -> None:
    compact = value.replace(" ", "").replace("-", "")
    for request in llm.chat_requests:
        sent = request.prompt_text().replace(" ", "").replace("-", "").replace("\n", "")
        assert compact not in sent
        if compact.isdigit():
            assert compact not in digits(request.prompt_text())
    for text in (*shown, database_text(client)):
        assert value not in text and compact not in text.replace("-", "").replace(" ", "")


@pytest.fixture
def client(make_client: AppFactory, llm_overrides: dict[str, object]) -> TestClient:
    c: TestClient = make_client(**llm_overrides)
    return c


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    split=split_values(),
    channel=st.sampled_from(CHANNELS),
    chunk=st.integers(1, 9),
    lead=st.integers(0, 6),
)
def test_split_personal_values_never_reach_the_model_or_the_database(
    client: TestClient,
    llm_server: RecordingLLMServer,
    split: tuple[str, list[str]],
    channel: str,
    chunk: int,
    lead: int,
) -> None:
    value, parts = split
    guard = runtime_of(client).guard
    units = _units(parts)
    llm_server.clear()
    llm_server.reply = None
    shown: list[str] = []
    if channel == "stream":
        # A lead of ordinary sentences puts the value anywhere in the stream: before,
        # across or after the output guard's release points.
        reply = (
            LEAD * lead
            + f"ご連絡ありがとうございます。本件は{value}からの問い合わせで、折り返し連絡します。"
        )
        assume(_guard_sees(guard, reply))
        llm_server.reply = reply
        llm_server.stream_chunk_chars = chunk
        messages = [{"role": "user", "content": "問い合わせへの返信文を作ってください。"}]
        r = client.post(
            "/v1/chat/completions", json={"model": "yakuba", "messages": messages, "stream": True}
        )
        shown.append(r.text)
    else:
        assume(value.isdigit() or _guard_sees(guard, "".join(units)))
        if channel == "chat":
            roles = ["user", "assistant"]
            messages = [{"role": roles[i % 2], "content": u} for i, u in enumerate(units)]
            r = client.post("/v1/chat/completions", json={"model": "yakuba", "messages": messages})
            shown.append(r.text)
        elif channel == "fields":
            body = {"text": units[0], "instructions": "".join(units[1:])}
            shown.append(client.post("/v1/tasks/proofread", json=body).text)
        else:
            thread = None
            for unit in units:
                payload: dict[str, Any] = {"question": unit}
                if thread:
                    payload["thread_id"] = thread
                out = client.post("/v1/ask", json=payload).json()
                thread = out.get("thread_id", thread)
                shown.append(json.dumps(out, ensure_ascii=False))
    _kept_out(value, client, llm_server, *shown)
