"""Residents listed by name in a pasted table or list (田中,転入届,10分⏎高橋,住民票,5分).

A column of bare surnames carries no honorific, label or sentence that the name
recogniser could read: what shows the cells are people is the table itself — a column
whose cells are surnames beside a column of procedures, documents or times, or a column
headed 氏名 / 名前 / Name. Rows are lines whose cells are split by the same delimiter
(comma, tab, |, 、, a run of spaces, or single spaces between three or more short cells); a block is two or more such rows with
the same number of cells.

A column with no other column counts when every line of it is a name (three lines, or
two under a header that names people: 名单：⏎王磊⏎张敏, 방문자⏎김지훈⏎이민지, 再通知対象⏎河野…):
kanji surnames by the lexicon, Chinese names by their surname, Hangul names by theirs —
never under a header of places (地区, 会場, 避難所). An enumeration of surnames inline
counts when it is counted (内田、新井、関の3名) or follows a label of people (欠席：松田・中西).

A single row counts too when it has the shape of a reception log: a surname by the
lexicon, a procedure and a time or duration in cells of their own (田中,転入届,10分).

Scoring: every name-like cell of such a column → 0.85. A column counts when its header
is a name label (in a header row of column titles only), or when at least 60 % of its cells are surnames by Sudachi's lexicon
(``sudachidict-core``, any homograph: 森, 永田) or romanised names of two capitalised
words, and another column reads as procedures or times in at least half of the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar, NamedTuple

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._nlp_engine import LexiconNames
from guardrails.recognizers import _foreign_words as vocab
from guardrails.recognizers._base import ContextRecognizer

SCORE = 0.85
_MIN_ROWS = 2
_NAME_SHARE = 0.6
_PROCEDURE_SHARE = 0.5

_DELIMITERS = (("\t", re.compile(r"\t")), ("|", re.compile(r"\|")), ("/", re.compile(r" / ")),
               (",", re.compile(r",")), ("、", re.compile(r"、")),
               ("  ", re.compile(r" {2,}|\u3000+")))  # fmt: skip
_HEADER_WORDS = frozenset(
    "氏名 名前 お名前 姓 名字 苗字 申請者 相談者 来庁者 利用者 対象者 届出人 世帯主 担当者"
    " 姓名 이름 성명 name names fullname surname applicant resident 名前/name".split()
)
# The other column titles of such a table: a header row is all titles (a form's
# "氏名 山田" line is a label and its value, not a header).
_COLUMN_TITLES = _HEADER_WORDS | frozenset(
    "手続 手続き 用件 内容 時間 所要 所要時間 受付時間 時刻 備考 番号 no 日付 窓口 件名 種別 区分"
    " 届出 申請 書類 状況 結果 対応 procedure time date note remarks"
    # a list of residents' contacts: their languages, countries and numbers
    " 国籍 言語 連絡先 電話 電話番号 携帯 生年月日 住所 メール lang language nationality country"
    " tel phone mobile email e-mail address birthday dob".split()
)
_PROCEDURE = re.compile(
    r"届|手続|証明|申請|登録|交付|住民票|戸籍|印鑑|保険|年金|転入|転出|転居|相談|受付|更新"
    r"|変更|発行|予約|窓口|済|完了|対応|国保|手当|保育|介護|税|マイナ"
    r"|[0-9]+\s?(?:分|時間|min)|[0-9]{1,2}:[0-9]{2}|[0-9]+番"
    # the same in the languages staff translate from (a list of walk-ins in English …)
    r"|insurance|residence|moving|move-in|move-out|pension|tax|certificate|registration"
    r"|mudança|seguro|cadastro|certidão|seguro|mudanza|registro|impuesto|buwis",
    re.I,
)
_NAME_CELL = re.compile(
    r"[\u3005\u4e00-\u9fff]{1,4}(?: ?[\u3005\u4e00-\u9fff\u3041-\u3096\u30a1-\u30fa\u30fc]{1,4})?"
    r"|[\u30a1-\u30fa\u30fc]{2,8}(?: [\u30a1-\u30fa\u30fc]{1,8})?"
    r"|[A-ZÀ-Þ][A-Za-zÀ-ÿ'\-]+(?:,? [A-ZÀ-Þ][A-Za-zÀ-ÿ'\-]+){1,3}"
)
# Column titles of other lists (facilities, contacts, schedules): a header of three or
# more of them and no name column means the table lists no people.
_OTHER_TITLES = frozenset(
    "名称 施設名 住所 所在地 電話番号 電話 fax番号 内線番号 団体名 種別 緯度 経度 url 備考 開始時間"
    " 終了時間 利用可能曜日 定員 対象 課名 場所 内線 項目 件数 合計".split()
)
_MIN_TITLES = 3
# What facilities and units end with.
_ORGANISATION_END = re.compile(
    r"(?:学校|幼稚園|保育園|保育所|こども園|園|館|課|係|室|所|署|局|院|店|会|部|校|センター|ホール|公園|広場)$"
)
# One pasted row of a reception log: a time or a duration in a cell of its own, beside
# a delimiter (a cheap test before any splitting).
_TIME_CELL = re.compile(
    r"[0-9]+\s?(?:分|時間|min|mins)|[0-9]{1,2}:[0-9]{2}(?:-[0-9]{1,2}:[0-9]{2})?"
)
_SINGLE_ROW_GATE = re.compile(r"[,\t|、]\s*(?:[0-9]+\s?(?:分|時間|min)|[0-9]{1,2}:[0-9]{2})")
_SINGLE_ROW_DELIMITERS = frozenset([",", "\t", "|", "、"])
_LEAD = re.compile(r".*[:：]\s*")
# A bracketed aside after the last cell: 9:09（西町幼稚園）.
_ASIDE = re.compile(r"\s*[（(].*[）)]\s*$")
_ROMAN_FULL_NAME = re.compile(r"[A-ZÀ-Þ][A-Za-zÀ-ÿ'\-]+(?:,? [A-ZÀ-Þ][A-Za-zÀ-ÿ'\-]+){1,3}")
# A bullet or an item number opening a row (・青島 印鑑登録, 1) Silva, Ana, - Kim).
_BULLET = re.compile(r"\s*(?:[・•\-*◦○●]|[0-9]{1,2}[).．.]|[0-9]{1,2}番)\s*")
# A romanised name written surname first with a comma, as on index cards and rosters
# (Costa, Mariana 転入; Pham, Thi Lan — 090-…): the name is one cell, the rest another.
_ROMAN_ROSTER_ROW = re.compile(
    r"(?P<name>[A-ZÀ-Þ][A-Za-zÀ-ÿ'\-]+, ?[A-ZÀ-Þ][A-Za-zÀ-ÿ'\-]+(?: [A-ZÀ-Þ][A-Za-zÀ-ÿ'\-]+){0,2})"
    r"(?:\s*[—–-]\s*|\s+)(?P<rest>\S.*)"
)
_PHONE_CELL = re.compile(r"(?<![0-9])0[0-9]{1,4}-[0-9x]")
# A name with its procedure in brackets, listed (安田(転入)、桜井(印鑑); ・田村(住民票)).
_NAME_WITH_PROCEDURE = re.compile(
    r"(?<![\u3005\u4e00-\u9fff])([\u3005\u4e00-\u9fff]{1,4})\(([^()\n]{1,12})\)"
)
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")


class _Cell(NamedTuple):
    text: str
    start: int
    end: int


class SurnameTableRecognizer(ContextRecognizer):
    """Recognise the name column of a pasted table of residents (see the module doc)."""

    SUPPORTED_ENTITY: ClassVar[str] = "PERSON"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Name cells of every table block in ``text``, and of single reception rows."""
        table = text.count("\n") >= _MIN_ROWS - 1 and _maybe_table(text)
        single = _SINGLE_ROW_GATE.search(text) is not None
        bracketed = "(" in text and len(_NAME_WITH_PROCEDURE.findall(text)) >= _MIN_ROWS
        column = text.count("\n") >= _MIN_ROWS
        enumeration = _ENUMERATION_GATE.search(text) is not None
        if not table and not single and not bracketed and not column and not enumeration:
            return []
        lookup: Callable[[str], LexiconNames] | None = getattr(
            getattr(nlp_artifacts, "nlp_engine", None), "lexicon_names", None
        )
        spans: list[tuple[int, int]] = []
        in_blocks: set[int] = set()
        for block in _blocks(text) if table else []:
            spans += _name_cells(block, lookup)
            in_blocks.update(row[0].start for row in block if row)
        if single:
            spans += _single_rows(text, in_blocks, lookup)
        if bracketed:
            spans += _bracketed_procedures(text, lookup)
        if column:
            spans += _name_column(text, lookup)
        if enumeration:
            spans += _enumerations(text, lookup)
        return self.results((span, SCORE) for span in spans)


