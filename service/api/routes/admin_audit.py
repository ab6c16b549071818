"""`/v1/admin/audit/*` and `/v1/admin/usage`: the administrators' console reads the audit
log, its statistics, its export and its tamper check, and the quota counters.

Only the read side lives here; the store (service.audit) does the querying. Query
parameters arrive as strings and are validated here, so that a mistyped date or limit gets
the API's error body with a Japanese message (FastAPI's own 422 is English and lists
pydantic internals). Responses carry `Cache-Control: no-store`: audit records must not
stay behind in a shared browser's or proxy's cache.
"""

from __future__ import annotations

import io
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime
from typing import Annotated

import anyio.to_thread
import structlog
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select

from guardrails import ENTITY_LABELS_JA

from ...audit import (
    JST,
    AuditFilter,
    AuditPage,
    AuditRecordView,
    AuditStats,
    AuditStatus,
    AuditStore,
    Channel,
    ExportFormat,
)
from ...audit._time import jst_iso
from ...auth import Permission, Principal, QuotaLimits, ScopeStatus
from ...auth.db import usage_counters
from ...errors import YakubaError
from ..access import AccessDep, require
from ..deps import RuntimeDep
from ..errors import http_error
from ..schemas import FIRST_DAY, LAST_DAY, MAX_ID, ErrorResponse

__all__ = [
    "ChainBreakView",
    "FeedbackView",
    "RecordDetail",
    "StatsResponse",
    "UsageReport",
    "VerifyResult",
    "audit_filter",
    "build_filter",
    "router",
]

log = structlog.get_logger(__name__)


def _no_store(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"


_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorResponse, "description": "ログインが必要"},
    403: {"model": ErrorResponse, "description": "権限がない"},
    422: {"model": ErrorResponse, "description": "検索条件の誤り（invalid_input、日本語の説明）"},
}

router = APIRouter(
    prefix="/v1/admin", tags=["admin"], dependencies=[Depends(_no_store)], responses=_ERRORS
)


# -- query parameters ------------------------------------------------------------------------
# Typed, so that a mistyped date, channel or limit is refused like any invalid request: 422
# with a Japanese message per field (service.api.validation). The console leaves empty
# fields out of the query rather than sending "".

SinceParam = Annotated[
    date | None,
    Query(
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="最初の日（日本時間、当日を含む）YYYY-MM-DD",
        examples=["2026-04-01"],
    ),
]
UntilParam = Annotated[
    date | None,
    Query(
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="最後の日（日本時間、当日を含む）YYYY-MM-DD",
        examples=["2026-04-30"],
    ),
]
DepartmentParam = Annotated[str | None, Query(max_length=256, description="所属（課）")]
UserParam = Annotated[str | None, Query(max_length=256, description="利用者 ID")]
ChannelParam = Annotated[Channel | None, Query(description="経路")]
StatusParam = Annotated[AuditStatus | None, Query(description="結果")]
TaskParam = Annotated[
    str | None, Query(max_length=32, description="ask / draft / summarize / translate / …")
]
TextParam = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=200,
        description="秘匿化済みの入力または回答に含まれる語（全件走査: 期間と併用を推奨）",
    ),
]
LimitParam = Annotated[int, Query(ge=1, le=500, description="1 ページの件数")]
CursorParam = Annotated[
    str | None, Query(max_length=200, description="前のページの next_cursor（次の古いページ）")
]


def invalid_query(field: str, message: str) -> RequestValidationError:
    """A refusal in the shape of FastAPI's own, so the same Japanese handler answers it."""
    return RequestValidationError(
        [
            {
                "type": "value_error",
                "loc": ("query", field),
                "msg": message,
                "ctx": {"error": message},
            }
        ]
    )


def build_filter(
    *,
    since: date | None,
    until: date | None,
    department: str | None,
    user: str | None,
    channel: Channel | None,
    status: AuditStatus | None,
    task: str | None,
    text: str | None,
) -> AuditFilter:
    try:
        return AuditFilter(
            since=since,
            until=until,
            department=department,
            user=user,
            channel=channel,
            status=status,
            task=task,
            text=text,
        )
    except ValidationError as exc:
        # The one rule the parameters cannot check one by one: the period's order.
        error = exc.errors()[0]
        message = str(error.get("ctx", {}).get("error") or error["msg"])
        raise invalid_query("until", message) from None


