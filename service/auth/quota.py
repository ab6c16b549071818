"""Quotas per user and per department (requests a day, tokens a month, JST periods) and
the per-user burst limit; the Japanese refusals carry when to try again."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import structlog
from pydantic import BaseModel

from .errors import QuotaExceededError
from .principal import Principal
from .ratelimit import MinuteRateLimiter
from .usage import Counter, UsageStore

__all__ = ["JST", "QuotaLimits", "QuotaManager", "QuotaStatus", "ScopeStatus"]

log = structlog.get_logger(__name__)

# Days and months are the municipality's: they roll over at midnight in Japan.
JST = timezone(timedelta(hours=9), "JST")


class QuotaLimits(BaseModel):
    """0 = unlimited."""

    user_requests_per_day: int = 0
    department_requests_per_day: int = 0
    user_tokens_per_month: int = 0
    department_tokens_per_month: int = 0
    requests_per_minute: int = 0


class ScopeStatus(BaseModel):
    key: str
    requests_today: int
    requests_per_day: int  # 0 = unlimited
    tokens_this_month: int
    tokens_per_month: int  # 0 = unlimited


class QuotaStatus(BaseModel):
    user: ScopeStatus
    department: ScopeStatus | None
    requests_last_minute: int
    requests_per_minute: int
    day_resets_at: datetime
    month_resets_at: datetime


class QuotaManager:
    def __init__(
        self,
        store: UsageStore,
        limits: QuotaLimits,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rate_limiter: MinuteRateLimiter | None = None,
    ) -> None:
        self.store = store
        self.limits = limits
        self._clock = clock
        self.rate_limiter = rate_limiter or MinuteRateLimiter(limits.requests_per_minute)

    # -- periods ----------------------------------------------------------------------
    def _now(self) -> datetime:
        return self._clock().astimezone(JST)

    def _day(self) -> str:
        return self._now().strftime("%Y-%m-%d")

    def _month(self) -> str:
        return self._now().strftime("%Y-%m")

    def _next_day(self) -> datetime:
        now = self._now()
        return now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)

    def _next_month(self) -> datetime:
        now = self._now()
        first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return (first + timedelta(days=32)).replace(day=1)

    def _until(self, moment: datetime) -> int:
        return math.ceil((moment - self._now()).total_seconds())

    # -- admission --------------------------------------------------------------------
    def admit(self, principal: Principal) -> None:
        """Counts one request of `principal`, or raises QuotaExceededError (nothing counted)."""
        wait = self.rate_limiter.acquire(principal.user)
        if wait:
            limit = self.limits.requests_per_minute
            seconds = math.ceil(wait)
            raise QuotaExceededError(
                f"短時間に多くの要求がありました（1 分あたり {limit:,} 回まで）。"
                f"{seconds} 秒ほど待ってから再度お試しください。",
                retry_after_s=seconds,
                code="rate_limited",
            )
        self._check_tokens(principal)
        day = self._day()
        charges = [(Counter("user", principal.user, day), self.limits.user_requests_per_day)]
        if principal.department:
            charges.append(
                (
                    Counter("department", principal.department, day),
                    self.limits.department_requests_per_day,
                )
            )
        over = self.store.charge(charges)
        if over is not None:
            whose = "" if over.scope == "user" else f"所属（{principal.department}）の"
            limit = {c.scope: lim for c, lim in charges}[over.scope]
            raise QuotaExceededError(
                f"{whose}本日の利用上限（{limit:,} 回）に達しました。"
                "明日 0 時（日本時間）以降に再度お試しください。",
                retry_after_s=self._until(self._next_day()),
            )

    def _check_tokens(self, principal: Principal) -> None:
        month = self._month()
        checks = [("", Counter("user", principal.user, month), self.limits.user_tokens_per_month)]
        if principal.department:
            checks.append(
                (
                    f"所属（{principal.department}）の",
                    Counter("department", principal.department, month),
                    self.limits.department_tokens_per_month,
                )
            )
        for whose, counter, limit in checks:
            if limit and self.store.get(counter).tokens >= limit:
                raise QuotaExceededError(
                    f"{whose}今月の利用上限（{limit:,} トークン）に達しました。"
                    "来月 1 日以降に再度お試しいただくか、管理者に相談してください。",
                    retry_after_s=self._until(self._next_month()),
                    code="token_quota_exceeded",
                )

    # -- accounting -------------------------------------------------------------------
    def record_tokens(self, user: str, department: str, tokens: int) -> None:
        """Adds the model tokens a finished request used. Never fails the request: the
        answer is already there, and a lost count only errs in the staff's favour."""
        month = self._month()
        counters = [Counter("user", user, month)]
        if department:
            counters.append(Counter("department", department, month))
        try:
            self.store.add_tokens(counters, tokens)
        except Exception as exc:  # noqa: BLE001 - logged, see above
            log.warning("quota_tokens_not_recorded", error=type(exc).__name__)

    def status(self, principal: Principal) -> QuotaStatus:
        day, month = self._day(), self._month()

        def scope(kind: str, key: str, per_day: int, per_month: int) -> ScopeStatus:
            return ScopeStatus(
                key=key,
                requests_today=self.store.get(Counter(kind, key, day)).requests,
                requests_per_day=per_day,
                tokens_this_month=self.store.get(Counter(kind, key, month)).tokens,
                tokens_per_month=per_month,
            )

        lim = self.limits
        return QuotaStatus(
            user=scope(
                "user", principal.user, lim.user_requests_per_day, lim.user_tokens_per_month
            ),
            department=scope(
                "department",
                principal.department,
                lim.department_requests_per_day,
                lim.department_tokens_per_month,
            )
            if principal.department
            else None,
            requests_last_minute=self.rate_limiter.used(principal.user),
            requests_per_minute=lim.requests_per_minute,
            day_resets_at=self._next_day(),
            month_resets_at=self._next_month(),
        )
