"""Placeholder mode only: widen what the guard found to the whole value, and take a few
strongly cued values the recognisers leave.

With placeholders on, a value the guard misses is sent as written (docs/placeholders.md,
"Known limits"), while a span that is too wide costs little: the staff member's text is
restored on the way out, whole. So when the request asked for placeholders — and only
then; the plain guard's decisions are untouched — the planner runs this pass over the
scan before replacing:

* **a name's missing part.** A Japanese name found in part (林 |音々|, |児島| 治章（,
  渡辺　あす|か|) takes the adjacent one to three kanji or the kana that continue it, up
  to an honorific or a delimiter; two pieces of one name (牛田 確|美) become one; a Latin
  name takes its particles and the capitalised words joined by them (Valentina |del
  Valle|, Sra. |da| Paz, Jacobo |de| Anda).
* **a name after a cue.** A family member named after a kinship word ("my daughter
  Emma", "meu filho João", "su hija Ana", 딸 김지후의, 我的孩子杜婷婷想…), a name after a
  form label (同居家族：宇野呉羽, 妻：…), a name after a courtesy title (Señora de Anda,
  Prezada Sra. da Rosa), a short kanji or Hangul run between a delimiter and an
  honorific (（田超さん, 。김様), a name after 我叫/我是.
* **the same name elsewhere.** A name found once (柚木 in 柚木さん) is the name wherever
  it is written in the text (柚木　佐以子さん, where the recogniser saw nothing), then
  widened as above.
* **an address's missing parts.** The prefecture and city written before the found span
  (静冈县滨松市|港町2-201-12|, 시즈오카현 야이즈시 |사카에초 3-866-14|) or after it (|…
  Osaka-shi|, Osaka), and the building and room (|…２丁目１番| コート縄手ハイツ第２ ２１２号);
  a block number with a prefecture or a city around it (4-22-16 Chuo-cho, Sakura-shi,
  Chiba; 神奈川县横滨市鹤见4-126-1; 군마현 오이즈미마치 오타 5-598-24) — except beside an
  office's words (City Hall, 市役所, センター …) without a living cue, which is the
  office's own address.
* **a date's missing word and an unlabelled date of birth.** "ngày"/"ngay" before a
  found date; a full date in parentheses right after a name (横井 若薫子（昭和32年3月21日）).

Every widened or added span is the type's placeholder in the task (never a block: a
type the task does not placeholder is not widened), never grows into another finding,
and is shown in the preview before anything is sent. Measured in bench/RESULTS.md:
leaks before and after, on the generated residents and on a hand-written held-out set,
and the public words (office and facility names) placeholdered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from guardrails._models import Finding, ScanResult
from guardrails.recognizers._kin_words import (
    CHINESE_KIN,
    CHINESE_POSSESSIVES,
    CONNECTORS,
    KOREAN_KIN,
    latin_kin_cues,
)

PERSON, ADDRESS, BIRTH_DATE = "PERSON", "ADDRESS", "BIRTH_DATE"
SCORE = 0.5  # below the recognisers' scores: a reader of the audit counts sees the source

_KANJI = "\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002fa1f"
_HIRA = "\u3041-\u3096"
_KATA = "\u30a1-\u30fa\u30fc\u30fb"
_HANGUL = "\uac00-\ud7a3"
_SPACE = " \u3000"
_HONORIFIC = r"(?:様|さま|さん|ちゃん|くん|君|殿|氏)"
# A delimiter around a Japanese name: punctuation, brackets, a colon, a line break.
_DELIM = "（(）)「」『』、。，,．：:；;\n\t・/／"

# -- names: Japanese ------------------------------------------------------------------------
# What a kanji run next to a name must not end with: a role, an office, a relation.
_ROLE_END = frozenset(
    "課係室局長者員様殿族先宛人男父母夫妻孫兄姉弟妹宅君氏方家屋店社工日週年時分頃後間入出"
)
# Chinese words before a name (我叫|陈柳, 住在|…): never part of it.
_NOT_BEFORE_NAME = frozenset("叫是的在和与與及给給")
_NOT_NAME = frozenset(
    "担当 宛先 宛名 氏名 名前 相談者 申出人 対象者 本人 家族 同居 保護者 児童 生徒 先日 今回"
    " 前回 昨年 本日 今年 来年 住所 電話 連絡先 携帯 課長 係長 部長 室長 所長 市長 町長 村長"
    " 局長 主任 主査 主事 議員 委員 会長 校長 園長 院長 医師 先生 長男 長女 次男 次女 三男"
    " 三女 皆 皆様 各位 同様 王様 神様 奥様 一同 御中 不明 なし 無し 未定 同じ 以上 市民 住民"
    " 職員 世帯主 配偶者 来所者 申請者 事務局 息子 娘 嫁 婿 旦那 主人 両親 兄弟 姉妹 家内 子 お子"
    " 今月 先月 来月 毎月 毎日 今日 明日 昨日".split()
)
# One kanji before 様/さん that is a word, not a surname (神様, 同様, 各様) — for the
# honorific cue only: 王 and 多 are surnames too (王 建華).
_NOT_HONOURED = frozenset("神王奥客仏鬼同各貴模仕多異一両皆")
_KANJI_RUN_BEFORE = re.compile(rf"(?<![{_KANJI}])([{_KANJI}]{{1,3}})([{_SPACE}]?)$")
_AFTER_NAME = rf"(?=[{_SPACE}]*{_HONORIFIC}|[{_SPACE}]*[{re.escape(_DELIM)}]|[{_SPACE}]*$)"
_KANJI_RUN_AFTER = re.compile(rf"([{_SPACE}]?)([{_KANJI}]{{1,3}}){_AFTER_NAME}")
_KANA_RUN_AFTER = re.compile(rf"([{_SPACE}]?)([{_HIRA}{_KATA}]{{1,4}}){_AFTER_NAME}")
_HONORIFIC_START = re.compile(r"さん|さま|ちゃん|くん|どの|へ|から|より")
_PARTICLE_START = re.compile(r"[はがをにへとでものやか]")
_PIECES_GAP = re.compile(rf"[{_SPACE}]?[{_KANJI}]{{0,2}}[{_SPACE}]?")
# A form's label, then a name: 同居家族：宇野呉羽。 妻：ラマ・スニタ、
_LABELS = (
    "同居家族|同居人|同居|家族|世帯主|配偶者|長男|長女|次男|次女|三男|三女|妻|夫|母|父|祖母"
    "|祖父|孫|義母|義父|娘|息子|保護者|児童|相談者|申出人|対象者|来所者|申請者|宛名|氏名"
    "|お名前|名前|本人|子ども|子供"
)
_NAME_RUN = rf"[{_KANJI}{_KATA}][{_KANJI}{_HIRA}{_KATA}]{{0,5}}(?:[{_SPACE}][{_KANJI}{_HIRA}{_KATA}]{{1,5}})?"
_LABELLED = re.compile(
    rf"(?<![{_KANJI}])(?:{_LABELS})(?:[：:]|[{_SPACE}])[{_SPACE}]*({_NAME_RUN})"
    rf"(?=[{_SPACE}]*{_HONORIFIC}|[{_SPACE}]*[（(、。，,\n）)]|$)"
)
_LABEL_START = re.compile(rf"(?:{_LABELS})(?:[：:{_SPACE}]|$)")
# A short kanji or Hangul run between a delimiter and an honorific: （田超さん、。김様
_HONOURED = re.compile(
    rf"(?:(?<=[{re.escape(_DELIM)}{_SPACE}])|^)([{_KANJI}]{{1,4}}|[{_HANGUL}]{{1,4}})"
    rf"(?=(?:様|さま|さん|ちゃん|くん|殿)(?![々]))"
)

# -- names: Latin script ----------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*[^\W_])?")
_PARTICLES = frozenset(
    "de da do dos das del della dela delos di du van von der den la le los las bin binti ibn"
    " al el".split()
)
# Capitalised words that begin a sentence or a greeting, not a name.
_NOT_GIVEN = frozenset(
    "dear hello hi mr mrs ms miss mx dr prof sir madam sr sra srta señor señora señorita senhor"
    " senhora dona dom prezada prezado prezados estimada estimado estimados querida querido"
    " olá ola hola atentamente obrigado obrigada gracias regards sincerely thanks thank please"
    " my our i the to from and or but re subject tel phone email e-mail city office hall"
    " ward division center centre school street avenue road yes no ok i'm i’m im it's this he"
    " she we they you".split()
)
_TITLE = re.compile(
    r"\b(?:(?i:señora|señor|señorita|senhora|senhor|dona|madame|monsieur)|Mrs|Mr|Ms|Miss|Mx|Dr"
    r"|Sra|Srta|Sr)\.?\s+",
)
# Kin phrases of one to three words (my daughter, con gái tôi), looked up word by word:
# one regex alternation of every phrase costs more than the rest of the pass together.
_KIN_PHRASES = frozenset(c.casefold() for c in latin_kin_cues())
_KIN_AFTER = re.compile(
    r",?\s+(?:(?i:" + "|".join(re.escape(c) for c in CONNECTORS) + r")\s+)?(?:si\s+)?"
)
_ASCII_WORD = re.compile(r"[A-Za-z]{2}")
_HANGUL_CHAR = re.compile(f"[{_HANGUL}]")
_CHINESE_CUE_CHARS = ("我", "他的", "她的", "本人")
_BLOCK_DIGITS = re.compile(r"[0-9０-９][-‐−－ー][0-9０-９]")
_NUMBER = "0-9０-９"
_TITLE_BEFORE = re.compile(_TITLE.pattern + "$")
_WORD_BEFORE = re.compile(r"(?<![\w'’\-.])([^\W\d_](?:[\w'’\-]*[^\W_])?) $")

# -- names: Hangul and Chinese ------------------------------------------------------------------
_KOREAN_KIN = re.compile(
    rf"(?<![{_HANGUL}])(?:{'|'.join(sorted(KOREAN_KIN, key=len, reverse=True))})\s+([{_HANGUL}]{{2,5}})"
)
_KOREAN_PARTICLE_END = frozenset("의이가은는을를도와과에")
_CHINESE_KIN = re.compile(
    rf"(?:{'|'.join(sorted(CHINESE_POSSESSIVES, key=len, reverse=True))})(?:{'|'.join(sorted(CHINESE_KIN, key=len, reverse=True))})"
    rf"[，, ]?([{_KANJI}]{{2,3}})"
)
_CHINESE_SELF = re.compile(
    rf"(?:我叫|我是|我的名字是|本人是)([{_KANJI}]{{2,4}})(?=[，。,.！!、\s]|$)"
)
# A character that ends a Chinese name written before a verb: 杜婷婷|想上小学.
_CHINESE_STOP = frozenset("想要是在的和说會会已也还還需叫因从從于於今年岁歲")

# -- addresses --------------------------------------------------------------------------------
_PREFECTURES = (
    "hokkaido aomori iwate miyagi akita yamagata fukushima ibaraki tochigi gunma saitama chiba"
    " tokyo kanagawa niigata toyama ishikawa fukui yamanashi nagano gifu shizuoka aichi mie"
    " shiga kyoto osaka hyogo nara wakayama tottori shimane okayama hiroshima yamaguchi"
    " tokushima kagawa ehime kochi fukuoka saga nagasaki kumamoto oita miyazaki kagoshima"
    " okinawa"
).split()
_LATIN_PLACE = re.compile(
    r",?\s*([A-Z][a-zāēīōū]+(?:-(?:shi|ku|gun|ken|cho|chō|machi|mura|son|to|fu))?"
    r"(?:\s(?:City|Ward|Town|Prefecture))?)(?=[\s,.;:)）]|$)"
)
_LATIN_LOCALITY = re.compile(
    r"-(?:shi|ku|gun|ken|cho|chō|machi|mura)$|\s(?:City|Ward|Town|Prefecture)$"
)
_BLOCK = r"(?<![\w\-])[1-9][0-9]{0,3}(?:[-‐−][0-9]{1,4}){1,3}(?![\w\-])"
_LATIN_ADDRESS = re.compile(
    rf"{_BLOCK}(?:,?\s[A-Z][a-zāēīōū]+(?:-[a-zāēīōū]+)?){{1,4}}"
    rf"|(?:[A-Z][a-zāēīōū]+(?:-[a-zāēīōū]+)?,?\s){{1,3}}{_BLOCK}(?:,?\s[A-Z][a-zāēīōū]+(?:-[a-zāēīōū]+)?){{0,3}}"
)
_HAN_ADDRESS = re.compile(
    rf"[{_KANJI}]{{1,4}}[都道府県县市][{_KANJI}]{{0,12}}?[{_NUMBER}]{{1,4}}(?:[-‐−－ー][{_NUMBER}]{{1,4}}){{1,3}}"
)
_HANGUL_ADDRESS = re.compile(
    rf"[{_HANGUL}]{{2,6}}(?:현|도|부|시)(?:\s[{_HANGUL}]{{1,8}}){{0,3}}\s?[0-9]{{1,4}}(?:-[0-9]{{1,4}}){{1,3}}"
)
_HAN_NOT_START = frozenset("在住于於是的到从從往居我你他她们們")
_HANGUL_BEFORE = re.compile(
    rf"(?<![{_HANGUL}])([{_HANGUL}]{{1,8}}(?:현|도|부|시|구|군|정|초|쵸|마치|무라))\s?$"
)
_HAN_SUFFIX = frozenset("都道府県县市区區郡町村")
_BUILDING = re.compile(
    r"ハイツ|コーポ|マンション|アパート|レジデンス|パレス|荘|棟|号室|ビル|タワー|コート|メゾン|ハウス"
    r"|ヒルズ|ガーデン|団地|住宅|寮|ハイム|ヴィラ|プラザ|テラス|シティ|パーク|カーサ|ドミール|コープ"
)
_ROOM = re.compile(rf"[A-Za-zＡ-Ｚａ-ｚ]?[-－]?[{_NUMBER}]{{1,4}}(?:号室|号|階|[FＦ])?")
_LETTERS = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]{1,8}|第[0-9０-９]{1,2}")
_TAIL_TOKEN = re.compile(r"[^\s\u3000、。，,（）()「」:：;；]{1,20}")
# An office's address: its words on the line and no living cue (as the address recogniser).
_OFFICE = re.compile(
    r"City Hall|Town Hall|Office|Division|Section|Center|Centre|Library|Hospital|School"
    r"|市役所|役場|庁舎|課|センター|図書館|病院|学校|公民館|会館|시청|구청|센터|市政府|政府",
    re.I,
)
_LIVING = re.compile(
    r"\blive|\bliving|\bmoved?\b|\baddress|\bhome\b|moro|vivo|moramos|vivimos|sống|song tai"
    r"|nakatira|住所|住在|住む|住み|お住まい|在住|살고|주소|이사",
    re.I,
)

# -- dates --------------------------------------------------------------------------------------
_VI_DAY = re.compile(r"(?i:ngày|ngay)\s+$")
_NUM = rf"[{_NUMBER}一二三四五六七八九十元]{{1,4}}"
_DATE_IN_PARENS = re.compile(
    rf"{_HONORIFIC}?[（(]((?:明治|大正|昭和|平成|令和)?{_NUM}年{_NUM}月{_NUM}日"
    rf"|[MTSHRmtshr]{_NUM}[./]{_NUM}[./]{_NUM}|[0-9]{{4}}[./-][0-9]{{1,2}}[./-][0-9]{{1,2}})"
    rf"(?:生まれ|生)?[）)]"
)


@dataclass(slots=True)
class _Span:
    type: str
    start: int
    end: int


def widen(text: str, scan: ScanResult, placeholdered: Callable[[str], bool]) -> ScanResult:
    """``scan`` with its personal findings widened and cued values added, for the types
    ``placeholdered`` says become placeholders in this task (the others are untouched).
    Findings never overlap in the result."""
    if scan.error is not None:
        return scan
    fixed = [f for f in scan.findings if f.public is not None or not placeholdered(f.type)]
    spans = [_Span(f.type, f.start, f.end) for f in scan.findings if f not in fixed]
    originals = {(f.type, f.start, f.end): f for f in scan.findings}
    work = _Work(text, spans, fixed)
    if placeholdered(PERSON):
        work.add(PERSON, _cued_names(text))
        work.add(PERSON, _titled_names(text))
    if placeholdered(ADDRESS):
        work.add(ADDRESS, _unfound_addresses(text))
    if placeholdered(BIRTH_DATE):
        work.add(BIRTH_DATE, _dates_after_names(text, work.spans))
    if placeholdered(PERSON):
        work.add(PERSON, _elsewhere(text, work.spans))
    for span in work.spans:
        if span.type == PERSON:
            work.grow(span, *_whole_name(text, span.start, span.end))
        elif span.type == ADDRESS:
            work.grow(span, *_whole_address(text, span.start, span.end))
        elif span.type == BIRTH_DATE:
            work.grow(span, *_whole_date(text, span.start, span.end))
    work.join_name_pieces()
    findings = [
        originals.get((s.type, s.start, s.end))
        or Finding(type=s.type, start=s.start, end=s.end, score=SCORE)
        for s in work.spans
    ]
    if sorted((f.type, f.start, f.end) for f in findings) == sorted(
        (f.type, f.start, f.end) for f in scan.findings if f not in fixed
    ):
        return scan
    return scan.model_copy(update={"findings": sorted([*fixed, *findings], key=lambda f: f.start)})


class _Work:
    """The spans being widened, kept apart from each other and from the fixed findings."""

    def __init__(self, text: str, spans: list[_Span], fixed: list[Finding]) -> None:
        self.text = text
        self.spans = spans
        self.fixed = fixed

    def _free(self, start: int, end: int, but: _Span | None = None) -> bool:
        return not any(f.start < end and start < f.end for f in self.fixed) and not any(
            s is not but and s.start < end and start < s.end and s.type != (but.type if but else "")
            for s in self.spans
        )

    def add(self, entity: str, found: Iterable[tuple[int, int]]) -> None:
        for start, end in found:
            if start >= end or not self._free_of_others(entity, start, end):
                continue
            same = [s for s in self.spans if s.type == entity and s.start <= end and start <= s.end]
            if same:
                first = same[0]
                first.start = min(start, *(s.start for s in same))
                first.end = max(end, *(s.end for s in same))
                self.spans = [s for s in self.spans if s is first or s not in same]
            else:
                self.spans.append(_Span(entity, start, end))
        self.spans.sort(key=lambda s: s.start)

    def _free_of_others(self, entity: str, start: int, end: int) -> bool:
        return not any(f.start < end and start < f.end for f in self.fixed) and not any(
            s.type != entity and s.start < end and start < s.end for s in self.spans
        )

    def grow(self, span: _Span, start: int, end: int) -> None:
        if start < span.start and self._free(start, span.start, span):
            span.start = start
        if end > span.end and self._free(span.end, end, span):
            span.end = end

    def join_name_pieces(self) -> None:
        """Two pieces of one Japanese name (牛田 確|美) or of a Latin one become one span."""
        spans = sorted(self.spans, key=lambda s: s.start)
        out: list[_Span] = []
        for span in spans:
            last = out[-1] if out else None
            if last is not None and last.end >= span.start and last.type == span.type:
                last.end = max(last.end, span.end)
                continue
            if (
                last is not None
                and last.type == span.type == PERSON
                and _PIECES_GAP.fullmatch(self.text, last.end, span.start)
                and not any(f.start < span.start and last.end < f.end for f in self.fixed)
            ):
                last.end = span.end
                continue
            out.append(span)
        self.spans = out


# -- names --------------------------------------------------------------------------------------
def _whole_name(text: str, start: int, end: int) -> tuple[int, int]:
    value = text[start:end]
    if _is_cjk(value[-1:]) or _is_cjk(value[:1]):
        return _whole_japanese_name(text, start, end)
    if _WORD.fullmatch(value.split()[-1] if value.split() else ""):
        return _whole_latin_name(text, start, end)
    return start, end


def _whole_japanese_name(text: str, start: int, end: int) -> tuple[int, int]:
    before = _KANJI_RUN_BEFORE.search(text, max(0, start - 4), start)
    if (
        before is not None
        and before.end() == start
        and _kanji_name_part(before[1])
        and not set(before[1]) & _NOT_BEFORE_NAME
        and _is_kanji(text[start])
    ):
        if before[2] or len(text[start:end].strip(_SPACE)) <= 2:
            start = before.start(1)
    last = text[end - 1]
    kanji = _KANJI_RUN_AFTER.match(text, end)
    kana = _KANA_RUN_AFTER.match(text, end)
    if kanji is not None and _kanji_name_part(kanji[2]):
        if kanji[1] or (_is_kanji(last) and len(text[start:end].strip(_SPACE)) <= 3):
            end = kanji.end(2)
    elif kana is not None and kana[2] not in _NOT_NAME and not _HONORIFIC_START.match(kana[2]):
        same_word = not kana[1] and (_is_kana(last))
        spaced = bool(kana[1]) and not _PARTICLE_START.match(kana[2]) and len(kana[2]) >= 2
        if same_word or spaced:
            end = kana.end(2)
    return start, end


def _kanji_name_part(run: str) -> bool:
    return run not in _NOT_NAME and run[-1] not in _ROLE_END


def _whole_latin_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Particles and the capitalised words they join (Valentina | del Valle, Sra. |da|
    Paz, |Jacobo| de Anda), and one more capitalised word on each side (a second given
    name or surname) that is not a greeting, a title or an office word."""
    for _ in range(2):
        after = _words(text, end, forward=True)
        j = _skip_particles(after)
        if j < len(after) and _given(after[j][0]):
            end = after[j][2]
        else:
            break
    for _ in range(2):
        before = _words(text, start, forward=False)
        j = _skip_particles(before)
        if j < len(before) and _given(before[j][0]) and not _sentence_start(text, before[j][1]):
            start = before[j][1]
        else:
            # Particles alone only after a courtesy title (Sra. |da| Paz), never a
            # sentence's own word (ten |la| Hoang …, pedido |de| Caleb …).
            if j and _TITLE_BEFORE.search(text, max(0, before[j - 1][1] - 12), before[j - 1][1]):
                start = before[j - 1][1]
            break
    return start, end


