"""Names of public figures in their public role (``[public] public_roles`` and
``minutes_speakers``, ``body_roles`` / ``public_bodies`` and ``appointment_words`` of
``conf/policy.toml``).

A name is in a public role when one of the configured titles stands right after it
(田中市長, 田中一郎 議員, 田中議員の質問) or right before it with a separator (市長 田中
一郎, 議長（田中一郎君）, 議員の田中さん); with ``minutes_speakers``, also when it is the
speaker of a heading in council minutes: ``○市民課長（田中一郎君）`` or ``○田中一郎
議員　…``, a line that opens with ○. Staff titles (課長, 係長) are not public roles by
default: a staff member's name stays personal data unless the city lists the title.

Also public: a name with a role of a public body (委員長, 委員, 候補者) when the text names
such a body (常任委員会, 教育委員会, 選挙公報); a member called by seat number in minutes
(8番、大塚　剛君); and a name with 氏 or 君 in a sentence that appoints it to a public role
(監査委員に山下一郎氏が就任, 副市長に石川康夫氏が選任) — never a name with さん or 様.
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
# An entry of a list on its header's line: after a separator (two spaces, 、, ：, a
# bracket's end), maybe a seat number (1番, 1) or a title, then the name; after the name
# the next separator or the line's end.
_ENTRY_BEFORE = re.compile(
    rf"(?:[ \u3000]{{1,2}}|[、，:：）)])(?:[0-9]+番?[ \u3000]?|[{_KANJI}\u30a1-\u30fa・]{{1,16}}"
    rf"(?:長|員|者|官|監|役|理事|参事|主幹|参与|代理者)[ \u3000]?)?$"
)
_ENTRY_AFTER = re.compile(rf"(?:[ \u3000]|[、，,（(]|$|[{_KANJI}]{{0,6}}(?:長|員|者))")
# A sentence or a person's honorific between the header and the name: not a list.
_NOT_A_LIST = re.compile(r"[。「」]|さん|様")
# A seat number before a name in minutes (8番、大塚　剛君), and the 君 / 議員 after it.
_SEAT_BEFORE = re.compile(r"[0-9０-９]{1,2}番[、，,\u3000 ]?\Z")
_SEAT_AFTER = re.compile(r"[ \u3000]?(?:君|議員)")
# How an official is named in an appointment: 山下一郎氏, 石川康夫君.
_OFFICIAL_HONORIFIC = re.compile(r"[ \u3000]?(?:氏|君)")
_SENTENCE_STOP = re.compile(r"[。\n]")
# An official's own piece in a bulletin, between the title and the name.
_OWN_PIECES = "(?:コラム|あいさつ|挨拶|メッセージ|のことば|年頭所感)(?:「[^」\\n]{1,24}」)?"
# A candidate in an election notice: 中野弘道（無所属・現）, 高橋秀樹（〇〇党・新）.
_CANDIDATE_AFTER = re.compile(r"[（(][^（()）\n]{1,12}[・･](?:現|新|元|前)[）)]")


def _role_patterns(
    roles: Sequence[str],
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None]:
    """A title right after a name, right before it (with a separator), and a title
    that opens the span found as the name."""
    if not roles:
        return None, None, None
    ordered = "|".join(re.escape(r) for r in sorted(set(roles), key=len, reverse=True))
    return (
        re.compile(rf"[ \u3000・]?({ordered})"),
        # 市長 田中一郎, 市長コラム　田中一郎 (the official's own column or greeting).
        re.compile(rf"({ordered})(?:{_OWN_PIECES})?(?:[ \u3000:：]|の|[（(])[ \u3000]?$"),
        re.compile(rf"({ordered})(?:[ \u3000:：]|[（(][^）)]{{0,8}}[）)])"),
    )


def _alternation(words: Sequence[str]) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!)")
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


class PublicRoles:
    """Tells whether a name stands in a public role."""

    def __init__(
        self,
        roles: Sequence[str],
        *,
        minutes_speakers: bool,
        minutes_headers: Sequence[str] = (),
        body_roles: Sequence[str] = (),
        public_bodies: Sequence[str] = (),
        appointment_words: Sequence[str] = (),
    ) -> None:
        self._minutes = minutes_speakers
        self._headers = tuple(minutes_headers)
        # Roles of a public body (委員長, 委員, 候補者): public only in a text that names
        # such a body (常任委員会, 教育委員会, 選挙公報) — a 委員 of a residents' group or a
        # 採用候補者 is a private person.
        self._body_roles = tuple(body_roles)
        self._bodies = tuple(public_bodies)
        self._appointments = _alternation(appointment_words)
        self._after, self._before, self._inside = _role_patterns(roles)
        self._body_after, self._body_before, self._body_inside = _role_patterns(body_roles)
        self._role_words = _alternation(roles)
        self._body_words = _alternation(body_roles)

    def role_of(self, text: str, start: int, end: int) -> str | None:
        """The public role of the name at ``text[start:end]``, or None."""
        role = self._role_beside(text, start, end, self._after, self._before, self._inside)
        if role is None and self._body_roles and any(b in text for b in self._bodies):
            role = self._role_beside(
                text, start, end, self._body_after, self._body_before, self._body_inside
            )
        if role is not None:
            return role
        if _CANDIDATE_AFTER.match(text, end) and any(b in text for b in self._bodies):
            return "候補者"
        if self._minutes:
            # The heading runs from the start of the line to the name.
            line = text[text.rfind("\n", 0, start) + 1 : start]
            if _SPEAKER_BEFORE.fullmatch(line) and _SPEAKER_AFTER.match(text, end):
                return MINUTES_SPEAKER
            if _HEADING_BEFORE.fullmatch(line) and _HEADING_TITLE.match(text, end):
                return MINUTES_SPEAKER
            # The chair calls a member by seat number: …発言を許します。8番、大塚　剛君。
            if _SEAT_BEFORE.search(text, max(0, start - 8), start) and _SEAT_AFTER.match(text, end):
                return MINUTES_SPEAKER
            if self._headers and self._in_attendance_list(text, start, end):
                return MINUTES_SPEAKER
        return self._appointed(text, start, end)

    def _role_beside(
        self,
        text: str,
        start: int,
        end: int,
        after: re.Pattern[str] | None,
        before: re.Pattern[str] | None,
        inside: re.Pattern[str] | None,
    ) -> str | None:
        if after is None or before is None or inside is None:
            return None
        # The title may start inside the name as found (吉田幹|市長 read as 吉田幹市).
        for back in (0, 1):
            found = after.match(text, end - back)
            if found and (back == 0 or found.end(1) > end):
                return found.group(1)
        head = text[max(0, start - 24) : start]
        found = before.search(head)
        if found:
            return found.group(1)
        # The title found as the start of the name (委員長　杉本健二) or as its end
        # (石川議員・池谷議員 read as two names).
        found = inside.match(text, start, end)
        if found:
            return found.group(1)
        found = after.search(text, start + 2, end)
        return found.group(1) if found and found.end() == end else None

    def _appointed(self, text: str, start: int, end: int) -> str | None:
        """A name with 氏 or 君 in a sentence that appoints it to a public role:
        監査委員に山下一郎氏、増井浩氏が就任 / 副市長には、総務部長の片山伸一氏が起用され —
        the role before the name, the appointment after it, in one sentence."""
        if not _OFFICIAL_HONORIFIC.match(text, end):
            return None
        opening = max(text.rfind(c, 0, start) for c in "。\n") + 1
        stop = _SENTENCE_STOP.search(text, end)
        closing = stop.start() if stop else len(text)
        if not self._appointments.search(text, end, closing):
            return None
        head = text[opening:start]
        found = self._role_words.search(head)
        if found is None and any(b in text for b in self._bodies):
            found = self._body_words.search(head)
        return found.group() if found else None

    def _in_list_on_header_line(self, text: str, line_start: int, start: int, end: int) -> bool:
        """The list runs on the header's line: 出席委員（7名）　委員長　鈴木　晃　　副委員長
        河村　恵子 …, 出席委員：教育長　河合利之、委員　渡部昭雄 — entries of a seat
        number or a title and a name, between list separators, no sentence in between."""
        head = text[line_start:start]
        found = [head.rfind(h) for h in self._headers]
        at = max(found, default=-1)
        if at < 0 or _NOT_A_LIST.search(head, at):
            return False
        return bool(_ENTRY_BEFORE.search(head)) and bool(_ENTRY_AFTER.match(text, end))

    def _in_attendance_list(self, text: str, start: int, end: int) -> bool:
        """The name is an entry of an attendance list of minutes: its line is a seat
        number or a title and the name (1番　田中一郎, 総務部長　田中一郎), and a header
        (出席議員, 説明のため出席した者 …) opens the list above it, no blank line between."""
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if self._in_list_on_header_line(text, line_start, start, end):
            return True
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
