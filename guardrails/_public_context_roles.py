"""Names in a role that is public only in a kind of text (``[[public.context_roles]]``).

A council member or the mayor is public wherever named (``_public_roles``). Other people
are named in their role only in certain public or official texts, and there the name is
not a resident's data:

* staff in internal correspondence and personnel notices (職員間の文書): 「福祉政策課長
  山口様」, 「広報広聴課　杉村（内線2134）」, 「市民課の村松です」, 「総務部長　青島健一
  （総務部次長）」 — but 「市民課の田中係長に確認」 in a note about a case stays personal;
* a firm's representative or site agent in a procurement result (代表取締役, 現場代理人);
* a doctor on a holiday rota (院長); the chair of an advisory council (会長, 教授);
* a lecturer or conductor of a public event (講師：臨床心理士　小野寺まり氏, 指揮：…);
* the recipients of an award (表彰: 民生委員児童委員　大石俊夫氏).

Each entry of the policy names its kind (``label``), the words that make a text that kind
(``contexts``), and the roles that then make a name public (``roles``: right after the
name, right before it — a label may hold one more word, 講師：臨床心理士　… — at the start
of the span read as the name, or in brackets after it: 田村英司（静岡県立大学教授）).
``honorifics`` (氏) make a name public by themselves in that kind of text, and
``signatures`` a name written right after a unit's name (市民課の村松です, 総務課 片山,
内線2211（前田））; with ``letter_lines`` a text whose first or last line is a unit and a
name is that kind without a context word. The cues shown to staff are the context word
and the role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_KANJI = "\u3005\u4e00-\u9fff"
_SEP = r"(?:[ \u3000:：]|の|[（(])"
# One more word between a label and the name: a profession or affiliation (臨床心理士,
# 元小泉八雲記念館長, 静岡大学) — no sentence or list punctuation inside.
_ONE_WORD = r"(?:[^\s。、，,（()）：:「」]{1,14}[ \u3000]+)?"
# A unit of the city right before a name (市民課の, 広報広聴課　, 情報政策課 ) — kanji or
# kana words ending in a unit's suffix.
_UNIT_BEFORE = re.compile(
    rf"([{_KANJI}\u3041-\u3096\u30a1-\u30fa\u30fc・]{{1,14}}"
    r"(?:課|係|室|担当|センター|事務所|事務局|部|局|所))(?:の|[ \u3000]+|[:：][ \u3000]?)$"
)
# What follows a staff member's name in a signature or self-introduction.
_SIGNATURE_AFTER = re.compile(
    r"(?:です|でございます|から|より|が(?:担当|対応)|[ \u3000]*[（(]|[ \u3000]*内線|[ \u3000]*$|[、，,])"
)
# A salutation line: the unit and the name (and an honorific) are the whole line.
_SALUTATION_AFTER = re.compile(r"(?:さん|様|殿)?[ \u3000]*$")
_EXTENSION_BEFORE = re.compile(r"内線[ \u3000]?[0-9０-９]{2,5}[（(]$")
# A unit read into the name's span (商工課　増田 of 商工課　増田さん).
_UNIT_INSIDE = re.compile(
    rf"[{_KANJI}\u3041-\u3096\u30a1-\u30fa\u30fc・]{{1,14}}(?:課|係|室|センター|事務局)[ \u3000]+"
)
# An appointment: 市民課窓口係長に小松原恵美が着任.
_APPOINTED_AFTER = re.compile(r"[ \u3000]?(?:が(?:着任|就任|異動|昇任)|を(?:任命|配置))")
# A letter line of internal mail — its first or last line: a unit and a name, maybe a
# title, an honorific or an extension (こども家庭課　青木係長 / 子育て支援課　松下).
_LETTER_LINE = re.compile(
    rf"(?:(?:To|From|to|from)[:：][ \u3000]?)?[{_KANJI}\u3041-\u3096\u30a1-\u30fa\u30fc・ \u3000]{{1,24}}"
    rf"(?:課|係|室|センター|事務局)[ \u3000]+[{_KANJI}\u3041-\u3096\u30a1-\u30fa\u30fc]{{1,6}}"
    rf"(?:[{_KANJI}]{{1,4}}(?:長|査|任|事|幹))?(?:さん|様|殿)?(?:[ \u3000]?[（(]?内線[ \u3000]?[0-9０-９]{{2,5}}[）)]?)?[ \u3000]*"
)
LETTER_LINE_CUE = "職員の宛名・署名の行"


@dataclass(frozen=True)
class ContextRoles:
    """One ``[[public.context_roles]]`` entry (see the module doc)."""

    label: str
    contexts: tuple[str, ...]
    roles: tuple[str, ...] = ()
    honorifics: tuple[str, ...] = ()
    signatures: bool = False
    letter_lines: bool = False
    """A text opening or closing with a unit and a name is this kind without a context
    word (staff mail: こども家庭課　青木係長 … 子育て支援課　松下)."""


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class _Compiled:
    def __init__(self, entry: ContextRoles) -> None:
        self.entry = entry
        self.context = re.compile(_alternation(entry.contexts))
        roles = _alternation(entry.roles) if entry.roles else None
        self.after = re.compile(rf"[ \u3000・]?({roles})") if roles else None
        self.before = re.compile(rf"({roles}){_SEP}[ \u3000]?{_ONE_WORD}$") if roles else None
        self.inside = re.compile(rf"({roles})[ \u3000:：]") if roles else None
        self.appointed = re.compile(rf"({roles})に$") if roles else re.compile(r"(?!)")
        self.bracket = re.compile(rf"[（(][^（()）\n]{{0,16}}?({roles})[）)]") if roles else None
        honorifics = _alternation(entry.honorifics) if entry.honorifics else None
        self.honorific = re.compile(rf"[ \u3000]?({honorifics})") if honorifics else None


class ContextRoleRules:
    """The policy's context roles, compiled once per guard."""

    def __init__(self, entries: Sequence[ContextRoles]) -> None:
        self._entries = tuple(_Compiled(e) for e in entries if e.contexts)

    def __bool__(self) -> bool:
        return bool(self._entries)

    def role_of(self, text: str, start: int, end: int) -> tuple[str, ...] | None:
        """The cues (context word, role, label) that make the name at
        ``text[start:end]`` public, or None."""
        for c in self._entries:
            found = c.context.search(text)
            context = found.group() if found else None
            if context is None and c.entry.letter_lines and _letter_lines(text):
                context = LETTER_LINE_CUE
            if context is None:
                continue
            role = self._role(c, text, start, end)
            if role is not None:
                return (context, role, c.entry.label)
        return None

    @staticmethod
    def _role(c: _Compiled, text: str, start: int, end: int) -> str | None:
        line_start = text.rfind("\n", 0, start) + 1
        head = text[max(line_start, start - 32) : start]
        if c.after is not None and c.before is not None and c.inside and c.bracket:
            for back in (0, 1):  # a title read into the name (大塚課|長)
                found = c.after.match(text, end - back)
                if found and (back == 0 or found.end(1) > end):
                    return found.group(1)
            found = c.before.search(head)
            if found:
                return found.group(1)
            found = c.appointed.search(head)
            if found and _APPOINTED_AFTER.match(text, end):
                return found.group(1)
            found = c.inside.match(text, start, end)
            if found:
                return found.group(1)
            found = c.bracket.match(text, end)
            if found:
                return found.group(1)
        if c.honorific is not None:
            found = c.honorific.match(text, end)
            if found:
                return found.group(1)
        if c.entry.signatures:
            return _signature(text, head, start, end, line_start)
        return None