def _words(text: str, pos: int, *, forward: bool, most: int = 4) -> list[tuple[str, int, int]]:
    """Up to ``most`` words next to ``pos``, each one space from the last (nearest first)."""
    out: list[tuple[str, int, int]] = []
    for _ in range(most):
        if forward:
            m = _WORD.match(text, pos + 1) if text[pos : pos + 1] == " " else None
            if m is None or m.end() < len(text) and text[m.end()] not in " ,.;:!?)）、。\n":
                break
            pos = m.end()
        else:
            m = _WORD_BEFORE.search(text, max(0, pos - 40), pos)
            if m is None:
                break
            pos = m.start(1)
        out.append(
            (
                m[1] if not forward else m[0],
                m.start(1) if not forward else m.start(),
                m.end(1) if not forward else m.end(),
            )
        )
    return out


def _skip_particles(words: list[tuple[str, int, int]]) -> int:
    j = 0
    while j < len(words) and words[j][0] in _PARTICLES:
        j += 1
    return j


def _given(word: str) -> bool:
    return word[:1].isupper() and word.casefold().rstrip(".") not in _NOT_GIVEN


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" ")
    return not before or before[-1] in ".!?:：\n。"


def _titled_names(text: str) -> Iterable[tuple[int, int]]:
    """A name after a courtesy title, particles included: Señora de Anda, Sra. da Rosa."""
    for m in _TITLE.finditer(text) if _ASCII_WORD.search(text) else ():
        span = _capitalised_run(text, m.end())
        if span is not None:
            yield span