def audit_filter(
    since: SinceParam = None,
    until: UntilParam = None,
    department: DepartmentParam = None,
    user: UserParam = None,
    channel: ChannelParam = None,
    status: StatusParam = None,
    task: TaskParam = None,
    text: TextParam = None,
) -> AuditFilter:
    return build_filter(
        since=since,
        until=until,
        department=department,
        user=user,
        channel=channel,
        status=status,
        task=task,
        text=text,
    )


FilterDep = Annotated[AuditFilter, Depends(audit_filter)]


async def get_audit(runtime: RuntimeDep) -> AuditStore:  # a lookup: no worker thread
    return runtime.audit


AuditDep = Annotated[AuditStore, Depends(get_audit)]


def search_page(store: AuditStore, flt: AuditFilter, limit: int, cursor: str | None) -> AuditPage:
    try:
        return store.search(flt, limit=limit, cursor=cursor or None)
    except ValueError as exc:  # a malformed cursor; the store's message is Japanese
        raise invalid_query("cursor", str(exc)) from None


# -- records -------------------------------------------------------------------------------


@router.get(
    "/audit/records",
    summary="監査ログの検索（新しい順、ページ単位）",
    dependencies=[require(Permission.AUDIT_READ)],
)
def list_records(
    store: AuditDep, flt: FilterDep, limit: LimitParam = 50, cursor: CursorParam = None
) -> AuditPage:
    return search_page(store, flt, limit, cursor)


class FeedbackView(BaseModel):
    id: int
    created_at: str = Field(description="JST, ISO 8601 with +09:00")
    user: str
    rating: str
    comment: str = Field(description="as the guard redacted it")
    findings: dict[str, int]


class RecordDetail(AuditRecordView):
    feedback: list[FeedbackView]