def _maybe_table(text: str) -> bool:
    """Two lines or more share a delimiter (string tests, before any splitting)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < _MIN_ROWS:
        return False
    for mark in ("\t", "|", ",", "、", "  ", " "):
        if sum(mark in line for line in lines) >= _MIN_ROWS:
            return True
    return False


def _rows(text: str) -> list[tuple[str, list[_Cell]]]:
    """Each line as (delimiter, cells); delimiter "" for a line that is no row."""
    rows: list[tuple[str, list[_Cell]]] = []
    pos = 0
    for line in text.split("\n"):
        rows.append(_split(line, pos))
        pos += len(line) + 1
    return rows


def _split(line: str, offset: int) -> tuple[str, list[_Cell]]:
    if _MARKDOWN_RULE.match(line):
        return "rule", []
    bullet = _BULLET.match(line)
    if bullet is not None and bullet.end() < len(line):
        offset += bullet.end()
        line = line[bullet.end() :]
    roster = _ROMAN_ROSTER_ROW.fullmatch(line.rstrip())
    if roster is not None:
        return "roster", [
            _Cell(roster.group(g), offset + roster.start(g), offset + roster.end(g))
            for g in ("name", "rest")
        ]
    for name, delimiter in _DELIMITERS:
        if not delimiter.search(line):
            continue
        cells: list[_Cell] = []
        start = 0
        for match in [*delimiter.finditer(line), None]:
            end = match.start() if match is not None else len(line)
            raw = line[start:end]
            stripped = raw.strip()
            lead = len(raw) - len(raw.lstrip())
            cells.append(
                _Cell(stripped, offset + start + lead, offset + start + lead + len(stripped))
            )
            start = match.end() if match is not None else len(line)
        if name == "|":
            cells = [c for i, c in enumerate(cells) if c.text or 0 < i < len(cells) - 1]
        if len(cells) >= 2:
            return name, cells
    cells = _space_cells(line, offset)
    # Two cells are a row when a bullet opens the line (・青島 印鑑登録).
    # … and so are a romanised full name and one other cell (Kim Soo-jin 転入).
    two = bullet is not None or (bool(cells) and _ROMAN_FULL_NAME.fullmatch(cells[0].text))
    return (" ", cells) if len(cells) >= (2 if two else 3) else ("", [])


# Columns split by single spaces (an ideographic space is one after NFKC): the words of
# a romanised name stay one cell (Oscar Walker 転入届 10分).
_SPACE_CELL = re.compile(r"[A-ZÀ-Þ][A-Za-zÀ-ÿ'\-]+(?: [A-ZÀ-Þ][A-Za-zÀ-ÿ'\-]+)+|[^ ]+")


def _space_cells(line: str, offset: int) -> list[_Cell]:
    if " " not in line.strip() or len(line) > 80:
        return []
    return [
        _Cell(m.group(), offset + m.start(), offset + m.end()) for m in _SPACE_CELL.finditer(line)
    ]


def _blocks(text: str) -> list[list[list[_Cell]]]:
    """Runs of consecutive rows with the same delimiter and number of cells."""
    blocks: list[list[list[_Cell]]] = []
    current: list[list[_Cell]] = []
    kind: tuple[str, int] = ("", 0)
    for delimiter, cells in _rows(text):
        if delimiter == "rule" and current:
            continue  # a Markdown table's |---| line
        key = (delimiter, len(cells))
        if delimiter and key == kind:
            current.append(cells)
            continue
        if len(current) >= _MIN_ROWS:
            blocks.append(current)
        current, kind = ([cells], key) if delimiter else ([], ("", 0))
    if len(current) >= _MIN_ROWS:
        blocks.append(current)
    return blocks


def _name_cells(
    block: list[list[_Cell]], lookup: Callable[[str], LexiconNames] | None
) -> list[tuple[int, int]]:
    titles = [cell.text.lower() in _COLUMN_TITLES for cell in block[0] if cell.text]
    all_titles = bool(titles) and all(titles)
    headed = {
        i for i, cell in enumerate(block[0]) if all_titles and cell.text.lower() in _HEADER_WORDS
    }
    if not headed and _titled(block[0]):
        return []  # a list with its own header and no name column (名称, 住所, 電話番号 …)
    rows = block[1:] if headed else block
    if len(rows) < 1 or (not headed and len(rows) < _MIN_ROWS):
        return []
    width = len(block[0])
    procedure_columns = {
        i
        for i in range(width)
        if sum(bool(_PROCEDURE.search(r[i].text)) for r in rows) >= _PROCEDURE_SHARE * len(rows)
    }
    found: list[tuple[int, int]] = []
    for i in range(width):
        cells = [r[i] for r in rows if r[i].text]
        if not cells:
            continue
        names = [c for c in cells if _NAME_CELL.fullmatch(c.text)]
        if i not in headed:
            if not procedure_columns - {i} and not _roster_with_contacts(rows, i, names):
                continue
            people = [c for c in names if _is_person(c.text, lookup)]
            if len(people) < _NAME_SHARE * len(cells):
                continue
            # A column of people: its other name-shaped cells are people too (王磊
            # below Ana Souza), but never a facility or a unit.
            names = [
                c
                for c in names
                if not _ORGANISATION_END.search(c.text) and c.text.lower() not in _COLUMN_TITLES
            ]
        found += [(c.start, c.end) for c in names]
    return found


def _single_rows(
    text: str, in_blocks: set[int], lookup: Callable[[str], LexiconNames] | None
) -> list[tuple[int, int]]:
    """The name of one pasted row of a reception log (田中,転入届,10分): three cells or
    more split by a comma, tab, | or 、, one a surname by the lexicon, another a
    procedure and a third a time or duration — the shape of a log, not of a list of
    places or documents, which has no time beside the name."""
    found: list[tuple[int, int]] = []
    for delimiter, cells in _rows(text):
        if delimiter not in _SINGLE_ROW_DELIMITERS or len(cells) < 3:
            continue
        if cells[0].start in in_blocks:
            continue
        # A request before the row on its line: 集計に追加：佐々木、戸籍謄本、15分.
        lead = _LEAD.match(cells[0].text)
        if lead is not None:
            first = cells[0]
            cells = [
                _Cell(first.text[lead.end() :], first.start + lead.end(), first.end),
                *cells[1:],
            ]
        times = {i for i, c in enumerate(cells) if _TIME_CELL.fullmatch(_ASIDE.sub("", c.text))}
        procedures = {
            i for i, c in enumerate(cells) if i not in times and _PROCEDURE.search(c.text)
        }
        if not times or not procedures:
            continue
        found += [
            (c.start, c.end)
            for i, c in enumerate(cells)
            if i not in times | procedures
            and _NAME_CELL.fullmatch(c.text)
            and _is_person(c.text, lookup)
        ]
    return found


def _roster_with_contacts(rows: list[list[_Cell]], i: int, names: list[_Cell]) -> bool:
    """Column ``i`` holds surname-first romanised names (Silva, Ana) and another column
    holds phone numbers: a roster of residents' contacts, procedure or not."""
    if not names or not all(", " in c.text for c in names):
        return False
    return any(
        sum(bool(_PHONE_CELL.search(r[k].text)) for r in rows) >= _PROCEDURE_SHARE * len(rows)
        for k in range(len(rows[0]))
        if k != i
    )