def _capitalised_run(text: str, pos: int, most: int = 4) -> tuple[int, int] | None:
    """Up to ``most`` capitalised words from ``pos`` (particles between or before them)."""
    end, words, pending = pos, 0, pos
    for m in _WORD.finditer(text, pos):
        gap = text[pending : m.start()]
        if gap.strip() or gap.count("\n") or (m.start() > pos and not gap):
            break
        word = m[0]
        if word in _PARTICLES:
            pending = m.end()
            continue
        if not word[0].isupper() or word.casefold() in _NOT_GIVEN or words == most:
            break
        words += 1
        end = pending = m.end()
    return (pos, end) if words else None


def _cued_names(text: str) -> Iterable[tuple[int, int]]:
    # Each script's cues only where that script is written (the pass runs on every
    # prompt sent with placeholders: p50 ≤ 2 ms with the rescan).
    if _ASCII_WORD.search(text):
        yield from _kin_named(text)
    hangul = _HANGUL_CHAR.search(text) is not None
    for m in _KOREAN_KIN.finditer(text) if hangul else ():
        name = m[1]
        if len(name) >= 3 and name[-1] in _KOREAN_PARTICLE_END:
            name = name[:-1]
        yield m.start(1), m.start(1) + len(name)
    chinese = any(p in text for p in _CHINESE_CUE_CHARS)
    for m in _CHINESE_KIN.finditer(text) if chinese else ():
        name = m[1]
        if name[0] in _CHINESE_STOP:
            continue
        for i, ch in enumerate(name):
            if i >= 2 and ch in _CHINESE_STOP:
                name = name[:i]
                break
        yield m.start(1), m.start(1) + len(name)
    for m in _CHINESE_SELF.finditer(text) if chinese else ():
        yield m.start(1), m.end(1)
    for m in _LABELLED.finditer(text):
        name = m[1].strip(_SPACE)
        if name in _NOT_NAME or _LABEL_START.match(name) or name[-1] in _ROLE_END:
            continue
        yield m.start(1), m.start(1) + len(m[1].rstrip(_SPACE))
    for m in _HONOURED.finditer(text):
        if m[1] not in _NOT_NAME and m[1] not in _NOT_HONOURED and m[1][-1] not in _ROLE_END:
            yield m.start(1), m.end(1)


