"""Parse law and ordinance text (the e-Gov plain-text layout) into provisions.

The layout this parser reads (see samples/laws/):

* line 1 is the title, then the law number line, an optional 制定文 and a table of
  contents whose entries look like headings (``　第一章　総則（第一条―第四条）``);
* headings ``　　　第二章　申請に対する処分`` (編/章/節/款/目), a caption ``（審査基準）`` on
  the line before the article, the article number alone on a line (``第五条``), a blank
  line, then the text indented with a full-width space;
* 項 numbers alone on a line in full-width digits (``２``; old laws ``○２``) — the first
  項 has no number; 号 numbers alone on a line in kanji (``一``, ``五の二``); イ/ロ/ハ
  sub-items at the start of a line or glued after a 。;
* links to other laws were rendered as line breaks, so a sentence can continue on the
  next line without indentation (``…内閣府設置法`` / ``（平成十一年法律第八十九号）…``);
* 附則 sections (``　　　附　則　（平成一一年一二月八日法律第一五一号）　抄``) with articles
  or with numbered paragraphs, and 別表 tables flattened to one cell per line.

Everything before the first article is front matter: only its headings are used (the
last ones there are the body's first headings); TOC lines never become provisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .._japanese import KANJI_NUMERAL_CHARS, arabicize_numerals, to_halfwidth_digits, to_locator

_K = KANJI_NUMERAL_CHARS
_NUM = f"[{_K}0-9０-９]+"
_SP = "[\u3000 ]"
_ARTICLE_NO = f"第{_NUM}条(?:の{_NUM})*"

ARTICLE_LINE = re.compile(
    f"(?P<label>{_ARTICLE_NO}(?:(?:乃至|から|及び){_ARTICLE_NO}(?:まで)?)?)(?:{_SP}+(?P<rest>.*))?"
)
_SUPPL_LINE = re.compile(f"{_SP}*附{_SP}*則{_SP}*(?:（(?P<law>[^（）]*)）)?{_SP}*(?:抄)?")
_TABLE_LINE = re.compile(f"別表(?P<no>第{_NUM}(?:の{_NUM})*)?(?P<rest>{_SP}.*|（[^（）]*）)?")
_HEADING_LINE = re.compile(
    f"{_SP}*第(?P<no>{_NUM}(?:の{_NUM})*)(?P<kind>[編章節款目])(?:{_SP}+(?P<title>.*))?"
)
_TOC_RANGE = re.compile(f"{_SP}*（第[^（）]*）$")
_PARA_LINE = re.compile(f"○?(?P<no>[0-9０-９]+)(?:{_SP}+(?P<rest>.*))?")
_ITEM_LINE = re.compile(f"(?P<no>[{_K}]+(?:の[{_K}]+)*)(?:{_SP}+(?P<rest>.*))?")
# Lines that open a list entry: never the continuation of the previous line.
_LIST_START = re.compile(
    f"(?:[{_K}]+(?:の[{_K}]+)*|[イロハニホヘトチリヌルヲワカヨタレソツネナラム]"
    f"|[（(][0-9０-９{_K}]+[）)]){_SP}"
)
# e-Gov glues イ/ロ sub-items to the end of the sentence before them (…除く。イ　事実上…).
_GLUED_SUBITEM = re.compile(f"(?<=。)(?=[イロハニホヘトチリヌルヲワカヨタレソ]{_SP})")
_LEVELS = {"編": 0, "章": 1, "節": 2, "款": 3, "目": 4}
_MAX_CAPTION_LINES = 4


@dataclass
class Supplement:
    """One 附則 section: the original 附則 or an amendment's 附則."""

    label: str  # original wording, e.g. 附則（平成一一年一二月八日法律第一五一号）
    locator: str  # e.g. 附則（平成11年12月8日法律第151号）


@dataclass
class Paragraph:
    """One 項. ``marker`` is the printed number (``２``); the first 項 usually has none."""

    number: int
    marker: str = ""
    caption: str = ""
    lines: list[str] = field(default_factory=list)


