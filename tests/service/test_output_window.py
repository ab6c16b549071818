"""The output guard's sliding window (service.pipeline.output_guard) with the real guard:
a value split over a line break, arriving in pieces of any size anywhere in a long
answer, never leaves unmasked."""

from __future__ import annotations

import random

from guardrails import build_guard
from service.pipeline.output_guard import OutputWindow, guard_output

LEAD = "市民課の窓口は平日の午前8時30分から午後5時15分まで開いています。\n"
TAIL = "担当者の携帯は090-1234-\n5678です。よろしくお願いします。"


def test_a_number_split_over_a_line_never_leaves_whole_or_in_part() -> None:
    guard = build_guard()
    rng = random.Random(13)
    for lead in range(0, 6):
        text = LEAD * lead + TAIL + LEAD
        window = OutputWindow(guard)
        released = []
        at = 0
        while at < len(text):
            size = rng.randint(1, 12)
            released.append(window.add(text[at : at + size]))
            at += size
        released.append(window.flush())
        sent = "".join(released)
        assert "5678" not in sent and "090-1234" not in sent, (lead, sent)
        assert "<電話番号>" in sent
        assert window.raw == text
        stored = window.whole(lambda t: guard_output(guard, t))
        assert "5678" not in stored and "<電話番号>" in stored