def _kin_named(text: str) -> Iterable[tuple[int, int]]:
    """A name after a Latin-script kin phrase: my daughter Emily, meu filho João."""
    words = list(_WORD.finditer(text))
    for i in range(len(words)):
        for n in (3, 2, 1):
            phrase = words[i : i + n]
            if len(phrase) < n or any(
                text[a.end() : b.start()] != " " for a, b in pairwise(phrase)
            ):
                continue
            if " ".join(w[0] for w in phrase).casefold() in _KIN_PHRASES:
                after = _KIN_AFTER.match(text, phrase[-1].end())
                span = _capitalised_run(text, after.end()) if after is not None else None
                if span is not None:
                    yield span
                break


def _elsewhere(text: str, spans: list[_Span]) -> Iterable[tuple[int, int]]:
    """Each found name wherever else it is written (柚木さん found → 柚木　佐以子さん)."""
    values = {text[s.start : s.end].strip(_SPACE) for s in spans if s.type == PERSON}
    for value in values:
        latin = not _is_cjk(value[:1])
        if len(value) < (3 if latin else 2):
            continue
        start = text.find(value)
        while start >= 0:
            end = start + len(value)
            before, after = text[start - 1 : start], text[end : end + 1]
            if latin:
                whole = not (before.isalnum() or before == "_") and not (
                    after.isalnum() or after == "_"
                )
            else:
                whole = not (_is_kanji(before) or _KATAKANA.match(before)) and not _is_kanji(after)
            if whole and not any(s.start < end and start < s.end for s in spans):
                yield start, end
            start = text.find(value, end)