@dataclass
class Provision:
    """An article, a 附則 made only of paragraphs, or a 別表."""

    kind: Literal["article", "paragraphs", "table"]
    label: str  # 第五条 / "" / 別表第一
    locator: str  # 第5条 / 附則 / 別表第1
    caption: str = ""
    path: tuple[str, ...] = ()
    supplement: Supplement | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    header: str = ""  # a 別表's first line as printed, repeated on each of its chunks

    def has_text(self) -> bool:
        return any(p.lines for p in self.paragraphs)


@dataclass
class ParsedLaw:
    title: str
    provisions: list[Provision]


def _clean(line: str) -> str:
    return line.strip(" \u3000\t")


def _unbracket(caption: str) -> str:
    caption = _clean(caption)
    if caption.startswith("（") and caption.endswith("）"):
        return caption[1:-1].strip()
    return caption


def _caption_state(text: str) -> Literal["closed", "open", "no"]:
    """Whether ``text`` is a whole caption （…）, the start of one, or something else.

    The law number line （平成五年…号）最終改正：… also starts with a bracket; it is not a
    caption because its bracket closes before the end of the line.
    """
    if not text.startswith("（"):
        return "no"
    depth = 0
    for i, ch in enumerate(text):
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth -= 1
            if depth == 0:
                return "closed" if i == len(text) - 1 else "no"
    return "open"


def _main_number(label: str) -> int:
    """第五条の二 → 5: the number that orders articles (branch numbers sit between)."""
    return int(to_locator(label).removeprefix("第").split("条", 1)[0])


def is_structure_line(line: str) -> bool:
    """An article number (with or without its text), a 編/章/節 heading or a 附則 line.

    For sources that lose blank lines (PDF), so a loader can restore the boundaries the
    parser otherwise finds from blank lines and sentence ends.
    """
    line = line.rstrip(" \u3000\t")
    return any(pattern.fullmatch(line) for pattern in (ARTICLE_LINE, _HEADING_LINE, _SUPPL_LINE))


def make_supplement(law: str | None) -> Supplement:
    """The law's own 附則 (``law`` None) or that of the amendment numbered ``law``."""
    if not law:
        return Supplement(label="附則", locator="附則")
    return Supplement(label=f"附則（{law}）", locator=f"附則（{arabicize_numerals(law)}）")