def _bracketed_procedures(
    text: str, lookup: Callable[[str], LexiconNames] | None
) -> list[tuple[int, int]]:
    """Surnames listed with their procedure in brackets (安田(転入)、桜井(印鑑)): two or
    more in the text, each a surname by the lexicon and each bracket a procedure."""
    found = [
        m.span(1)
        for m in _NAME_WITH_PROCEDURE.finditer(text)
        if _PROCEDURE.search(m.group(2)) and _is_person(m.group(1), lookup)
    ]
    return found if len(found) >= _MIN_ROWS else []


def _titled(row: list[_Cell]) -> bool:
    """The row is a header of some other list: three or more of its cells are titles of
    facility, contact or schedule columns."""
    return sum(cell.text.lower() in _OTHER_TITLES for cell in row) >= _MIN_TITLES


def _is_person(cell: str, lookup: Callable[[str], LexiconNames] | None) -> bool:
    """A surname (or surname + given name) by the lexicon, or a romanised full name;
    never a name ending like a facility or unit (大井川中学校, 西町幼稚園, 市民課)."""
    if _ROMAN_FULL_NAME.fullmatch(cell):
        # Never a place or an office (Yaizu, Shizuoka; Citizens Division).
        return not any(w.lower() in vocab.ORGANISATION_WORDS for w in re.split(r",? ", cell))
    if lookup is None or _PROCEDURE.search(cell) or _ORGANISATION_END.search(cell):
        return False
    head = cell.split(" ")[0]
    for size in range(min(3, len(head)), 0, -1):
        if "姓" not in lookup(head[:size]).kinds or len(head) - size > 3:
            continue
        rest = head[size:]
        # A one-kanji surname takes only a given name the lexicon knows (林学), so that
        # 住|所 or 生|年月日 do not pass.
        return size >= 2 or not rest or "名" in lookup(rest).kinds
    return False