@router.get(
    "/audit/records/{record_id}",
    summary="監査記録 1 件（評価・コメントを含む）",
    dependencies=[require(Permission.AUDIT_READ)],
    responses={404: {"model": ErrorResponse, "description": "記録がない"}},
)
def get_record(store: AuditDep, record_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> RecordDetail:
    record = store.get(record_id)
    if record is None:
        raise http_error(
            "not_found", f"監査記録 {record_id} はありません（削除済みの可能性があります）。"
        )
    view = AuditRecordView.from_row(record.as_dict())
    feedback = [
        FeedbackView(
            id=f.id,
            created_at=jst_iso(f.created_at),
            user=f.user,
            rating=f.rating,
            comment=f.comment,
            findings=f.findings,
        )
        for f in store.feedback(audit_id=record_id)
    ]
    return RecordDetail(**view.model_dump(), feedback=feedback)


# -- statistics ------------------------------------------------------------------------------


class StatsResponse(AuditStats):
    entity_labels: dict[str, str] = Field(
        description="entity type → Japanese label, for every type the guard knows"
    )


@router.get(
    "/audit/stats",
    summary="利用状況の集計（所属・日・業務・経路・結果、検出の種類）",
    dependencies=[require(Permission.AUDIT_READ)],
)
def stats(store: AuditDep, flt: FilterDep) -> StatsResponse:
    return StatsResponse(**store.stats(flt).model_dump(), entity_labels=dict(ENTITY_LABELS_JA))


# -- export ---------------------------------------------------------------------------------

_CHUNK_CHARS = 64 * 1024
# Chunks waiting for a slow client: memory stays under about this × _CHUNK_CHARS × 4 bytes.
_QUEUE_CHUNKS = 8
_DONE = object()


class _Stopped(Exception):
    """The client went away: the producer thread stops writing."""


class _ChunkWriter(io.StringIO):
    """A text stream that hands its content to `put` in pieces of about _CHUNK_CHARS."""

    def __init__(self, put: Callable[[object], None]) -> None:
        super().__init__()
        self._put = put

    def write(self, s: str, /) -> int:
        n = super().write(s)
        if self.tell() >= _CHUNK_CHARS:
            self.drain()
        return n

    def drain(self) -> None:
        if self.tell():
            self._put(self.getvalue().encode("utf-8"))
            self.seek(0)
            self.truncate()


class _ExportStream:
    """Runs `store.export` in a thread of its own and passes its output on through a
    bounded queue. One thread from start to end matters: the store's server-side cursor
    belongs to one database connection, which must not hop between worker threads (as a
    plain generator body would, one `next()` per thread-pool call)."""

    def __init__(self, store: AuditStore, fmt: ExportFormat, flt: AuditFilter) -> None:
        self._queue: queue.Queue[object] = queue.Queue(maxsize=_QUEUE_CHUNKS)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._produce, args=(store, fmt, flt), name="audit-export", daemon=True
        )
        self.count = 0

    def _put(self, item: object) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        raise _Stopped

    def _produce(self, store: AuditStore, fmt: ExportFormat, flt: AuditFilter) -> None:
        try:
            out = _ChunkWriter(self._put)
            self.count = store.export(out, fmt, flt)
            out.drain()
            self._put(_DONE)
        except _Stopped:
            return
        except Exception as exc:  # noqa: BLE001 - handed to the consumer
            try:
                self._put(exc)
            except _Stopped:
                return

    def _get(self) -> object:
        while True:
            try:
                return self._queue.get(timeout=1.0)
            except queue.Empty:
                if not self._thread.is_alive() and self._queue.empty():
                    return _DONE

    def first(self) -> object:
        """Starts the export and waits for its first piece (the header at least), so that
        a failure to read the database is still an HTTP error rather than a cut file."""
        self._thread.start()
        return self._get()

    async def rest(self, first: object) -> AsyncIterator[bytes]:
        """The whole body: `first` (what first() returned), then the rest as it comes."""
        try:
            if first is _DONE:  # nothing at all (JSONL of no records)
                return
            assert isinstance(first, bytes)
            yield first
            while True:
                item = await anyio.to_thread.run_sync(self._get)
                if item is _DONE:
                    return
                if isinstance(item, BaseException):
                    # Headers are sent: breaking the connection is how the client learns
                    # that the file is incomplete.
                    log.error("audit_export_failed", error=type(item).__name__)
                    raise item
                assert isinstance(item, bytes)
                yield item
        finally:
            self._stop.set()


_MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


