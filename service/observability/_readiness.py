"""`/readyz`: can this instance serve? The audit database answers (no request may run
without its record), the index answers, and — when the operator asks for it — the model
server lists its models. Each check is bounded in time; a hung dependency is "not ready",
never a hung probe."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import anyio
import anyio.to_thread
from pydantic import BaseModel


class ReadinessCheck(BaseModel):
    name: str
    ok: bool
    detail: str
    ms: float


class Readiness:
    def __init__(self, checks: Mapping[str, Callable[[], object]], timeout_s: float) -> None:
        self.checks = dict(checks)
        self.timeout_s = timeout_s

    async def run(self) -> list[ReadinessCheck]:
        results: dict[str, ReadinessCheck] = {}

        async def one(name: str, check: Callable[[], object]) -> None:
            started = time.perf_counter()
            ok, detail = False, f"{self.timeout_s:g} 秒以内に応答がありません"
            with anyio.move_on_after(self.timeout_s):
                try:
                    await anyio.to_thread.run_sync(check, abandon_on_cancel=True)
                    ok, detail = True, "ok"
                except Exception as exc:
                    # The class name only: messages may carry URLs with credentials.
                    ok, detail = False, f"応答がありません（{type(exc).__name__}）"
            results[name] = ReadinessCheck(
                name=name, ok=ok, detail=detail, ms=round((time.perf_counter() - started) * 1000, 1)
            )

        async with anyio.create_task_group() as tg:
            for name, check in self.checks.items():
                tg.start_soon(one, name, check)
        return [results[name] for name in self.checks]