# -- a column of names alone, an inline enumeration -----------------------------------------

_COLUMN_MIN = 3
_PEOPLE_HEADER = re.compile(
    r"者|人|名簿|名单|名單|名单|一覧|予約|対象|欠席|出席|来庁|来访|參加|参加|未提出|リスト|待ち"
    r"|방문|사람|명단|참석|list|attendees|visitors|names",
    re.I,
)
_PLACE_HEADER = re.compile(r"地区|地域|会場|場所|避難所|学区|校区|町名|方面|エリア|施設|路線|駅")
_HONORIFIC_END = re.compile(r"\s*(?:様|さん|氏|殿|씨|님|先生|女士|先生)$")
_HANZI_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")
_HANGUL_NAME = re.compile(r"[\uac00-\ud7a3]{2,4}")
_CHINESE_SURNAMES = frozenset(vocab.CHINESE_SURNAMES)
_KOREAN_SURNAMES = frozenset(vocab.KOREAN_SURNAMES)
_NAME_ITEM = r"[\u3005\u4e00-\u9fff]{1,4}"
_ENUMERATION = re.compile(rf"(?<![\u3005\u4e00-\u9fff])({_NAME_ITEM}(?:[、・,]{_NAME_ITEM})+)")
_ENUMERATION_GATE = re.compile(rf"{_NAME_ITEM}[、・,]{_NAME_ITEM}")
_COUNTED_AFTER = re.compile(
    r"(?:の|計|、)?[0-9０-９一二三四五六七八九十]{1,2}(?:名|人|世帯|家族|組|件)"
)
_PEOPLE_LABEL_BEFORE = re.compile(
    r"(?:者|欠席|出席|来庁|参加|名簿|予約|未提出|対象|担当外|不在)\s*[：:]\s*\Z"
)


