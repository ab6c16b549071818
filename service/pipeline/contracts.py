"""What a channel hands the pipeline (`RequestContext`) and gets back (`Answer`, with its
`Citation`s). These are the names every channel — web page, OpenAI API, CLI, chat-tool
bots, bulk FAQ jobs — builds on; everything in an `Answer` is screened text."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

GuardAction = Literal["allow", "mask", "placeholder", "block"]

EXTRACTIVE_NOTICE = "※ 生成モデルが設定されていないため、関連する資料の該当箇所をそのまま引用しています（抽出モード）。"
DEGRADED_NOTICE = (
    "※ 生成モデルから回答を得られなかったため、関連する資料の該当箇所をそのまま引用しています"
    "（抽出モード）。"
)
CHECK_NOTICE = "※ 生成AIの出力です。内容は必ず原典で確認してから業務に利用してください。"
TASK_CHECK_NOTICE = (
    "※ 生成AIの出力です。内容・表現・事実関係は必ず職員が確認してから業務に利用してください。"
)
NO_MODEL_MESSAGE = "生成モデルが設定されていません（YAKUBA_LLM_BASE_URL と YAKUBA_LLM_MODEL）。"
NO_RESULTS = "該当する資料が見つかりませんでした。"


class RequestContext(BaseModel):
    """Who asks, from where, and why; recorded in the audit log."""

    user: str = Field(min_length=1, max_length=256)
    department: str = Field(default="", max_length=256)
    role: str = "staff"
    channel: str = Field(default="cli", max_length=32)
    purpose: str = Field(default="", max_length=500)
    chat_user: str = Field(default="", max_length=256, description="a bot's chat account")


class Citation(BaseModel):
    """A retrieved passage as staff see it: every text field is the screened form."""

    number: int
    source: str
    title: str
    locator: str
    heading: str = ""
    excerpt: str
    score: float

    @property
    def label(self) -> str:
        caption = f"（{self.heading}）" if self.heading else ""
        return f"{self.title} {self.locator}{caption}"


class ReplacedValue(BaseModel):
    """One placeholder sent to the model in place of a resident's value (never the value)."""

    placeholder: str = Field(description="〈氏名1〉 …")
    type: str = Field(description="entity type, e.g. PERSON")
    label: str = Field(description="種類の日本語名（氏名、住所 …）")
    count: int = Field(description="how many times it replaced a value in the request")


class PlaceholderIssue(BaseModel):
    """A placeholder the model wrote differently, invented or dropped (docs/placeholders.md)."""

    kind: Literal["normalised", "changed", "invented", "dropped"]
    written: str = Field(description="what the model wrote (a placeholder form, never a value)")
    placeholder: str | None = Field(default=None, description="the placeholder it likely means")
    message: str = Field(description="Japanese, for the staff member")


class PlaceholderSummary(BaseModel):
    """What a request with placeholders replaced, and how the answer came back."""

    replaced: list[ReplacedValue] = Field(default_factory=list)
    counts: dict[str, int] = Field(
        default_factory=dict, description="entity type → spans replaced (placeholders and masks)"
    )
    restored: int = Field(default=0, description="placeholders put back into the answer")
    issues: list[PlaceholderIssue] = Field(default_factory=list)
    expired: bool = Field(
        default=False, description="the mapping expired before the answer: nothing restored"
    )


class Answer(BaseModel):
    request_id: str
    status: Literal["answered", "no_results", "blocked", "failed"]
    mode: Literal["generated", "extractive", "none"]
    text: str
    citations: list[Citation] = Field(default_factory=list)
    guard_action: GuardAction
    findings: dict[str, int] = Field(default_factory=dict)
    model: str = ""
    audit_id: int | None = None
    error_code: str = ""
    task: str = ""
    prompt_ref: str = ""
    notices: list[str] = Field(
        default_factory=list,
        description="what staff should know: masked values, a restricted purpose's warning",
    )
    placeholders: PlaceholderSummary | None = Field(
        default=None, description="set when the request asked for placeholders"
    )
