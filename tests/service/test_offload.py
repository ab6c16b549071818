"""A step over a short text runs on the event loop; over a long one, in a worker thread."""

from __future__ import annotations

import asyncio
import threading

import pytest

from service.offload import INLINE_CHARS, run_sized


def _thread_name(label: str, *, suffix: str = "") -> str:
    return f"{label}{suffix}:{threading.current_thread().name}"


@pytest.mark.parametrize(
    ("chars", "on_loop"),
    [(0, True), (50, True), (INLINE_CHARS, True), (INLINE_CHARS + 1, False), (8_000, False)],
)
def test_where_a_step_runs(chars: int, on_loop: bool) -> None:
    async def scenario() -> tuple[str, str]:
        loop_thread = threading.current_thread().name
        ran = await run_sized(chars, _thread_name, "step", suffix="!")
        return loop_thread, ran

    loop_thread, ran = asyncio.run(scenario())
    assert ran.startswith("step!:")  # arguments and keywords reach the step
    assert (ran == f"step!:{loop_thread}") is on_loop


def test_a_failing_step_raises_where_it_is_awaited() -> None:
    def fail() -> None:
        raise ValueError("壊れた")

    for chars in (1, INLINE_CHARS * 10):
        with pytest.raises(ValueError, match="壊れた"):
            asyncio.run(run_sized(chars, fail))