@router.get(
    "/audit/export",
    summary="監査ログの書き出し（CSV: Excel 用 BOM 付き UTF-8、または JSONL）",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/csv": {}, "application/x-ndjson": {}},
            "description": "絞り込んだ記録を古い順に（逐次送信）",
        }
    },
)
def export(
    store: AuditDep,
    flt: FilterDep,
    principal: Annotated[Principal, require(Permission.AUDIT_EXPORT)],
    fmt: Annotated[ExportFormat, Query(alias="format", description="csv / jsonl")] = "csv",
) -> StreamingResponse:
    stream = _ExportStream(store, fmt, flt)
    first = stream.first()
    if isinstance(first, BaseException):
        message = str(first) if isinstance(first, YakubaError) else type(first).__name__
        raise http_error("audit_error", f"監査ログを書き出せませんでした: {message}")
    # Who exported, never what: the filter's text may itself be personal data.
    log.info("audit_export", user=principal.user, format=fmt)
    stamp = datetime.now(JST).strftime("%Y%m%d-%H%M%S")
    headers = {
        "Content-Disposition": f'attachment; filename="yakuba-audit-{stamp}.{fmt}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(stream.rest(first), media_type=_MEDIA_TYPES[fmt], headers=headers)


# -- tamper check ---------------------------------------------------------------------------


class ChainBreakView(BaseModel):
    record_id: int
    reason: str
    checkpoint_id: int | None = None


class VerifyResult(BaseModel):
    ok: bool | None = Field(description="true: intact; false: see breaks; null: not checked yet")
    checked: int = Field(description="records in the log when the check began")
    breaks: list[ChainBreakView]
    verified_at: str | None = Field(default=None, description="JST, ISO 8601; null: never")
    duration_ms: int = 0
    cached: bool = Field(default=False, description="the last result, not a new check")


class _VerifyCache:
    """The last result, kept per app: a check reads the whole log, which takes a while on
    a big one, so the console shows the last result and checks again on request. One check
    at a time: a second request waits and gets a fresh result of its own."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last: VerifyResult | None = None


async def _verify_cache(request: Request) -> _VerifyCache:
    # On the event loop, so two first requests cannot each create a cache.
    state = request.app.state
    cache: _VerifyCache | None = getattr(state, "audit_verify_cache", None)
    if cache is None:
        cache = _VerifyCache()
        state.audit_verify_cache = cache
    return cache


@router.get(
    "/audit/verify",
    summary="改ざん検知（ハッシュチェーンの検証）",
    dependencies=[require(Permission.AUDIT_READ)],
)
def verify(
    store: AuditDep,
    cache: Annotated[_VerifyCache, Depends(_verify_cache)],
    cached: Annotated[bool, Query(description="true: 前回の結果を返す（検証しない）")] = False,
) -> VerifyResult:
    if cached:
        if cache.last is None:
            return VerifyResult(ok=None, checked=0, breaks=[], cached=True)
        return cache.last.model_copy(update={"cached": True})
    with cache.lock:
        started = time.monotonic()
        checked = store.count()
        breaks = store.verify()
        result = VerifyResult(
            ok=not breaks,
            checked=checked,
            breaks=[
                ChainBreakView(
                    record_id=b.record_id, reason=b.reason, checkpoint_id=b.checkpoint_id
                )
                for b in breaks
            ],
            verified_at=datetime.now(JST).isoformat(timespec="seconds"),
            duration_ms=round((time.monotonic() - started) * 1000),
        )
        cache.last = result
    return result


# -- quotas ---------------------------------------------------------------------------------


class UsageReport(BaseModel):
    day: str = Field(description="today in Japan (YYYY-MM-DD): the period of request counts")
    month: str = Field(description="this month in Japan (YYYY-MM): the period of token counts")
    limits: QuotaLimits = Field(description="0 = unlimited")
    users: list[ScopeStatus]
    departments: list[ScopeStatus]


@router.get(
    "/usage",
    summary="利用上限の状況（利用者別・所属別: 本日の依頼数、今月のトークン数）",
    dependencies=[require(Permission.USAGE_READ)],
)
def usage(access: AccessDep) -> UsageReport:
    now = datetime.now(UTC).astimezone(JST)
    day, month = now.strftime("%Y-%m-%d"), now.strftime("%Y-%m")
    t = usage_counters
    # One query over the two periods' rows (indexed by period); a user or department that
    # has counted anything today or this month appears.
    stmt = select(t.c.scope, t.c.key, t.c.period, t.c.requests, t.c.tokens).where(
        t.c.period.in_([day, month])
    )
    rows: dict[tuple[str, str], dict[str, int]] = {}
    with access.engine.connect() as conn:
        for scope, key, period, requests, tokens in conn.execute(stmt):
            slot = rows.setdefault((str(scope), str(key)), {"requests": 0, "tokens": 0})
            if period == day:
                slot["requests"] = int(requests)
            else:
                slot["tokens"] = int(tokens)
    lim = access.quota.limits

    def statuses(scope: str, per_day: int, per_month: int) -> list[ScopeStatus]:
        return sorted(
            (
                ScopeStatus(
                    key=key,
                    requests_today=v["requests"],
                    requests_per_day=per_day,
                    tokens_this_month=v["tokens"],
                    tokens_per_month=per_month,
                )
                for (kind, key), v in rows.items()
                if kind == scope
            ),
            key=lambda s: (-s.requests_today, -s.tokens_this_month, s.key),
        )

    return UsageReport(
        day=day,
        month=month,
        limits=lim,
        users=statuses("user", lim.user_requests_per_day, lim.user_tokens_per_month),
        departments=statuses(
            "department", lim.department_requests_per_day, lim.department_tokens_per_month
        ),
    )