# -- addresses ------------------------------------------------------------------------------------
def _whole_address(text: str, start: int, end: int) -> tuple[int, int]:
    start = _address_head(text, start)
    end = _address_tail(text, end)
    return start, end


def _address_head(text: str, start: int) -> int:
    """The prefecture and city written before the found span (Han or Hangul units)."""
    pos = start
    while True:  # Han: 静冈县|滨松市|港町…, the shortest unit that starts a word
        unit = next((n for n in range(2, 6) if _han_unit(text, pos - n, pos)), None)
        if unit is None:
            break
        pos -= unit
    while True:  # Hangul: 시즈오카현 야이즈시 |사카에초 …
        m = _HANGUL_BEFORE.search(text, max(0, pos - 20), pos)
        if m is None or m.end() != pos:
            break
        pos = m.start(1)
    return pos


def _address_tail(text: str, end: int) -> int:
    # Latin: ", Osaka", ", Yaizu-shi, Shizuoka"
    while True:
        m = _LATIN_PLACE.match(text, end)
        if m is None:
            break
        place = m[1]
        if place.casefold().split("-")[0] not in _PREFECTURES and not _LATIN_LOCALITY.search(place):
            break
        end = m.end()
    # A building and a room: コート縄手ハイツ第２ ２１２号, ハイツ桜台荘Ｂ １０６
    pos, best = end, end
    for _ in range(3):
        gap = 1 if text[pos : pos + 1] and text[pos] in _SPACE else 0
        token = _TAIL_TOKEN.match(text, pos + gap)
        if token is None:
            break
        if _BUILDING.search(token[0]) or _ROOM.fullmatch(token[0]):
            best = token.end()
        elif not _LETTERS.fullmatch(token[0]):
            break
        pos = token.end()
    return best


