"""The request path with a real (local) OpenAI-compatible model server.

The test LLM records every request body, so these tests assert on what actually reached
the model — the point of the guard."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import Verdict
from service.audit import AuditStatus
from service.pipeline.contracts import NO_RESULTS, Citation, RequestContext
from service.pipeline.retrieval import CLOSEST_HEADING, declined, unanswered_text
from service.pipeline.task_specs import ProofreadInput
from service.runtime import Runtime
from service.settings import Settings
from tests.utils.llm_server import RecordingLLMServer

CTX = RequestContext(user="u1", department="総務課", channel="cli")
MY_NUMBER = "123456789018"
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


def test_generated_answer_is_grounded_and_audited(
    llm_runtime: Runtime, llm_server: RecordingLLMServer
) -> None:
    answer = llm_runtime.assistant.ask(QUESTION, CTX)
    assert answer.status == "answered"
    assert answer.mode == "generated"
    assert answer.text.startswith("【テスト応答】")
    assert "原典で確認" in answer.text
    (request,) = llm_server.chat_requests
    sent = llm_server.all_prompt_text()
    assert QUESTION in sent
    assert "[1]" in sent and "行政手続法 第5条" in sent
    assert request.model == "test-model"
    record = llm_runtime.audit.get(answer.audit_id or -1)
    assert record is not None
    assert record.status == AuditStatus.ALLOWED
    assert record.mode == "generated"
    assert record.prompt_ref.startswith("ask@")
    assert any("第5条" in s for s in record.sources)


def test_blocked_prompt_never_reaches_the_model(
    llm_runtime: Runtime, llm_server: RecordingLLMServer
) -> None:
    for text in (
        f"マイナンバー{MY_NUMBER}の住民の手続は？",
        "申請者の電話番号は090-1234-5678です。折り返し方法は？",
        "連絡先 taro.yamada@example.jp に審査基準を送ってよいか",
        # evasions: full-width digits, spaces, zero-width characters
        "個人番号は１２３４ ５６７８ ９０１８です",
        "マイナンバー1234\u200b5678\u200b9018",
    ):
        answer = llm_runtime.assistant.ask(text, CTX)
        assert answer.status == "blocked", text
        assert answer.audit_id is not None
    assert llm_server.chat_requests == []
    statuses = [r.status for r in llm_runtime.audit.records()]
    assert statuses == ["blocked"] * 5


def test_model_output_is_guarded(llm_runtime: Runtime, llm_server: RecordingLLMServer) -> None:
    llm_server.reply = "担当者の携帯は090-1234-5678です。"
    answer = llm_runtime.assistant.ask(QUESTION, CTX)
    assert "090-1234-5678" not in answer.text
    assert "<電話番号>" in answer.text
    record = llm_runtime.audit.get(answer.audit_id or -1)
    assert record is not None and "090-1234-5678" not in record.answer


def test_model_failure_degrades_to_the_passages_it_was_given(
    llm_runtime: Runtime, llm_server: RecordingLLMServer
) -> None:
    llm_server.fail_next(500, times=5)
    answer = llm_runtime.assistant.ask(QUESTION, CTX)
    assert (answer.status, answer.mode) == ("answered", "extractive")
    assert "生成モデルから回答を得られなかった" in answer.text and answer.citations
    assert f"[1] {answer.citations[0].label}" in answer.text
    record = llm_runtime.audit.get(answer.audit_id or -1)
    assert record is not None
    assert (record.status, record.mode, record.error_code) == (
        "allowed",
        "extractive",
        answer.error_code,
    )
    assert answer.error_code.startswith("llm_")


def test_model_failure_without_passages_to_quote_is_a_clear_failed_record(
    llm_runtime: Runtime, llm_server: RecordingLLMServer
) -> None:
    llm_server.fail_next(500, times=5)
    answer = llm_runtime.tasks.proofread(
        ProofreadInput(text="申請書の記載例を確認してください。"), CTX
    )
    assert answer.status == "failed" and "生成モデル" in answer.text
    record = llm_runtime.audit.get(answer.audit_id or -1)
    assert record is not None
    assert (record.status, record.error_code) == ("failed", answer.error_code)


def test_too_long_prompt_is_refused_before_scanning(runtime: Runtime) -> None:
    answer = runtime.assistant.ask("あ" * (runtime.settings.max_prompt_chars + 1), CTX)
    assert (answer.status, answer.error_code) == ("failed", "prompt_too_long")
    record = runtime.audit.get(answer.audit_id or -1)
    assert record is not None and record.prompt.startswith("<未検査")


def test_audit_chain_verifies_after_mixed_traffic(llm_runtime: Runtime) -> None:
    a = llm_runtime.assistant
    a.ask(QUESTION, CTX)
    a.ask(f"番号{MY_NUMBER}", CTX)
    a.ask("", CTX)
    assert llm_runtime.audit.verify() == []


def test_retrieved_passages_are_guarded_before_the_model(
    llm_settings: Settings, llm_server: RecordingLLMServer, tmp_path: Path
) -> None:
    settings = llm_settings.model_copy(
        update={"data_dir": tmp_path / "data", "ingest_personal_data": "report"}
    )
    doc = tmp_path / "memo.txt"
    doc.write_text("粗大ごみの受付担当の携帯は090-1234-5678です。", encoding="utf-8")
    rt = Runtime(settings)
    try:
        report = rt.knowledge_base.ingest([doc])
        assert report.files[0].personal_data == {"PHONE_NUMBER": 1}
        answer = rt.assistant.ask("粗大ごみの受付担当について", CTX)
        assert answer.status == "answered"
        sent = llm_server.all_prompt_text()
        assert "090-1234-5678" not in sent
        assert "<電話番号>" in sent
    finally:
        rt.close()


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        (Verdict.ANSWERED, None),
        (Verdict.NONE, NO_RESULTS),
        (Verdict.CLOSEST, CLOSEST_HEADING),
    ],
)
def test_unanswered_text_per_verdict(verdict: Verdict, expected: str | None) -> None:
    citation = Citation(
        number=1, source="s", title="FAQ", locator="FAQ 1", excerpt="本文", score=1.0
    )
    text = unanswered_text(verdict, [citation])
    if expected is None:
        assert text is None
    else:
        assert text is not None and text.startswith(expected)
        assert ("[1] FAQ FAQ 1" in text) is (verdict is Verdict.CLOSEST)
    assert unanswered_text(Verdict.ANSWERED, []) == NO_RESULTS, "no passage left: nothing found"


def test_a_blocked_prompt_is_stored_in_the_aggressive_mask(runtime: Runtime) -> None:
    """Issue 12: the audit record of a blocked prompt keeps neither what the guard found
    nor the name-, place- and number-like words beside it (guardrails.strict_mask)."""
    question = f"個人番号{MY_NUMBER}の件、焼津市本町の佐々木様宅へ伺う日程"
    answer = runtime.assistant.ask(question, CTX)
    assert answer.status == "blocked"
    record = runtime.audit.get(answer.audit_id or -1)
    assert record is not None
    for value in (MY_NUMBER, "佐々木", "本町"):
        assert value not in record.prompt, record.prompt
    assert "日程" in record.prompt  # the request itself stays readable for the auditor


@pytest.mark.parametrize(
    ("question", "reply", "status"),
    [
        # A near-miss the offline decision lets through (行政手続法 speaks of 申請 and
        # 書類): the model, reading question and passages together, declines.
        (
            "パスポートの申請に必要な書類は",
            "該当する資料が見つかりませんでした。資料は行政手続法の申請の手続に関するもので、"
            "旅券の申請書類は書かれていません。",
            "no_results",
        ),
        # A paraphrase the passages answer: the model answers from them.
        (
            "役所に申請したときの審査の基準は公表されるの？",
            "行政庁は審査基準を公にしておかなければなりません [1]。",
            "answered",
        ),
    ],
)
def test_the_configured_model_is_the_second_judge(
    llm_runtime: Runtime, llm_server: RecordingLLMServer, question: str, reply: str, status: str
) -> None:
    llm_server.reply = reply
    answer = llm_runtime.assistant.ask(question, CTX)
    (request,) = llm_server.chat_requests  # the passages reached the model: it judged
    assert question in llm_server.all_prompt_text() and request.model == "test-model"
    assert (answer.status, answer.mode) == (status, "generated")
    assert answer.text.startswith(reply) and answer.citations
    record = llm_runtime.audit.get(answer.audit_id or -1)
    assert record is not None and record.mode == "generated"
    assert record.status == AuditStatus.ALLOWED


@pytest.mark.parametrize(
    ("reply", "honest"),
    [
        ("該当する資料が見つかりませんでした。", True),
        ("該当する資料が見つかりませんでした", True),
        ("\n「該当する資料が見つかりませんでした」。資料は印鑑登録についてです。", True),
        (
            "審査基準は公にされます [1]。該当する資料が見つかりませんでしたという例外はありません。",
            False,
        ),
        ("該当する資料は次のとおりです [1]。", False),
    ],
)
def test_the_models_honest_answer_is_recognised(reply: str, honest: bool) -> None:
    assert declined(reply) is honest