class _Parser:
    """A single pass over the lines; one instance per document."""

    def __init__(self) -> None:
        self.provisions: list[Provision] = []
        self.path: list[tuple[int, str]] = []
        self.supplement: Supplement | None = None
        self.current: Provision | None = None
        self.started = False  # the first article has been seen: front matter is over
        self.prev_blank = True
        self.prev_text = False  # the previous line was a text line (continuations join it)
        self.prev_heading = False  # a caption may follow a 附則/章 line without a blank
        self.caption_lines: list[str] = []
        self.caption_open = False
        self.last_caption = ""  # shared captions carry over to the next uncaptioned article
        self.last_number: int | None = None  # main number of the previous article
        self.pending_item = ""  # a 号 number waiting for its text on a later line

    # -- helpers -----------------------------------------------------------------------

    def _flush(self) -> None:
        self._flush_item()
        if self.current is not None and (self.current.has_text() or self.current.label):
            self.provisions.append(self.current)
        self.current = None

    def _flush_item(self) -> None:
        if self.pending_item and self.current is not None:
            self._paragraph().lines.append(self.pending_item)
        self.pending_item = ""

    def _paragraph(self) -> Paragraph:
        assert self.current is not None
        if not self.current.paragraphs:
            self.current.paragraphs.append(Paragraph(number=1))
        return self.current.paragraphs[-1]

    def _ensure_provision(self) -> bool:
        """A provision to add text to; 附則 paragraphs open one on demand."""
        if self.current is not None:
            return True
        if self.supplement is None:
            return False  # text outside any provision, e.g. a 制定文
        self.current = Provision(
            kind="paragraphs",
            label="",
            locator=self.supplement.locator,
            path=(),
            supplement=self.supplement,
        )
        return True

    def _take_caption(self) -> str:
        caption = _unbracket("".join(self.caption_lines)) if self.caption_lines else ""
        self.caption_lines = []
        self.caption_open = False
        return caption

    def _caption_as_text(self) -> None:
        """A bracketed line that turned out not to be a caption is ordinary text."""
        lines = self.caption_lines
        self.caption_lines = []
        self.caption_open = False
        for line in lines:
            self._add_text(line, new_line=True)

    def _add_text(self, line: str, *, new_line: bool) -> None:
        if not self.started or not self._ensure_provision():
            return
        paragraph = self._paragraph()
        text = _clean(line)
        if self.pending_item:
            text = f"{self.pending_item}\u3000{text}"
            self.pending_item = ""
            new_line = True
        if not new_line and paragraph.lines:
            paragraph.lines[-1] += text
        else:
            paragraph.lines.append(text)
        # Re-split a line that carries glued sub-items so each starts its own line.
        last = paragraph.lines.pop()
        paragraph.lines.extend(_GLUED_SUBITEM.split(last))

    # -- line handlers -----------------------------------------------------------------

    def feed(self, raw: str) -> None:
        line = raw.rstrip(" \u3000\t")
        if not line:
            self.prev_blank = True
            return
        blank_before = self.prev_blank
        self.prev_blank = False
        was_text = self.prev_text
        after_heading = self.prev_heading
        self.prev_text = self.prev_heading = False

        if self.current is not None and self.current.kind == "table":
            self._feed_table(line, blank_before=blank_before, was_text=was_text)
            return

        if self.caption_open:
            self.caption_lines.append(line)
            state = _caption_state("".join(_clean(x) for x in self.caption_lines))
            if state == "closed":
                self.caption_open = False
            elif state == "no" or len(self.caption_lines) >= _MAX_CAPTION_LINES:
                self._caption_as_text()
            return

        # Structure lines start where a sentence cannot continue: after a blank line, a
        # heading, or a line ending in 。 (例規集 exports often have no blank lines).
        boundary = blank_before or after_heading or self._sentence_ended()
        if (m := ARTICLE_LINE.fullmatch(line)) and (boundary or self.caption_lines):
            self._start_article(m.group("label"), m.group("rest"))
            return
        if self.caption_lines and (m := _PARA_LINE.fullmatch(_clean(line))) and self.started:
            self._start_paragraph(m.group("no"), m.group("rest"), caption=self._take_caption())
            return
        if self.caption_lines:
            self._caption_as_text()

        if boundary and (m := _SUPPL_LINE.fullmatch(line)):
            if self.started:  # the TOC lists 附則 too
                self._start_supplement(m.group("law"))
            self.prev_heading = True
            return
        if self.started and (m := _TABLE_LINE.fullmatch(line)):
            self._start_table(m.group("no") or "", m.group("rest") or "")
            return
        if boundary and (m := _HEADING_LINE.fullmatch(line)):
            self._heading(m.group("kind"), f"第{m.group('no')}{m.group('kind')}", m.group("title"))
            self.prev_heading = True
            return
        if boundary and (state := _caption_state(_clean(line))) != "no":
            self.caption_lines = [line]
            self.caption_open = state == "open"
            return
        if self.current is not None or self.supplement is not None:
            # Bare numbers are markers even without a blank line before them: a
            # link-broken continuation line never consists of a number alone.
            if m := _PARA_LINE.fullmatch(_clean(line)):
                self._start_paragraph(m.group("no"), m.group("rest"), caption="")
                return
            if (m := _ITEM_LINE.fullmatch(_clean(line))) and not m.group("rest"):
                self._flush_item()
                self.pending_item = m.group("no")
                return
        # A link to another law was rendered as a line break: an unindented line right
        # after an unfinished sentence continues it.
        joins = (
            was_text
            and not boundary
            and not raw.startswith(("\u3000", " "))
            and not _LIST_START.match(line)
        )
        self._add_text(line, new_line=not joins)
        self.prev_text = True

    def _feed_table(self, line: str, *, blank_before: bool, was_text: bool) -> None:
        if blank_before and (m := _SUPPL_LINE.fullmatch(line)):
            self._start_supplement(m.group("law"))
            self.prev_heading = True
            return
        if m := _TABLE_LINE.fullmatch(line):
            self._start_table(m.group("no") or "", m.group("rest") or "")
            return
        rows = self._paragraph().lines
        if was_text and not blank_before and rows and not rows[-1].endswith("。"):
            rows[-1] += _clean(line)
        else:
            rows.append(_clean(line))
        self.prev_text = True

    def _sentence_ended(self) -> bool:
        if self.current is None or not self.current.paragraphs:
            return True
        lines = self.current.paragraphs[-1].lines
        return not lines or lines[-1].endswith("。")

    def _start_supplement(self, law: str | None) -> None:
        self._flush()
        self.supplement = make_supplement(law)
        self.path = []  # 附則 stand outside the 編/章/節 of the main provisions
        self.last_caption = ""
        self.last_number = None

    def _start_article(self, label: str, rest: str | None) -> None:
        caption = self._take_caption()
        self._flush()
        self.started = True
        number = _main_number(label)
        if caption:
            self.last_caption = caption
        elif self.last_number is not None and number - self.last_number in (0, 1):
            # A shared caption covers consecutive articles only; a gap (an excerpted 附則
            # skipping 第二条 and 第三条) means the caption was simply not reproduced.
            caption = self.last_caption
        else:
            self.last_caption = ""
        self.last_number = number
        prefix = self.supplement.locator if self.supplement else ""
        self.current = Provision(
            kind="article",
            label=label,
            locator=prefix + to_locator(label),
            caption=caption,
            path=tuple(title for _, title in self.path),
            supplement=self.supplement,
        )
        if rest:
            self._add_text(rest, new_line=True)
            self.prev_text = True

    def _start_paragraph(self, number: str, rest: str | None, *, caption: str) -> None:
        self._flush_item()
        if not self._ensure_provision():
            return
        assert self.current is not None
        self.current.paragraphs.append(
            Paragraph(number=int(to_halfwidth_digits(number)), marker=number, caption=caption)
        )
        if rest:
            self._add_text(rest, new_line=True)
            self.prev_text = True

    def _start_table(self, number: str, rest: str) -> None:
        self._flush()
        self.supplement = None
        self.last_caption = ""
        self.last_number = None
        label = f"別表{number}"
        self.current = Provision(
            kind="table",
            label=label,
            locator="別表" + arabicize_numerals(number),
            caption=_unbracket(rest),
            paragraphs=[Paragraph(number=1)],
            header=f"{label}\u3000{_clean(rest)}" if _clean(rest) else label,
        )

    def _heading(self, kind: str, number: str, title: str | None) -> None:
        level = _LEVELS[kind]
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        title = _TOC_RANGE.sub("", title or "")
        self.path.append((level, f"{number}\u3000{title}" if title else number))
        self.last_caption = ""
        self.last_number = None

    def finish(self) -> list[Provision]:
        if self.caption_lines:
            self._caption_as_text()
        self._flush()
        return self.provisions


def parse_law(text: str) -> ParsedLaw:
    """Parse law text into its title and provisions, in document order."""
    lines = text.split("\n")
    title = next((_clean(line) for line in lines if _clean(line)), "")
    parser = _Parser()
    seen_title = False
    for line in lines:
        if not seen_title:
            seen_title = bool(_clean(line))
            continue
        parser.feed(line)
    return ParsedLaw(title=title, provisions=parser.finish())