def _han_unit(text: str, start: int, end: int) -> bool:
    """text[start:end] is one unit of a Han address (静冈县, 滨松市) that starts a word:
    after a non-kanji, another unit's suffix, or a word such as 住在."""
    if start < 0:
        return False
    unit = text[start:end]
    if not all(_is_kanji(c) for c in unit) or unit[-1] not in _HAN_SUFFIX:
        return False
    if unit[0] in _HAN_NOT_START:
        return False
    before = text[start - 1 : start]
    return not _is_kanji(before) or before in _HAN_SUFFIX or before in _HAN_NOT_START


def _unfound_addresses(text: str) -> Iterable[tuple[int, int]]:
    if not _BLOCK_DIGITS.search(text):
        return
    for m in _LATIN_ADDRESS.finditer(text) if _ASCII_WORD.search(text) else ():
        words = re.findall(r"[A-Z][a-zāēīōū]+(?:-[a-zāēīōū]+)?", m[0])
        if not any(_LATIN_LOCALITY.search(w) or w.casefold() in _PREFECTURES for w in words):
            continue
        if not _office(text, m.start(), m.end()):
            yield m.start(), m.end()
    hangul = _HANGUL_ADDRESS.finditer(text) if _HANGUL_CHAR.search(text) else ()
    for m in (*_HAN_ADDRESS.finditer(text), *hangul):
        start = m.start()
        while start < m.end() and text[start] in _HAN_NOT_START:
            start += 1
        if not _office(text, start, m.end()):
            yield start, m.end()