def _signature(text: str, head: str, start: int, end: int, line_start: int) -> str | None:
    """A staff member named after their unit: 市民課の村松です, 総務課 片山 (a line's
    end), 財政課 佐野（内線2213）, a salutation line 広報広聴課　杉村さん, or after an
    extension: 内線2211（前田）."""
    if _EXTENSION_BEFORE.search(head):
        return "内線"
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    inside = _UNIT_INSIDE.match(text, start, end)
    if inside is not None and not text[line_start:start].strip(" \u3000"):
        if _SALUTATION_AFTER.fullmatch(text, end, line_end) or _SIGNATURE_AFTER.match(text, end):
            return inside.group().strip(" \u3000")
    unit = _UNIT_BEFORE.search(head)
    if unit is None:
        return None
    if _SIGNATURE_AFTER.match(text, end):
        return unit.group(1)
    # A salutation opens its line: only the unit stands before the name.
    opens_line = not text[line_start : start - len(unit.group())].strip(" \u3000")
    if opens_line and _SALUTATION_AFTER.fullmatch(text, end, line_end):
        return unit.group(1)
    return None


def _letter_lines(text: str) -> bool:
    """The text opens or closes with a letter line of internal mail (a unit and a
    name): staff writing to staff."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= 2 and any(
        _LETTER_LINE.fullmatch(line.strip()) for line in (lines[0], lines[-1])
    )