def _line_name(line: str, lookup: Callable[[str], LexiconNames] | None) -> bool:
    """One line holding one person's name and nothing else."""
    cell = _HONORIFIC_END.sub("", line.strip())
    if not cell or _ORGANISATION_END.search(cell) or _PROCEDURE.search(cell):
        return False
    if _HANGUL_NAME.fullmatch(cell):
        head = cell[:2] if cell[:2] in _KOREAN_SURNAMES else cell[:1]
        return (
            head in _KOREAN_SURNAMES
            and cell not in vocab.KOREAN_NOT_NAMES
            and _PEOPLE_HEADER.search(cell) is None  # 방문자, 참석자: a header
        )
    if _HANZI_NAME.fullmatch(cell) and (
        cell[:2] in _CHINESE_SURNAMES or cell[0] in _CHINESE_SURNAMES
    ):
        return True
    return _NAME_CELL.fullmatch(cell) is not None and _is_person(cell, lookup)


def _name_column(text: str, lookup: Callable[[str], LexiconNames] | None) -> list[tuple[int, int]]:
    """Runs of lines that each hold one name (see the module doc)."""
    found: list[tuple[int, int]] = []
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines):
            start, line = lines[j]
            bullet = _BULLET.match(line)
            body = line[bullet.end() :] if bullet is not None and bullet.end() < len(line) else line
            if not _line_name(body, lookup):
                break
            j += 1
        if j > i:
            header = lines[i - 1][1] if i > 0 else ""
            people = _PEOPLE_HEADER.search(header) is not None
            places = _PLACE_HEADER.search(header) is not None
            if not places and (j - i >= _COLUMN_MIN or (j - i >= _MIN_ROWS and people)):
                for start, line in lines[i:j]:
                    bullet = _BULLET.match(line)
                    lead = bullet.end() if bullet is not None and bullet.end() < len(line) else 0
                    body = line[lead:].strip()
                    name = _HONORIFIC_END.sub("", body)
                    at = start + line.index(body, lead)
                    found.append((at, at + len(name)))
            i = j
        else:
            i += 1
    return found


def _enumerations(text: str, lookup: Callable[[str], LexiconNames] | None) -> list[tuple[int, int]]:
    """Surnames enumerated inline, counted (…の3名) or after a label of people."""
    found: list[tuple[int, int]] = []
    for match in _ENUMERATION.finditer(text):
        counted = _COUNTED_AFTER.match(text, match.end()) is not None
        labelled = _PEOPLE_LABEL_BEFORE.search(text, max(0, match.start() - 12), match.start())
        if not counted and labelled is None:
            continue
        items = list(re.finditer(_NAME_ITEM, match.group(1)))
        if all(_is_person(item.group(), lookup) for item in items):
            found += [(match.start() + m.start(), match.start() + m.end()) for m in items]
    return found
