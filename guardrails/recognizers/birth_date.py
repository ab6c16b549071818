"""生年月日 (birth dates) in 和暦 and 西暦 — only where the text says it is a birth date."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers._base import JapanesePatternRecognizer

# Era ranges, first and last day in the Gregorian calendar. Sources: 明治 — 改元の詔
# (明治元年9月8日, applied from 慶応4年1月1日 = 1868-01-25); 大正 — 1912-07-30 改元
# (明治45年7月30日 = 大正元年7月30日); 昭和 — 1926-12-25 改元; 平成 — 元号を改める政令
# (昭和64年政令第1号), in force 1989-01-08; 令和 — 元号を改める政令 (平成31年政令第143号),
# in force 2019-05-01. 元号法 (昭和54年法律第43号) makes 元年 the first year. Dates of
# 明治1–5年 were written in the lunisolar calendar; they are checked as Gregorian dates.
_ERAS: dict[str, tuple[date, date | None]] = {
    "M": (date(1868, 1, 25), date(1912, 7, 29)),
    "T": (date(1912, 7, 30), date(1926, 12, 24)),
    "S": (date(1926, 12, 25), date(1989, 1, 7)),
    "H": (date(1989, 1, 8), date(2019, 4, 30)),
    "R": (date(2019, 5, 1), None),
}
_ERA_KEYS = {
    "明治": "M", "明": "M", "大正": "T", "大": "T", "昭和": "S", "昭": "S",
    "平成": "H", "平": "H", "令和": "R", "令": "R",
}  # fmt: skip
# 西暦 birth dates older than this are not a living (or recently deceased) person's.
_FIRST_GREGORIAN_YEAR = 1850

_KANJI_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
# Numbers as the normaliser leaves them: ASCII digits (１２, 一二 already converted) or
# kanji numerals with 十 (五十, 十二, 三十一), which it does not convert.
_NUM = r"(?:[0-9]{1,2}|[〇一二三四五六七八九十]{1,3})"
_YEAR = r"(?:元|[0-9]{1,2}|[〇一二三四五六七八九十]{1,3})"
# 明治/大正/昭和/平成/令和, the letters M T S H R (S50.1.2, S.50.1.2), or the one-kanji
# abbreviations (昭50.1.2) when not the end of a longer word (最大, 公平).
_ERA = r"(?:明治|大正|昭和|平成|令和|(?<![A-Za-z0-9])[MTSHRmtshr]\.?|(?<![一-龥々])[明大昭平令])"
_SEP = r"[./\-]"
_NOT_BEFORE_NUMERIC = r"(?![0-9])(?![./\-][0-9])"

# Month names: English, Portuguese, Spanish, Filipino (full and three-letter forms).
_MONTH_NAMES = (
    ("january jan janeiro enero enero", 1), ("february feb fevereiro fev febrero pebrero", 2),
    ("march mar março marzo marso", 3), ("april apr abril abr", 4), ("may maio mayo", 5),
    ("june jun junho junio hunyo", 6), ("july jul julho julio hulyo", 7),
    ("august aug agosto ago", 8), ("september sep sept setembro set septiembre setiembre setyembre", 9),
    ("october oct outubro out octubre oktubre", 10), ("november nov novembro noviembre nobyembre", 11),
    ("december dec dezembro dez diciembre disyembre dic", 12),
    # Indonesian
    ("januari", 1), ("februari", 2), ("maret", 3), ("mei", 5), ("juni", 6), ("juli", 7),
    ("agustus", 8), ("oktober", 10), ("desember", 12),
)  # fmt: skip
_MONTHS = {word: number for words, number in _MONTH_NAMES for word in words.split()}
# Spelt out in lower case, capitalised and in capitals, matched case-sensitively
# ((?-i:…)): Presidio compiles patterns case-insensitive, which makes an alternation of
# sixty words slow to scan.
_MONTH = (
    "(?-i:"
    + "|".join(
        sorted(
            {f(m) for m in _MONTHS for f in (str.lower, str.capitalize, str.upper)},
            key=len,
            reverse=True,
        )
    )
    + r")\.?"
)
_MONTH_WORD = re.compile(
    rf"(?<![a-zç])(?:{'|'.join(sorted(_MONTHS, key=len, reverse=True))})(?![a-zç])"
)

_SCORE_BIRTH_CONTEXT = 0.85
_WINDOW = 20  # characters before the date in which a label may stand

# What may stand between a label and its date, as in forms and sentences: "生年月日：",
# "生年月日（和暦） ", "誕生日は", "出生\n". Anything else ("出生届を", "生年月日欄は空欄、
# 作成日") means the label is not about this date.
# In the languages staff translate from, a short word may stand there too: born on,
# nascido em, nacido el, ipinanganak noong, sinh vào ngày, là.
_LABEL_GAP = re.compile(
    r"[\s:：、,・/()\[\]【】「」『』<>=はが]*"
    r"(?:(?:和暦|西暦|on|the|em|el|en|noong|ngày|ngay|vào ngày|vào|là|la|le|am|tanggal|tgl"
    r"|miti|에|은|는|是|为|為)"
    r"[\s:：、,・/()<>=はが]*){0,2}",
    re.I,
)
# An age, either side of the date — but not an eligibility rule ("65歳以上の方").
_AGE = r"\(?\s?(?:満\s?)?[0-9]{1,3}\s?[歳才](?!以上|以下|未満|に達|到達|になっ|になる|を迎|から|まで|の誕生日)"
_AGE_BEFORE = re.compile(_AGE + r"\)?[\s、,・/:：]{0,2}$")
# Right after the date: 生まれ, 生 (not 生活, 生じる, 生産 …), 出生, 誕生, or an age.
_BIRTH_AFTER = re.compile(
    r"[^\S\n]?[、,・/]?[^\S\n]?"
    r"(?:生まれ|生れ|産まれ|出生|誕生|生(?![ぁ-ねは-ゖァ-ヺ一-龥々])|생(?![활산각선명기존겼긴길])|에\s?태어|출생|"
    # romanised Japanese: … umare (desu), … ni umaremashita
    r"(?:ni\s)?umare(?:mashita|ta)?(?![a-z])|" + _AGE + ")"
)
# Right after the date, these make it a law number, a document date, a deadline or an
# eligibility bound — never one person's birth date, whatever label stands before:
# 平成十一年十二月八日法律第百五十一号, 令和6年4月1日付, 平成30年4月2日以降に生まれた方.
_NOT_BIRTH_AFTER = re.compile(
    r"[^\S\n]?(?:法律|政令|省令|府令|勅令|条例|規則|告示|訓令|通達|付|施行|公布|開催"
    r"|以降|以後|以前|以上|以下|まで|から|より|～|〜|~|時点|現在|基準)"
)


# The end of a range of dates is a cohort a notice addresses (…から平成18年4月1日生まれの
# 方), not one person; one date alone stays a birth date (昭和61年2月8日生まれの方の記録).
_RANGE_BEFORE = re.compile(r"(?:から|～|〜|~)[^\S\n]?\Z")


class BirthDateRecognizer(JapanesePatternRecognizer):
    """Recognise birth dates; a date alone is never reported.

    Scoring rule (decided in ``enhance_using_context``; the patterns' 0.1 alone never
    passes the guard's threshold of 0.4):

    * a birth label (``CONTEXT``: 生年月日, 誕生日, 出生, 年齢 …) before the date with
      only punctuation, は/が or （和暦） in between, as in a form → 0.85;
    * or, right after the date, 生まれ / 生 / 出生 / 誕生 or an age ("（45歳）") → 0.85;
    * an age right before the date ("（45歳）昭和50年1月2日") → 0.85;
    * the date alone in brackets right after a name the PERSON recogniser found
      ("山田太郎（昭和50年1月2日）", "対象者 佐藤 陽子（1944年9月3日）"): forms and case
      notes put a person's birth date there → 0.85;
    * but never when the date is followed by a law-number, document-date or range word
      (法律, 政令, 付, 施行, 以降, から, まで, 現在 …): laws and eligibility rules are full of
      dates ("平成30年4月2日以降に生まれた方").

    ``validate_result`` drops impossible dates: month/day out of range, a date outside
    its era (昭和65年, 平成31年5月1日), a 西暦 year before 1850, or a future date.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "wareki_kanji",
            # 昭和50年1月2日, 昭和五十年一月二日, 令和元年5月1日, S50年1月2日
            rf"{_ERA}\s?{_YEAR}\s?年\s?{_NUM}\s?月\s?{_NUM}\s?日",
            0.1,
        ),
        Pattern(
            "wareki_numeric",
            # S50.1.2, S50/1/2, H7-3-4, 昭50.1.2, R元.5.1
            rf"{_ERA}\s?(?:元|[0-9]{{1,2}}){_SEP}[0-9]{{1,2}}{_SEP}[0-9]{{1,2}}{_NOT_BEFORE_NUMERIC}",
            0.1,
        ),
        Pattern(
            "seireki_kanji",
            # 1975年1月2日
            rf"(?<![0-9])(?:1[89][0-9]{{2}}|20[0-9]{{2}})\s?年\s?{_NUM}\s?月\s?{_NUM}\s?日",
            0.1,
        ),
        Pattern(
            "seireki_numeric",
            # 1975/01/02, 1975-01-02, 1975.1.2 (one separator throughout), 19750102
            r"(?<![0-9])(?<![0-9][./\-])(?:1[89][0-9]{2}|20[0-9]{2})"
            r"(?:([./\-])[0-9]{1,2}\1[0-9]{1,2}|[0-9]{4})" + _NOT_BEFORE_NUMERIC,
            0.1,
        ),
        Pattern(
            "day_month_year_numeric",
            # 12/04/1990, 04-12-1990, 12.4.1990 (day or month first, one separator)
            r"(?<![0-9])(?<![0-9][./\-])[0-9]{1,2}([./\-])[0-9]{1,2}\1(?:1[89][0-9]{2}|20[0-9]{2})"
            + _NOT_BEFORE_NUMERIC,
            0.1,
        ),
        Pattern(
            "day_month_name",
            # 12 April 1990 · 12 de abril de 1990 · ika-12 ng Abril 1990. Opens with a
            # digit (the boundary checked after it), so the engine skips ahead cheaply.
            rf"(?:ika-?[0-9]{{1,2}}|[0-9](?<![0-9A-Za-z][0-9])[0-9]?)(?:st|nd|rd|th)?\s"
            rf"(?:de\s|ng\s|of\s)?{_MONTH},?\s(?:de\s)?(?:1[89][0-9]{{2}}|20[0-9]{{2}})(?![0-9])",
            0.1,
        ),
        Pattern(
            "month_name_day",
            # April 12, 1990 · Abril 12, 1990
            rf"(?<![A-Za-zç]){_MONTH}\s[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s"
            r"(?:1[89][0-9]{2}|20[0-9]{2})(?![0-9])",
            0.1,
        ),
        Pattern(
            "vietnamese",
            # (ngày) 12 tháng 4 năm 1990, also typed without diacritics (12 thang 4 nam 1990)
            r"(?<![0-9])[0-9]{1,2}\s?th[áa]ng\s?[0-9]{1,2},?\s?n[ăa]m\s?(?:1[89][0-9]{2}|20[0-9]{2})(?![0-9])",
            0.1,
        ),
        Pattern(
            "year_only",
            # 昭和8年, 1961年, S45年 — a birth date only with 生まれ / 生 right after it
            # (see _year_only_is_birth); sinh năm 1960, born in 1960 before a bare year.
            rf"(?:{_ERA}\s?{_YEAR}|(?<![0-9])(?:1[89][0-9]{{2}}|20[0-9]{{2}}))\s?年(?!\s?{_NUM}\s?月)"
            # … or a Korean one before 생 (1941년생); after a cue in the languages staff
            # translate from (nasceu em 2020, lahir tahun 1994, sinh nam 2019.).
            r"|(?<![0-9])(?:1[89][0-9]{2}|20[0-9]{2})\s?년(?=\s?생)"
            r"|(?:(?<=n[ăa]m )|(?<=born in )|(?<=nasceu em )|(?<=nascido em )|(?<=nascida em )"
            r"|(?<=nasci em )|(?<=nació en )|(?<=nacido en )|(?<=nacida en )|(?<=lahir tahun )"
            r"|(?<=lahir pada tahun ))"
            r"(?:1[89][0-9]{2}|20[0-9]{2})(?![0-9/\-]|[.][0-9])",
            0.1,
        ),
        Pattern(
            "bracketed_year",
            # (1979) right after a name — a birth year only there (see _year_beside_name).
            r"(?<=[(（])(?:19[0-9]{2}|20[0-9]{2})(?=[)）])",
            0.1,
        ),
        Pattern(
            "eraless_wareki",
            # 48年6月7日生まれ: the era left out, as older residents say it — only with
            # 生まれ / 生 right after it (see _year_only_is_birth).
            rf"(?<![0-9年元明大昭平令治正和成MTSHR.])[0-9]{{1,2}}\s?年\s?{_NUM}\s?月\s?{_NUM}\s?日",
            0.1,
        ),
        Pattern(
            "romanised_japanese",
            # Showa 55-nen 3-gatsu 14-ka, Heisei 30 nen 4 gatsu 2 ka, 1991-nen 7-gatsu
            # 9-nichi: a Japanese date in Latin letters, as residents romanise it.
            r"(?<![A-Za-z0-9])(?:(?:Meiji|Taish[oō]u?|Sh[oō]u?wa|Heisei|Reiwa)\s?[0-9]{1,2}"
            r"|(?:1[89][0-9]{2}|20[0-9]{2}))[\s-]?nen,?\s?[0-9]{1,2}[\s-]?gatsu,?\s?"
            r"[0-9]{1,2}[\s-]?(?:nichi|ka)(?![A-Za-z])",
            0.1,
        ),
        Pattern(
            "korean",
            # 1990년 4월 12일
            r"(?<![0-9])(?:1[89][0-9]{2}|20[0-9]{2})\s?년\s?[0-9]{1,2}\s?월\s?[0-9]{1,2}\s?일",
            0.1,
        ),
    ]

    # Labels looked for before the date (see _is_birth_context), not Presidio's
    # token-window context.
    CONTEXT: ClassVar[list[str]] = [
        "生年月日",
        "出生年月日",
        "出生日",
        "誕生日",
        "生年",
        "出生",
        "誕生",
        "生まれ",
        "年齢",
        "date of birth",
        "birth date",
        "birthday",
        "birth",
        "born",
        "dob",
        "d.o.b",
        # a reception note's "b." after a name (Catherine Hughes, b. 1977-12-05)
        ", b.",
        "(b.",
        "ngày sinh",
        "sinh ngày",
        "sinh",
        "data de nascimento",
        "nascido",
        "nascida",
        "nasci",
        "nascimento",
        "fecha de nacimiento",
        "nacido",
        "nacida",
        "nací",
        "nacimiento",
        "petsa ng kapanganakan",
        "kapanganakan",
        "kaarawan",
        "ipinanganak",
        "nasceu",
        "nació",
        "tanggal lahir",
        "tgl lahir",
        "lahir",
        "janma miti",
        "janmamiti",
        "जन्म मिति",
        "जन्म",
        "생년월일",
        "생일",
        "출생일",
        "出生日期",
        "出生于",
        "出生於",
        "生于",
        "生於",
        "生日",
    ]

    SUPPORTED_ENTITY: ClassVar[str] = "BIRTH_DATE"
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """None (keep the low score, context decides) for a real date, False otherwise."""
        if parse_date(pattern_text) is not None or parse_foreign_date(pattern_text) is not None:
            return None
        if parse_year(pattern_text) is not None or parse_eraless(pattern_text):
            return None
        return False

    def enhance_using_context(
        self,
        text: str,
        raw_recognizer_results: list[RecognizerResult],
        other_raw_recognizer_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts | None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Apply the class's context rule to each date.

        Every result is marked as context-handled so that Presidio's token-window
        enhancer does not add to it: a 生年月日 six words away may label another date.
        """
        labels = _label_regex(tuple(self.context))
        starts = sorted(r.start for r in raw_recognizer_results)
        name_ends = {r.end for r in other_raw_recognizer_results if r.entity_type == "PERSON"}
        for result in raw_recognizer_results:
            matched = text[result.start : result.end]
            if _is_partial(matched):
                birth = _partial_is_birth(text, result) or _year_beside_name(
                    text, result, name_ends
                )
            else:
                birth = (
                    _is_birth_context(text, result, labels, starts)
                    or _bracketed_after_name(text, result, name_ends)
                    or _column_of_birth_dates(text, result, labels)
                    or _form_line_below_name(text, result, name_ends)
                )
            if birth:
                result.score = _SCORE_BIRTH_CONTEXT
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return raw_recognizer_results


def _is_birth_context(
    text: str, result: RecognizerResult, labels: re.Pattern[str], date_starts: list[int]
) -> bool:
    if _NOT_BIRTH_AFTER.match(text, result.end):
        return False
    if _RANGE_BEFORE.search(text, max(0, result.start - 3), result.start):
        return False  # the end of a range of dates: 平成17年4月2日から平成18年4月1日生まれ
    if _BIRTH_AFTER.match(text, result.end):
        return True
    window_start = max(0, result.start - _WINDOW)
    before = text[window_start : result.start]
    if _AGE_BEFORE.search(before):
        return True
    matches = list(labels.finditer(before))
    last = matches[-1] if matches else None
    if last is None or not _LABEL_GAP.fullmatch(before[last.end() :]):
        return False
    # Another date between the label and this one takes the label for itself.
    label_end = window_start + last.end()
    return not any(label_end <= s < result.start for s in date_starts)


def _bracketed_after_name(text: str, result: RecognizerResult, name_ends: set[int]) -> bool:
    """The date is all there is in brackets right after a name: 山田太郎（昭和50年1月2日）,
    内田 勝さん（1955.06.30）— not an event's date (…（2024年4月1日）に着任). A date ten
    years or more in the past beside a name is a birth date in brackets or not, whatever
    follows (池谷 弘（1948年2月14日）から問い合わせ, 堤 亜希子　1986/3/27　焼津市…)."""
    if not name_ends:
        return False
    before = _BESIDE_NAME.search(text, max(0, result.start - 8), result.start)
    if before is None or before.start() not in name_ends:
        return False
    matched = text[result.start : result.end]
    born = parse_date(matched) or parse_foreign_date(matched)
    if born is not None and born.year <= date.today().year - _OLD_ENOUGH:
        return True
    if not before.group("open"):
        return False
    return _CLOSE_AFTER.match(text, result.end) is not None


def _year_beside_name(text: str, result: RecognizerResult, name_ends: set[int]) -> bool:
    """A year alone in brackets right after a name, as staff note a resident's age
    (Wilfredo Apaza (1979) pide …, 金杰（1983年生）): ten years or more in the past."""
    before = _BESIDE_NAME.search(text, max(0, result.start - 8), result.start)
    if before is None or not before.group("open") or before.start() not in name_ends:
        return False
    year = parse_year(text[result.start : result.end])
    return (
        year is not None
        and year <= date.today().year - _OLD_ENOUGH
        and _YEAR_CLOSE.match(text, result.end) is not None
    )


_YEAR_CLOSE = re.compile(r"(?:年生まれ|年生|年)?\s?[)）]")


def _form_line_below_name(text: str, result: RecognizerResult, name_ends: set[int]) -> bool:
    """A form without labels, one field a line: the name, the address, the phone, then a
    date ten or more years past alone on its line (市川 浩二⏎焼津市…⏎昭和38年7月14日) —
    the resident's birth date; a notice's dates stand in sentences."""
    line_start = text.rfind("\n", 0, result.start) + 1
    line_end = text.find("\n", result.end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start : result.start].strip() or text[result.end : line_end].strip():
        return False
    above = line_start
    for _ in range(3):
        if above <= 0:
            return False
        above = text.rfind("\n", 0, above - 1) + 1
        if any(above <= end <= line_start for end in name_ends):
            matched = text[result.start : result.end]
            born = parse_date(matched) or parse_foreign_date(matched)
            return born is not None and born.year <= date.today().year - _OLD_ENOUGH
    return False


# Years before today from which a date beside a name can only be when they were born.
_OLD_ENOUGH = 10


def _column_of_birth_dates(text: str, result: RecognizerResult, labels: re.Pattern[str]) -> bool:
    """A row of a pasted table whose header names the column: 「No.　氏名　生年月日」 on a
    line above, the rows in between none empty (the date's own line is a row)."""
    line_start = text.rfind("\n", 0, result.start)
    if line_start < 0:
        return False
    block_start = text.rfind("\n\n", 0, line_start)
    above = text[max(block_start + 1, line_start - _TABLE_REACH) : line_start]
    for line in reversed(above.split("\n")):
        if _ANY_DIGIT_RUN.search(line):
            continue  # another row
        cells = [c.strip() for c in _CELL_SPLIT.split(line.strip()) if c.strip()]
        return len(cells) >= 2 and any(labels.fullmatch(c) for c in cells)
    return False


_TABLE_REACH = 400
_ANY_DIGIT_RUN = re.compile(r"[0-9]{2}")
# A header line has columns: two or more cells split by tabs, wide spaces, | or commas,
# one of them the label alone (not a sentence that mentions 生年月日、住所など).
_CELL_SPLIT = re.compile(r"\t|\u3000+|\s{2,}|[|,，]")


def _is_partial(matched: str) -> bool:
    """A year alone (昭和8年, sinh năm 1960) or a date without its era (48年6月7日)."""
    return parse_date(matched) is None and parse_foreign_date(matched) is None


def _partial_is_birth(text: str, result: RecognizerResult) -> bool:
    """A year alone or an era-less date is a birth date only with 生まれ / 生 right after
    it (1961年生, 昭和8年生まれ, ４８年６月７日生まれ) or after sinh năm / born in."""
    if (
        _NOT_BIRTH_AFTER.match(text, result.end)
        or _GENERIC_AFTER.match(text, result.end)
        or _COHORT_AFTER.match(text, result.end)
    ):
        return False
    if _YEAR_AFTER.match(text, result.end):
        return True
    return _YEAR_CUE_BEFORE.search(text, max(0, result.start - 24), result.start) is not None


# A whole cohort, not one person: 1961年生まれの方, 昭和36年生以降の人.
_GENERIC_AFTER = re.compile(
    r"[^\S\n]?(?:生まれ|生れ|生)(?:の(?:方|人|皆|市民|男性|女性|者)|以降|以前|以後|～|〜|から|まで|まで|・)"
)
_YEAR_AFTER = re.compile(
    r"[^\S\n]?(?:生まれ|生れ|産まれ|생|생이|생인|생으로|生(?![ぁ-ねは-ゖァ-ヺ一-龥々]))"
)
_YEAR_CUE_BEFORE = re.compile(
    r"(?<!yang )(?:sinh n[ăa]m|born in|nasceu em|nascid[oa] em|nasci em|naci[óo] en"
    r"|nacid[oa] en|lahir tahun|lahir pada tahun) $",
    re.I,
)
# After a year a cue names, the bound of a cohort (Sinh năm 2020 trở về trước,
# nascido em 2015 ou depois): not one person.
_COHORT_AFTER = re.compile(
    r"\s?(?:tr[ởo] v[ềe]|tr[ởo] l[êe]n|ou (?:antes|depois)|o (?:antes|despu[ée]s)"
    r"|or (?:earlier|later|before|after)|and (?:earlier|later)|atau (?:sebelumnya|sesudahnya)"
    r"|ke (?:atas|bawah)|까지|부터|이후|이전)",
    re.I,
)


# Between a name and its date: an honorific, then a bracket ("太郎 （", "勝さん（"), or
# only spaces and a comma (a row of a list: 堤 亜希子　1986/3/27); the bracket closing it
# — unless an event follows: 山田太郎（2024年4月1日）に着任, （…）付で異動.
_BESIDE_NAME = re.compile(
    r"(?:さん|様|さま|氏|くん|ちゃん)?(?:(?P<open>\s?[(（]\s?)|[\s\u3000、,]{1,3})$"
)
_CLOSE_AFTER = re.compile(
    r"\s?[)）](?!\s?に?(?:付|から|まで|以降|時点|現在|着任|就任|採用|退職|異動|転入|転出|死亡|逝去))"
)


@lru_cache(maxsize=32)
def _label_regex(context: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of the labels, longest first (生年月日 before 生年)."""
    ordered = sorted(context, key=len, reverse=True)
    return re.compile("|".join(re.escape(w).replace(r"\ ", r"\s?") for w in ordered), re.I)


def parse_foreign_date(match_text: str, today: date | None = None) -> date | None:
    """The date of a Western, Vietnamese or Korean form (12/04/1990, April 12, 1990,
    12 de abril de 1990, 12 tháng 4 năm 1990, 1990년 4월 12일), or None. A numeric date
    with the year last is read day first and month first: either real date will do."""
    text = match_text.lower()
    numbers = [int(n) for n in re.findall(r"[0-9]+", text)]
    years = [n for n in numbers if n >= _FIRST_GREGORIAN_YEAR]
    if len(years) != 1:
        return None
    year = years[0]
    rest = [n for n in numbers if n != year] or [year]
    month_word = _MONTH_WORD.search(text)
    if month_word is not None:
        orders = [(_MONTHS[month_word.group().rstrip(".")], rest[0])] if rest else []
    elif "년" in text:
        orders = [(rest[0], rest[1])] if len(rest) == 2 else []
    elif "tháng" in text or "thang" in text:
        orders = [(rest[1], rest[0])] if len(rest) == 2 else []
    elif len(rest) == 2 and numbers[-1] == year:  # year first is parse_date's
        orders = [(rest[1], rest[0]), (rest[0], rest[1])]
    else:
        orders = []
    for month, day in orders:
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found <= (today or date.today()):
            return found
    return None


def parse_year(match_text: str, today: date | None = None) -> int | None:
    """The Gregorian year of a year alone (昭和8年, 1961年, 1960), or None."""
    text = match_text.strip().rstrip("年년").strip()
    era_match = _ERA_PREFIX.match(text)
    number = kanji_number(text[era_match.end() :].strip() if era_match else text)
    if number is None:
        return None
    if era_match is None:
        year = number
    else:
        first, last = _ERAS[_ERA_KEYS.get(era_match.group(0), era_match.group(0)[0].upper())]
        year = first.year - 1 + number
        if number < 1 or (last is not None and year > last.year):
            return None
    this_year = (today or date.today()).year
    return year if _FIRST_GREGORIAN_YEAR <= year <= this_year else None


def parse_eraless(match_text: str) -> bool:
    """A date without its era (48年6月7日): a real month and day. A date with its era
    that ``parse_date`` refused (平成31年5月1日) is none."""
    if _ERA_PREFIX.match(match_text.strip()):
        return False
    numbers = [kanji_number(n) for n in _NUMBERS.findall(match_text)]
    if len(numbers) != 3 or any(n is None for n in numbers):
        return False
    _, month, day = (n or 0 for n in numbers)
    return 1 <= month <= 12 and 1 <= day <= 31


_ERA_PREFIX = re.compile(r"明治|大正|昭和|平成|令和|[明大昭平令]|[MTSHR]\.?", re.I)
_NUMBERS = re.compile(r"元|[0-9]+|[〇一二三四五六七八九十]+")


def parse_date(match_text: str, today: date | None = None) -> date | None:
    """The Gregorian date a matched text stands for, or None if it is not a real one."""
    text = match_text.strip()
    era_match = _ERA_PREFIX.match(text)
    numbers = [
        kanji_number(n) for n in _NUMBERS.findall(text[era_match.end() :] if era_match else text)
    ]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    if era_match is None and len(values) == 1 and len(text) == 8:  # 19750102
        values = [int(text[:4]), int(text[4:6]), int(text[6:])]
    if len(values) != 3:
        return None
    year, month, day = values
    if era_match is not None:
        key = _ERA_KEYS.get(era_match.group(0), era_match.group(0)[0].upper())
        first, last = _ERAS[key]
        if year < 1:
            return None
        year += first.year - 1
    elif year < _FIRST_GREGORIAN_YEAR:
        return None
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if era_match is not None and (found < first or (last is not None and found > last)):
        return None
    return found if found <= (today or date.today()) else None


def kanji_number(token: str) -> int | None:
    """元 → 1, "50" → 50, 五十 → 50, 十二 → 12, 三十一 → 31; None if malformed.

    Only what dates need (below 100). The normaliser already turned positional runs
    (五〇, 一二) into ASCII digits; 十 forms are left to us.
    """
    if token == "元":
        return 1
    if token.isascii() and token.isdigit():
        return int(token)
    total = 0
    digit: int | None = None
    seen_ten = False
    for ch in token:
        if ch == "十":
            if seen_ten:
                return None
            total += (1 if digit is None else digit) * 10
            digit = None
            seen_ten = True
        elif ch in _KANJI_DIGIT:
            if digit is not None:  # two digits in a row: not a 十 form
                return None
            digit = _KANJI_DIGIT[ch]
        else:
            return None
    return total + (digit or 0)
