"""Names of public figures in their public role (``[public] public_roles`` and
``minutes_speakers`` of ``conf/policy.toml``).

A name is in a public role when one of the configured titles stands right after it
(田中市長, 田中一郎 議員, 田中議員の質問) or right before it with a separator (市長 田中
一郎, 議長（田中一郎君）, 議員の田中さん); with ``minutes_speakers``, also when it is the
speaker of a heading in council minutes: ``○市民課長（田中一郎君）`` or ``○田中一郎
議員　…``, a line that opens with ○. Staff titles (課長, 係長) are not public roles by
default: a staff member's name stays personal data unless the city lists the title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_KANJI = "\u3005\u4e00-\u9fff"
# The cue reported for a speaker of council minutes.
MINUTES_SPEAKER = "会議録の発言者"
# The opening of a speaker heading in minutes, up to the bracket before the name.
_SPEAKER_BEFORE = re.compile(r"[ \u3000]*[○◯〇◎][^\n（()]{1,20}[（(][ \u3000]?")
_SPEAKER_AFTER = re.compile(r"[ \u3000]?(?:君|議員|委員|さん|氏)?[）)]")
# ○田中一郎議員 / ○田中市民課長: the name opens the heading, a title follows.
_HEADING_BEFORE = re.compile(r"[ \u3000]*[○◯〇◎][ \u3000]?")
_HEADING_TITLE = re.compile(
    rf"[ \u3000]?[{_KANJI}]{{0,10}}(?:長|員|者|官|監|役|理事|参事|主幹|参与)(?=[ \u3000（(]|$)"
)


# A line of an attendance list of minutes: a seat number or a title, then the name.
_LIST_LINE = re.compile(
    rf"[ \u3000]*(?:[0-9]+番|[{_KANJI}\u3041-\u3096\u30a1-\u30fa・]{{1,16}}"
    rf"(?:長|員|者|官|監|役|理事|参事|主幹|参与))?[ \u3000]*"
)
_MAX_LIST_LINES = 40


class PublicRoles:
    """Tells whether a name stands in a public role."""

    def __init__(
        self,
        roles: Sequence[str],
        *,
        minutes_speakers: bool,
        minutes_headers: Sequence[str] = (),
    ) -> None:
        self._minutes = minutes_speakers
        self._headers = tuple(minutes_headers)
        if roles:
            ordered = "|".join(re.escape(r) for r in sorted(set(roles), key=len, reverse=True))
            self._after: re.Pattern[str] | None = re.compile(rf"[ \u3000・]?({ordered})")
            self._before: re.Pattern[str] | None = re.compile(
                rf"({ordered})(?:[ \u3000:：]|の|[（(])[ \u3000]?$"
            )
        else:
            self._after = self._before = None

    def role_of(self, text: str, start: int, end: int) -> str | None:
        """The public role of the name at ``text[start:end]``, or None."""
        head = text[max(0, start - 24) : start]
        if self._after is not None and self._before is not None:
            # The title may start inside the name as found (吉田幹|市長 read as 吉田幹市).
            for back in (0, 1):
                after = self._after.match(text, end - back)
                if after and (back == 0 or after.end(1) > end):
                    return after.group(1)
            before = self._before.search(head)
            if before:
                return before.group(1)
        if self._minutes:
            # The heading runs from the start of the line to the name.
            line = text[text.rfind("\n", 0, start) + 1 : start]
            if _SPEAKER_BEFORE.fullmatch(line) and _SPEAKER_AFTER.match(text, end):
                return MINUTES_SPEAKER
            if _HEADING_BEFORE.fullmatch(line) and _HEADING_TITLE.match(text, end):
                return MINUTES_SPEAKER
            if self._headers and self._in_attendance_list(text, start, end):
                return MINUTES_SPEAKER
        return None

    def _in_attendance_list(self, text: str, start: int, end: int) -> bool:
        """The name is an entry of an attendance list of minutes: its line is a seat
        number or a title and the name (1番　田中一郎, 総務部長　田中一郎), and a header
        (出席議員, 説明のため出席した者 …) opens the list above it, no blank line between."""
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if not (
            _LIST_LINE.fullmatch(text, line_start, start)
            and not text[end:line_end].strip(" \u3000")
        ):
            return False
        cursor = line_start
        for _ in range(_MAX_LIST_LINES):
            if cursor == 0:
                return False
            above = text.rfind("\n", 0, cursor - 1) + 1
            line = text[above : cursor - 1]
            if not line.strip():
                return False
            if any(header in line for header in self._headers):
                return True
            cursor = above
        return False
