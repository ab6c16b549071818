"""The answer scheduler holds an answer back while callbacks are being acknowledged, and
never longer than its limit."""

from __future__ import annotations

import asyncio

from service.channels._background import AnswerScheduler


def test_an_answer_waits_for_the_acknowledgements_in_flight() -> None:
    async def scenario() -> list[str]:
        order: list[str] = []
        answers = AnswerScheduler(settle_s=0.001, max_defer_s=60.0)

        async def answer() -> None:
            order.append("answer")

        async with answers.callback():
            answers.start(answer())
            async with answers.callback():  # a second callback arrives meanwhile
                for _ in range(20):
                    await asyncio.sleep(0)
                order.append("second acknowledged")
            order.append("first acknowledged")
        while answers.running:
            await asyncio.sleep(0.001)
        return order

    assert asyncio.run(scenario()) == ["second acknowledged", "first acknowledged", "answer"]


def test_sustained_callbacks_do_not_starve_an_answer() -> None:
    async def scenario() -> bool:
        answers = AnswerScheduler(settle_s=0.001, max_defer_s=0.01)
        done = asyncio.Event()

        async def answer() -> None:
            done.set()

        async with answers.callback():  # never leaves while the answer waits
            answers.start(answer())
            await asyncio.wait_for(done.wait(), timeout=30)
        return done.is_set()

    assert asyncio.run(scenario())


def test_a_failing_answer_is_logged_not_raised() -> None:
    async def scenario() -> int:
        answers = AnswerScheduler(settle_s=0.0, max_defer_s=0.0)

        async def answer() -> None:
            raise RuntimeError("the platform's API is down")

        answers.start(answer())
        while answers.running:
            await asyncio.sleep(0.001)
        return answers.running

    assert asyncio.run(scenario()) == 0
