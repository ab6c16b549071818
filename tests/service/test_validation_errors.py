"""Invalid requests are answered in Japanese, naming the field, in the caller's error shape,
and never echo the submitted values back."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.api.validation import field_name, translate_error
from tests.service.conftest import AppFactory

MY_NUMBER = "123456789018"


@pytest.fixture
def client(make_client: AppFactory) -> TestClient:
    built: TestClient = make_client()
    return built


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ({"type": "missing", "loc": ("body", "question")}, "question: 必須の項目です。"),
        (
            {"type": "string_too_long", "loc": ("body", "text"), "ctx": {"max_length": 500}},
            "text: 500文字以内で入力してください。",
        ),
        (
            {
                "type": "literal_error",
                "loc": ("body", "rating"),
                "ctx": {"expected": "'up' or 'down'"},
            },
            "rating: 次のいずれかを指定してください: 'up' or 'down'",
        ),
        (
            {"type": "less_than_equal", "loc": ("query", "limit"), "ctx": {"le": 500}},
            "limit: 500 以下の値を指定してください。",
        ),
        (
            {"type": "value_error", "loc": ("body", "x"), "ctx": {"error": "業務内容が長すぎます"}},
            "x: 業務内容が長すぎます",
        ),
        ({"type": "no_such_type", "loc": ("body",)}, "リクエスト: 値が正しくありません。"),
        ({"type": "string_too_long", "loc": ("body", "t"), "ctx": {}}, "t: 値が正しくありません。"),
    ],
)
def test_translation_table(error: dict[str, Any], expected: str) -> None:
    assert translate_error(error) == expected


def test_field_names_read_like_paths() -> None:
    assert field_name(("body", "messages", 0, "content")) == "messages[0].content"


def test_own_endpoint_error_is_japanese_and_does_not_echo_input(client: TestClient) -> None:
    response = client.post("/v1/feedback", json={"audit_id": 1, "rating": MY_NUMBER})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["code"] == "invalid_input"
    assert detail["message"].startswith("入力内容を確認してください。")
    assert [e["field"] for e in detail["errors"]] == ["rating"]
    assert "次のいずれかを指定してください" in detail["errors"][0]["message"]
    assert MY_NUMBER not in response.text


def test_missing_body_field(client: TestClient) -> None:
    response = client.post("/v1/ask", json={})
    assert response.status_code == 422
    assert "question: 必須の項目です。" in response.json()["detail"]["message"]


def test_openai_path_keeps_openai_error_shape(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        json={
            "model": "yakuba",
            "messages": [{"role": "user", "content": MY_NUMBER}],
            "temperature": "x",
        },
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["code"] == "invalid_input"
    assert "入力内容を確認してください" in error["message"]
    assert MY_NUMBER not in response.text