def _office(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    return bool(_OFFICE.search(line)) and not _LIVING.search(line)


# -- dates ----------------------------------------------------------------------------------------
def _whole_date(text: str, start: int, end: int) -> tuple[int, int]:
    m = _VI_DAY.search(text, max(0, start - 6), start)
    if m is not None and m.end() == start:
        start = m.start()
    return start, end


def _dates_after_names(text: str, spans: list[_Span]) -> Iterable[tuple[int, int]]:
    for span in spans:
        if span.type == PERSON:
            m = _DATE_IN_PARENS.match(text, span.end)
            if m is not None:
                yield m.start(1), m.end(1)


_KANJI_CHAR = re.compile(f"[{_KANJI}]")
_KANA_CHAR = re.compile(f"[{_HIRA}{_KATA}]")
_KATAKANA = re.compile(f"[{_KATA}]")
_CJK_CHAR = re.compile(f"[{_KANJI}{_HIRA}{_KATA}{_HANGUL}]")


def _is_kanji(ch: str) -> bool:
    return bool(ch) and _KANJI_CHAR.match(ch) is not None


def _is_kana(ch: str) -> bool:
    return bool(ch) and _KANA_CHAR.match(ch) is not None


def _is_cjk(ch: str) -> bool:
    return bool(ch) and _CJK_CHAR.match(ch) is not None
