"""Personal names in Latin script: English, Portuguese, Spanish, Filipino, Vietnamese
(with or without diacritics) and romanised Chinese, Korean and Japanese names.

Translation requests for foreign residents carry their names in the script of their
language, inside English, Vietnamese … or Japanese text. A capitalised run of words is a
name only where the text frames it as one (capitalised words are everywhere in public
notices: Yaizu City Hall, Monday, Japan Post, Mt. Fuji, Citizens Division):

* a self-introduction before it (My name is, Meu nome é, Me llamo, Ako si, Tôi tên là,
  我叫, 名前は) → 0.85; a weak one (I am, Soy, Eu sou, Tôi là, 私は) → 0.85 for two or
  more words, 0.6 for one word ending the clause, and never a nationality or adjective
  (I am Japanese, I am Happy);
* a title or salutation (Dear Mr. Taro Yamada, Sra. Ana Souza, Kính gửi chị Lan,
  G. Jose Reyes) or a form label or role (Name:, Applicant:, Nome:, Họ và tên:,
  相談者 Nguyen Thi Lan, 申請者：SANTOS Maria) → 0.85;
* a Japanese honorific after it (Maria Santosさん, Kim Min-jun様, Santos-san) → 0.85;
* alone on the line after a letter's closing (Sincerely,⏎Maria Santos) → 0.85;
* a Vietnamese full name by its structure, no context needed: a Vietnamese surname,
  Văn or Thị, then one or two words (Nguyen Thi Lan, Trần Văn Minh) → 0.85;
* once a name is found, the other capitalised occurrences of its words in the text
  (…Maria came back on Monday) → 0.85;
* with no frame at all, a known given name followed by a known family name (Met with
  Lucas Bennett, Conversei com a Larissa Martins; ``_latin_lexicon``), a list row
  "Surname, Given" (Gómez, Patricia), an initial and a surname (S. Kondo), a romanised
  Korean name (Kim Soo-jin) → 0.85; a known given name alone after a kin noun (their son
  Diego, esposa Camila, The Wilson kids (Ella …) or joined to a found name (Miguel, Ana
  and …) → 0.85.

A run never contains an organisation or place word (City, Hall, Office, Division,
Japan …) nor starts with a calendar word, salutation word or nationality (Dear
Residents, I am Japanese): ``_foreign_words`` lists those closed classes.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._romaji_names import romaji_names
from guardrails.recognizers import _foreign_words as vocab
from guardrails.recognizers import _kin_words as kin
from guardrails.recognizers import _latin_frames
from guardrails.recognizers._base import ContextRecognizer
from guardrails.recognizers._latin_lexicon import latin_lexicon

STRONG = 0.85
WEAK = 0.6

# Vietnamese capitals with two diacritics alternate with their small letters in
# U+1EA0–U+1EF9 (Ạạ Ảả …): listed one by one, or "cô ấy" would open a name at ấ.
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽƠƯ" + "".join(
    c for c in map(chr, range(0x1EA0, 0x1EFA)) if c.isupper()
)
_LETTER = "A-Za-zÀ-ÖØ-öø-ɏƠơƯưḀ-ỿ"
# One word of a name: capitalised (María, Nguyễn, O'Brien, Min-jun) or in capitals
# (SANTOS, NGUYEN); not glued to other letters or digits.
_WORD = rf"(?:[{_UPPER}][{_LETTER}'’]*(?:-[{_LETTER}][{_LETTER}'’]*)?)"
_PARTICLE = "|".join(sorted(vocab.NAME_PARTICLES, key=len, reverse=True))
# A run of up to five words, maybe joined by particles (da Silva), or by a comma after a
# surname in capitals (SANTOS, Maria) — any other comma ends the name.
_RUN = re.compile(
    rf"{_WORD}(?:(?:(?<=[{_UPPER}]), | {{1,2}}|\u3000|・)(?:(?:{_PARTICLE}) )*{_WORD}){{0,4}}(?![{_LETTER}0-9])"
)
# Between a cue and its name: a colon, spaces, or a line break (Name:⏎Maria Santos).
_SPACE = re.compile(r"[ \t\u3000]*[:：]?[ \t\u3000]*(?:\n[ \t\u3000]*)?(?:[-–]\s*)?")


def _alternation(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _latin(words: tuple[str, ...] | list[str]) -> str:
    """Alternation of the Latin-script cues (ending in a Latin or Vietnamese letter)."""
    return _alternation([w.lower() for w in words if ord(w[-1]) < 0x2000])


def _other(words: tuple[str, ...] | list[str]) -> str:
    """Alternation of the Japanese, Chinese and Korean cues."""
    return _alternation([w for w in words if ord(w[-1]) >= 0x2000])


# Latin cues are matched on the lower-cased text, only at the words that open one
# (_CUE_HEADS): a case-insensitive scan of the whole text for some 200 cues cost more than
# the rest of this recogniser. At one place a self-introduction wins over a salutation,
# a label, then a weak introduction.
_LATIN_CUES = re.compile(
    rf"(?P<self>{_latin(vocab.SELF_INTRODUCTIONS)})(?![{_LETTER}])"
    rf"|(?P<salute>{_latin(vocab.SALUTATIONS)})(?:\s+(?:{_latin(vocab.TITLES)})\.?)?(?![{_LETTER}])"
    # A label may name whose name it is: Name of applicant:, Nome do responsável:,
    # Pangalan ng magulang:, Tên của người nộp đơn:.
    rf"|(?P<label>{_latin(vocab.LATIN_LABELS)})"
    rf"(?:[ \t]+(?:{_latin(vocab.LABEL_QUALIFIERS)})(?:[ \t]+[^\s:：]+){{1,3}})?[ \t\u3000]*[:：]"
    # A kin phrase (my wife, ang asawa ko ay si, suami saya,): a name follows.
    rf"|(?P<kin>{_latin(kin.latin_kin_cues())})(?:,?[ \t]+(?:{_alternation(kin.CONNECTORS)})(?= ))*,?(?![{_LETTER}])"
    rf"|(?P<weak>{_latin(vocab.WEAK_INTRODUCTIONS)})(?![{_LETTER}])"
)
_LOWER_WORD = re.compile(
    r"[a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĵķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžơưạ-ỹ'’\-]+"
)
_CUE_HEADS = frozenset(
    cue.lower().split()[0]
    for cue in (
        *vocab.SELF_INTRODUCTIONS,
        *vocab.SALUTATIONS,
        *vocab.LATIN_LABELS,
        *vocab.WEAK_INTRODUCTIONS,
        *kin.latin_kin_cues(),
    )
    if ord(cue[-1]) < 0x2000
)
# Japanese, Chinese and Korean cues may touch the name (私はJuan Pérezです, 相談者 Nguyen
# Thi Lan, 申請者Maria Santos); their labels also take a space or nothing before it.
_OTHER_LABELS = [*vocab.JAPANESE_LABELS, *vocab.CHINESE_LABELS, *vocab.KOREAN_LABELS]
_OTHER_BEFORE = re.compile(
    rf"(?:(?P<self>{_other(vocab.SELF_INTRODUCTIONS)})"
    rf"|(?P<label>{_alternation(_OTHER_LABELS)})(?:[ \t\u3000]*[:：]|[ \t\u3000])?"
    rf"|(?P<weak>{_other(vocab.WEAK_INTRODUCTIONS)}))[ \t\u3000]*\n?[ \t\u3000]*\Z"
)
_CUE_WINDOW = 16
# The word after a run, across spaces on its line.
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")
# Titles count only capitalised (Miss Tanaka, not "don't miss Hanabi Festival"), except
# the Vietnamese ones written in lower case mid-sentence (gặp chị Lan).
_TITLES = (
    rf"(?:(?:{_alternation([t.capitalize() for t in vocab.ABBREVIATED_TITLES])})\.?"
    rf"|(?:{_alternation([t.capitalize() for t in vocab.TITLES])})"
    rf"|(?:{_alternation(vocab.LOWERCASE_TITLES)}))"
)
_TITLE = re.compile(rf"{_TITLES}(?= )")
_TITLE_BEFORE = re.compile(rf"(?<![{_LETTER}]){_TITLES}(?= \Z)")
# An honorific after the name, maybe after a bracketed aside: Olga Petrova（ロシア）さん.
_HONORIFIC = re.compile(
    rf"\s?(?:[（(][^）)\n]{{1,12}}[）)]\s?)?(?:{_alternation(vocab.HONORIFICS_AFTER)})"
)
# What a person does right after their name, in the notes staff write in English.
_PERSON_ACT_AFTER = re.compile(
    r",?\s(?:came|come|called|phoned|visited|lives|lived|moved|was born|born|b\.|asked|wants"
    r"|said|says|needs)(?![A-Za-z])"
    r"|,\s(?:b\.|born|age[ds]?|dob|d\.o\.b|\d{1,3}\s?(?:y/?o|years? old))"
)
_COUNTRY_ASIDE = re.compile(
    rf"\s?[（(](?:{_alternation(vocab.COUNTRIES_KATAKANA)})(?:国籍|人|出身)?[）)]"
)
_NEPALI_BEFORE = re.compile(r"(?<![A-Za-z])(?:ma|म)\s+\Z", re.I)
_NEPALI_AFTER = re.compile(r"\s+(?:hu|hun|ho)(?![A-Za-z])")
# A label word opening a run (Visitor James da Silva came …): not part of the name.
_LABEL_OPENING = re.compile(
    rf"^(?:(?:{_alternation([w.capitalize() for w in vocab.LATIN_LABELS if ' ' not in w])}) )+"
)
_JOINED_NAME = re.compile(rf" (?:and|&|e|y|và|at) ({_WORD}(?: {_WORD}){{0,3}})(?![{_LETTER}])")
# A signature after a dash closing the message: … tomorrow. — Jennifer White
_DASH_SIGNATURE = re.compile(r"(?<=[.!?\"”])[ \t]*[—–][ \t]?")
_NEXT_LINE_NAME = re.compile(
    rf"[ \t]*\n[ \t]*({_WORD}(?: {_WORD}){{0,2}})[ \t]*(?:\n|$|[,.;:!?](?:\s|$))"
)
_ROMAN_HONORIFIC = re.compile(r"-(?:san|sama|sensei|kun|chan)$", re.I)
_MASCOT_TEXT = re.compile(r"mascot|character|costume|yuru-?chara|キャラ|吉祥物|마스코트", re.I)
# A letter's closing (Sincerely,) or an e-mail's signature separator (a "--" line), then
# the name on the next line.
_CLOSING = re.compile(
    rf"(?im:^\s*(?:(?:{_alternation(vocab.CLOSINGS)})[,.!]?\s*\n(?:[ \t]*-- ?[ \t]*\n)?"
    r"|-- ?[ \t]*\n))"
)
# The end of a one-word name after a weak introduction: punctuation, a conjunction …
_CLAUSE_END = re.compile(
    r"\s*(?:[,.!?;:)(（）、。]|$|\s(?:and|from|y|e|và|at|ay|again)(?:\s|[.,!?]))"
)
_ANY_CUE_CHAR = re.compile(rf"[{_UPPER}]")
# Lower case (maria santos): careless typing, or a chat that capitalises nothing. Taken
# only right after a self-introduction or a label (never a weak cue or a title): up to
# four name-shaped words, ending at the first closed-class word (on, the, and, living …)
# and then at a clause end; one word alone after a self-introduction (My name is maria —
# phones capitalise the sentence, not the name), after a label only in a text with no
# capital at all.
_LOWER_NAME_WORD = re.compile(rf"[{_LETTER}][{_LETTER}'’]*(?:-[{_LETTER}]+)?(?![{_LETTER}0-9@.]\w)")
_LOWER_GAP = re.compile(r" (?=\S)")
_LOWER_END = re.compile(r"[ \t]*(?:[,.!?;:)(（）、。\n]|$)")
_ANY_LATIN = re.compile(rf"[{_LETTER}]")
# A non-Latin cue (相談者, 名前は) right before a lower-case Latin word.
_LOWER_AFTER_OTHER = re.compile(r"[^\x00-\x7f][ \t\u3000:：]*[a-z]")
_OTHER_CUE_BEFORE_LOWER = re.compile(
    rf"(?:{_other(vocab.SELF_INTRODUCTIONS)}|{_alternation(_OTHER_LABELS)})"
    rf"(?:[ \t\u3000]*[:：]|[ \t\u3000])?[ \t\u3000]*(?=[a-z])"
)


class LatinNameRecognizer(ContextRecognizer):
    """Recognise names in Latin script by the context that frames them."""

    SUPPORTED_ENTITY: ClassVar[str] = "PERSON"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Name runs framed by their context (see the module doc)."""
        capitals = _ANY_CUE_CHAR.search(text) is not None
        if not capitals and not _ANY_LATIN.search(text):
            return []
        found: dict[tuple[int, int], float] = {}
        lowered = text.lower()
        if len(lowered) != len(text):  # İ and a few others lengthen: keep the offsets
            lowered = "".join(c.lower()[0] for c in text)
        # Latin cues are tried only where a word opens one (a set look-up per word).
        cues = [
            cue
            for word in _LOWER_WORD.finditer(lowered)
            if word.group() in _CUE_HEADS and (cue := _LATIN_CUES.match(lowered, word.start()))
        ]
        for match in cues:
            weak = match.lastgroup == "weak"
            taken = self._after_cue(text, match.end(), weak, found)
            if not taken and match.lastgroup == "self":
                _calendar_given_name(text, match.end(), found)
            if not taken and match.lastgroup in ("self", "label"):
                alone_ok = match.lastgroup == "self" or not capitals
                _lower_case_name(text, match.end(), found, alone_ok=alone_ok)
        if _LOWER_AFTER_OTHER.search(text):
            for match in _OTHER_CUE_BEFORE_LOWER.finditer(text):
                _lower_case_name(text, match.end(), found, alone_ok=False)
        if not capitals:
            return self.results(found.items())
        for match in _DASH_SIGNATURE.finditer(text):
            signed = _RUN.match(text, match.end())
            if signed and _line_end(text, signed.end()) and _acceptable(signed.group()):
                found.setdefault(signed.span(), STRONG)
        for match in _CLOSING.finditer(text):
            signed = _RUN.match(text, match.end())
            if signed and _line_end(text, signed.end()) and _acceptable(signed.group()):
                found.setdefault(signed.span(), STRONG)
        # Titles and Japanese, Chinese or Korean cues are looked for just before each run
        # of capitalised words (a name is one), not over the whole text; honorifics after
        # it; Vietnamese names inside it.
        for run in _RUN.finditer(text):
            self._around_run(text, run, found)
        for span in [*_list_rows(text), *_family_surnames(text)]:
            found.setdefault(span, STRONG)
        for start, end in _latin_frames.frames(text, _WORD, _RUN.pattern):
            start = _skip_openers(text, start, end)
            if start < end and _acceptable(text[start:end].rstrip(" ,")):
                found.setdefault((start, end), STRONG)
        for start, end in _latin_frames.roster(text, _RUN.pattern):
            if _roster_item(text[start:end]):
                found.setdefault((start, end), STRONG)
        _roster_siblings(text, found)
        if "(" in text:
            lexicon = latin_lexicon()
            for aside in _YEAR_ASIDE.finditer(text):
                name = aside.group(1)
                if lexicon.is_given(name.split()[0]) and _acceptable(name):
                    found.setdefault(aside.span(1), STRONG)
        for (_, end), score in list(found.items()):
            # Two people joined (Tom and Lisa Baker, Ana e João Silva).
            joined = _JOINED_NAME.match(text, end)
            if joined is not None and _acceptable(joined.group(1)):
                found.setdefault(joined.span(1), score)
        _joined_given_names(text, found)
        for (start, end), score in list(found.items()):
            for other in _other_mentions(text, text[start:end]):
                found.setdefault(other, score)
        return self.results(found.items())

    def _around_run(
        self, text: str, run: re.Match[str], found: dict[tuple[int, int], float]
    ) -> None:
        start, end = run.span()
        window = max(0, start - _CUE_WINDOW)
        title = _TITLE.match(text, start) or _TITLE_BEFORE.search(text, window, start)
        if title is not None and not _glued_before(text, title.start()):
            self._after_cue(text, title.end(), False, found, title=True)
        other = _OTHER_BEFORE.search(text, window, start)
        if other is not None:
            self._after_cue(text, other.end(), other.lastgroup == "weak", found)
        suffix = _ROMAN_HONORIFIC.search(run.group())
        if (
            suffix is not None
            and _MASCOT_TEXT.search(text)
            and suffix.group().lower()
            in (
                "-chan",
                "-kun",
            )
        ):
            suffix = None  # Yai-chan, the city's mascot: a character, not a child
            end = start  # and no honorific after it either
        elif suffix is not None:
            end = start + suffix.start()
        if suffix or _HONORIFIC.match(text, end):
            start = _skip_openers(text, start, end)
            if start < end and _acceptable(text[start:end], first=False):
                found.setdefault((start, end), STRONG)
        for span in _vietnamese_names(run):
            found.setdefault(span, STRONG)
        for span in _lexicon_names(text, run):
            found.setdefault(span, STRONG)
        # A full name (two words or more) that acts as a person (…came to, called,
        # lives in, was born, b. 1977) or has a country in katakana beside it.
        if " " in run.group() and (
            _PERSON_ACT_AFTER.match(text, end) or _COUNTRY_ASIDE.match(text, end)
        ):
            named = _LABEL_OPENING.sub("", run.group())
            at = end - len(named)
            if " " in named and _acceptable(named):
                found.setdefault((at, end), STRONG)
        # Nepali: ma Prakash Karki hu (I am …).
        if _NEPALI_BEFORE.search(text, window, start) and _NEPALI_AFTER.match(text, end):
            found.setdefault(run.span(), STRONG)

    @staticmethod
    def _after_cue(
        text: str,
        pos: int,
        weak: bool,
        found: dict[tuple[int, int], float],
        *,
        title: bool = False,
    ) -> bool:
        """Take the capitalised run after a cue; True when one was taken."""
        gap = _SPACE.match(text, pos)
        start = gap.end() if gap else pos
        if start == pos and not title and text[pos - 1].isascii() and text[pos - 1].isalpha():
            return True  # a Latin cue glued to the next word is part of another word
        run = _RUN.match(text, start)
        if run is None or not _acceptable(run.group()):
            return False
        following = _NEXT_WORD.match(text, run.end())
        if following is not None and following.group(1).lower() in vocab.ORGANISATION_WORDS:
            # The run opens an organisation's name written on in lower case: "Lien he:
            # Hiep hoi giao luu …" (hiệp hội, association) names no contact person.
            return False
        span = run.span()
        words = run.group().split()
        if len(words) == 1 and not weak:
            # A name broken over two lines: Maria⏎Santos, the second line nothing else.
            rest = _NEXT_LINE_NAME.match(text, run.end())
            if rest is not None and _acceptable(rest.group(1), first=False):
                span = (span[0], rest.end(1))
        if weak:
            if len(words) == 1 and not _CLAUSE_END.match(text, run.end()):
                return True
            score = STRONG if len(words) > 1 else WEAK
        else:
            score = STRONG
        found[span] = max(score, found.get(span, 0.0))
        return True


def _lower_case_name(
    text: str, pos: int, found: dict[tuple[int, int], float], *, alone_ok: bool
) -> None:
    """A name in lower case right after a strong cue (see ``_LOWER_NAME_WORD``):
    my name is maria santos, i live …; 相談者 nguyen thi lan（ベトナム）. Not "my name
    is on the list" (a closed-class word first), not a word that runs on (…is
    writtenX)."""
    gap = _SPACE.match(text, pos)
    start = gap.end() if gap else pos
    words: list[tuple[int, int, str]] = []
    at = start
    while len(words) < 4:
        word = _LOWER_NAME_WORD.match(text, at)
        if word is None or not word.group().islower():
            break
        lowered = word.group()
        # A Vietnamese given name after surname + Văn/Thị may be a word too (an, ha).
        given = (
            len(words) >= 2
            and words[-1][2] in vocab.VIETNAMESE_MIDDLE_NAMES
            and words[-2][2] in vocab.VIETNAMESE_SURNAMES
        )
        # Park, Hall …: surnames that are also organisation words, opening the name.
        homograph = not words and lowered in vocab.SURNAME_HOMOGRAPHS
        if (
            not given
            and not homograph
            and (
                lowered in vocab.NOT_NAMES
                or lowered in vocab.ORGANISATION_WORDS
                or lowered in vocab.LOWERCASE_NAME_ENDS
            )
        ):
            break
        words.append((*word.span(), lowered))
        space = _LOWER_GAP.match(text, word.end())
        if space is None:
            break
        at = space.end()
    while words and words[-1][2] in vocab.NAME_PARTICLES:
        words.pop()  # joão da silva, not "… da"
    if not words or (len(words) == 1 and not alone_ok):
        return
    end = words[-1][1]
    following = _LOWER_NAME_WORD.match(text, end + 1)
    closed = following is not None and (
        following.group() in vocab.NOT_NAMES or following.group() in vocab.LOWERCASE_NAME_ENDS
    )
    if not (_LOWER_END.match(text, end) or (text[end : end + 1] == " " and closed)):
        return
    found.setdefault((start, end), STRONG)


# A full name opening with a known given name, then a year in brackets: a person's birth
# year as case notes give it (Yessenia Farfán (1988) busca trabajo).
_YEAR_ASIDE = re.compile(rf"(?<![{_LETTER}])({_WORD}(?: {_WORD}){{1,2}})\s?\((?:19|20)[0-9]{{2}}\)")


# Month and weekday words that are given names too (May, June, April, August, Sunday):
# a name after "her name is", or opening a full name whose last word is a family name
# (Sunday Okafor), or in a roster of names.
_CALENDAR_GIVEN = frozenset("may june april august sunday".split())


def _calendar_given_name(text: str, pos: int, found: dict[tuple[int, int], float]) -> None:
    """Her name is May, she's 4: a calendar word right after a self-introduction, the
    clause ending after it."""
    gap = _SPACE.match(text, pos)
    start = gap.end() if gap else pos
    word = re.compile(_WORD).match(text, start)
    if (
        word is not None
        and word.group().lower() in _CALENDAR_GIVEN
        and _CLAUSE_END.match(text, word.end())
    ):
        found.setdefault(word.span(), STRONG)


# A roster: a found name, then more full names after commas or "and" (Mark Rice, Penny
# Long, Will Church) — words that are English words too, and a surname that is an
# organisation word (Church, Park) last.
_SIBLING = re.compile(rf"(?:, | and | & |, and )({_WORD} {_WORD}(?: {_WORD})?)(?![{_LETTER}])")


def _roster_siblings(text: str, found: dict[tuple[int, int], float]) -> None:
    todo = sorted(found)
    while todo:
        start, end = todo.pop()
        if " " not in text[start:end]:
            continue
        sibling = _SIBLING.match(text, end)
        if sibling is None or sibling.span(1) in found:
            continue
        if not _roster_item(sibling.group(1)):
            continue
        found[sibling.span(1)] = found[(start, end)]
        todo.append(sibling.span(1))


def _roster_item(run: str) -> bool:
    """A full name in a roster: no organisation word but a surname homograph last
    (Helen Park, Will Church), no closed-class word first but a calendar given name."""
    words = [w.lower().strip(",") for w in run.split()]
    if any(
        w in vocab.ORGANISATION_WORDS
        and not (i == len(words) - 1 and w in vocab.SURNAME_HOMOGRAPHS)
        for i, w in enumerate(words)
    ):
        return False
    if any(w in _ROLE_WORDS for w in words):
        return False
    return words[0] not in vocab.NOT_NAMES or words[0] in _CALENDAR_GIVEN


# Titles and roles a roster of officials lists (Present: Deputy Mayor, Chief Officer).
_ROLE_WORDS = frozenset(
    "mayor deputy director chief manager head chair chairperson chairman councillor"
    " councilor council member members secretary officer officers staff president vice"
    " governor minister representative representatives speaker clerk assistant general"
    " superintendent principal".split()
)


def _glued_before(text: str, start: int) -> bool:
    """A Latin cue that continues a word (theName:, Dearest) is no cue."""
    return (
        start > 0
        and text[start - 1].isalpha()
        and text[start].isascii()
        and text[start - 1].isascii()
    )


def _acceptable(run: str, *, first: bool = True) -> bool:
    """No organisation or place word anywhere; no calendar, salutation or nationality
    word first (``first``) or as a one-word run."""
    words = [w.strip(",").lower() for w in re.split(r"[ \u3000・]", run) if w]
    if " ".join(words) in vocab.NATIONALITY_PHRASES:
        return False
    # Park Ji-won, Hall …: surnames that are also organisation words count as names first.
    # A homograph alone is a name too where a frame took it (my son River, Mr. Park).
    rest = words[1:] if words[0] in vocab.SURNAME_HOMOGRAPHS else words
    if any(w in vocab.ORGANISATION_WORDS for w in rest):
        return False
    if (
        (first or len(words) == 1)
        and words[0] in vocab.NOT_NAMES
        and not _korean_name(words)
        and not (
            words[0] in _CALENDAR_GIVEN
            and len(words) > 1
            and latin_lexicon().is_family(words[-1].capitalize())
        )
    ):
        return False
    # One short word in capitals is an acronym (担当 IT, 利用者 PC, NPO), not a name.
    single = run.strip(" ,")
    return not (len(words) == 1 and (len(single) < 2 or (single.isupper() and len(single) <= 4)))


# One syllable of romanised Korean (Revised Romanisation, and the spellings names keep:
# Lee, Park, Hoon, Soo): initial, vowel, final.
_RR_SYLLABLE = (
    r"(?:g|kk|n|d|tt|r|l|m|b|pp|s|ss|sh|j|jj|ch|k|t|p|h)?"
    r"(?:yae|yeo|wae|ae|ya|eo|ye|wa|oe|yo|wo|we|wi|yu|eu|ui|oo|ee|ou|a|e|o|u|i)"
    r"(?:ng|k|n|t|l|m|p|b)?"
)
_KOREAN_GIVEN = re.compile(rf"{_RR_SYLLABLE}-{_RR_SYLLABLE}")
_KOREAN_SURNAME = re.compile(_RR_SYLLABLE)


def _korean_name(words: list[str]) -> bool:
    """A romanised Korean name whose surname is also a word (No Chae-won, Ha Ji-won, Do
    Min-seo): one syllable, then a given name of two syllables joined by a hyphen."""
    return (
        len(words) == 2
        and _KOREAN_SURNAME.fullmatch(words[0]) is not None
        and _KOREAN_GIVEN.fullmatch(words[1]) is not None
    )


_OPENERS = frozenset(w.lower() for w in (*vocab.SALUTATIONS, *vocab.TITLES)) | vocab.NOT_NAMES


def _skip_openers(text: str, start: int, end: int) -> int:
    """Past the salutation and title words opening a run (Dear Mr. Smith Johnson様)."""
    for word in re.finditer(r"[^ ,.]+[ ,.]*", text[start:end]):
        if word.group().rstrip(" ,.").lower() not in _OPENERS:
            return start + word.start()
    return end


# How Vietnamese address a person before the name (capitalised opening a sentence).
_VIETNAMESE_ADDRESS_WORDS = frozenset(
    "cháu chau chị chi anh em bà ba ông ong cô co chú chu bé be con bạn ban".split()
)


def _vietnamese_names(run: re.Match[str]) -> list[tuple[int, int]]:
    """Surname + Văn/Thị + one or two words, inside a capitalised run; or a surname no
    other language writes (Nguyen, Tran, Pham …) opening a run of three words (Nguyen
    Thanh Nam)."""
    words = list(re.finditer(r"\S+", run.group()))
    spans: list[tuple[int, int]] = []
    for i in range(len(words) - 2):
        surname, middle = words[i].group().lower(), words[i + 1].group().lower()
        if surname in vocab.VIETNAMESE_SURNAMES and middle in vocab.VIETNAMESE_MIDDLE_NAMES:
            last = min(i + 3, len(words) - 1)
            spans.append((run.start() + words[i].start(), run.start() + words[last].end()))
        elif (
            i == 0
            and len(words) == 3
            and surname in vocab.VIETNAMESE_ONLY_SURNAMES
            and _acceptable(run.group())
        ):
            spans.append(run.span())
        elif (
            i == 1
            and len(words) == 4
            and words[0].group().lower() in _VIETNAMESE_ADDRESS_WORDS
            and surname in vocab.VIETNAMESE_ONLY_SURNAMES
        ):
            # a kin or address word opening the sentence: Cháu Lương Bảo Ngọc, Chi Quach …
            spans.append((run.start() + words[1].start(), run.end()))
    return spans


def _other_mentions(text: str, name: str) -> list[tuple[int, int]]:
    """Other occurrences of the words of a found name (three letters or more)."""
    spans: list[tuple[int, int]] = []
    for word in {w.strip(",") for w in name.split()}:
        if len(word) < 3 or word.lower() in vocab.NAME_PARTICLES:
            continue
        pattern = rf"(?<![{_LETTER}]){re.escape(word)}(?![{_LETTER}])"
        spans += [m.span() for m in re.finditer(pattern, text)]
    return spans


def _line_end(text: str, pos: int) -> bool:
    return re.match(r"[ \t]*(?:\n|$)", text[pos:]) is not None


# -- names the lists know (no frame needed) ---------------------------------------------

_NAME_PIECE = re.compile(r"[^\s,・\u3000]+")
_POSSESSIVE = re.compile(r"['’]s$")
# A kin noun (any language staff translate from), maybe with a possessive or an article
# and a connector, or a family's bracket, right before a given name: their son Diego,
# Daughter Karen, e esposa Camila, a mãe do Gabriel, The Wilson kids (Ella and Noah).
_KIN_NOUNS = frozenset(
    {n for _, nouns in (*kin._BEFORE.values(), *kin._AFTER.values()) for n in nouns.split()}
    | {"mãe", "family", "kids", "children", "twins", "família", "familia", "pamilya"}
    # Indonesian "his / her …" (anaknya Salsabila, suaminya Budi)
    | {"anaknya", "suaminya", "istrinya", "ibunya", "ayahnya", "adiknya", "kakaknya"}
)
_KIN_BEFORE_GIVEN = re.compile(
    rf"(?<![{_LETTER}])(?:{_alternation(sorted(_KIN_NOUNS))})(?:s)?"
    rf"(?:,?[ \t]+(?:do|da|de|of|named|called|is|si|ay si|é|es))?[ \t]*[,(:（]?[ \t]*\Z"
)
# A list row holding one name, surname first: Gómez, Patricia / - Reyes, Cristina.
_ROW_SURNAME_FIRST = re.compile(
    rf"(?m)^[ \t]*(?:[-・•*]|\d{{1,3}}[.)])?[ \t]*({_WORD}, {_WORD}(?: {_WORD})?)"
    # … alone on its line, or before a dash and what the row is about (Okafor, Emeka —
    # residence card)
    r"[ \t]*(?:$|[—–][ \t]|-[ \t])"
)
# An initial and a surname: S. Kondo, T.Sasaki.
_INITIAL_SURNAME = re.compile(rf"(?<![{_LETTER}.])[A-Z]\. ?({_WORD})(?![{_LETTER}])")
# … not a label (Ina: …, Ama: …) nor a kin noun.
_JOINED_GIVEN = re.compile(rf"(?:, | and | & | e | y | at | và )({_WORD})(?![{_LETTER}]|\s*[:：])")


# A Japanese surname after a known given name: Brazilians and Peruvians of Japanese
# descent (Edson Matsuda, Wagner Higa) — a surname borne by this many people or more.
NIKKEI_SURNAME = 20_000
# An English act with a person as its object, right before a one-word name (Spoke with
# Cormac about …, Ask Arjun to bring …): a known given name there is a person.
_ACT_BEFORE_GIVEN = re.compile(
    r"(?<![a-z])(?:(?:spoke|talked|speak|talk|met|meet|check|checked) (?:with|to)"
    r"|(?:please )?(?:ask|asked|tell|told|remind|reminded|call|called|phoned|email|emailed"
    r"|text|texted|visited|helped|met|thank|thanked)) \Z"
)
_ACT_OPENERS = frozenset("ask tell remind call email text thank".split())
# A family named by its surname: la familia Condori, a família Higa, pamilya Santos.
_FAMILY_OF = re.compile(
    rf"(?<![{_LETTER}])(?:la familia|a família|a familia|família|familia|pamilya|keluarga"
    rf"|gia đình|gia dinh)[ \t]+({_WORD})(?![{_LETTER}])",
    re.I,
)


def _nikkei(word: str) -> bool:
    return (
        len(word) >= 3
        and word[0].isupper()
        and word[1:].islower()
        and romaji_names().surnames.get(word.lower(), 0) >= NIKKEI_SURNAME
    )


def _family_surnames(text: str) -> list[tuple[int, int]]:
    """The surname after la familia / a família / pamilya, a known family name."""
    lexicon = latin_lexicon()
    return [
        m.span(1)
        for m in _FAMILY_OF.finditer(text)
        if (lexicon.is_family(m.group(1)) or _nikkei(m.group(1))) and _acceptable(m.group(1))
    ]


def _lexicon_names(text: str, run: re.Match[str]) -> list[tuple[int, int]]:
    """Known given name + known family name(s) inside a run (Lucas Bennett, Rafael Costa
    Pereira, Mark Anthony Villanueva, Maria da Silva); a romanised Korean name (Kim
    Soo-jin); a known given name alone right after a kin noun (their son Diego)."""
    lexicon = latin_lexicon()
    pieces = []
    for m in _NAME_PIECE.finditer(run.group()):
        word = m.group()
        possessive = _POSSESSIVE.search(word)
        end = m.end() - (len(possessive.group()) if possessive else 0)
        pieces.append((run.start() + m.start(), run.start() + end, word[: end - m.start()]))
    spans: list[tuple[int, int]] = []

    def usable(word: str) -> bool:
        lowered = word.lower()
        return lowered not in vocab.ORGANISATION_WORDS and lowered not in _OPENERS

    i = 0
    while i < len(pieces) - 1:
        given, family = pieces[i][2], pieces[i + 1][2]
        if lexicon.is_given(given) and usable(given) and usable(family):
            korean = _korean_name([given.lower(), family.lower()])
            if (
                lexicon.is_family(family)
                or korean
                or (_nikkei(family) and not re.match(r"\s*[0-9]", text[pieces[i + 1][1] :]))
            ):
                j = i + 1
                while j + 1 < len(pieces):
                    nxt = pieces[j + 1][2]
                    if nxt.lower() in vocab.NAME_PARTICLES and j + 2 < len(pieces):
                        nxt = pieces[j + 2][2]
                        step = 2
                    else:
                        step = 1
                    if not usable(nxt) or not (lexicon.is_family(nxt) or lexicon.is_given(nxt)):
                        break
                    j += step
                k = i
                while k > 0 and lexicon.is_given(pieces[k - 1][2]) and usable(pieces[k - 1][2]):
                    k -= 1
                spans.append((pieces[k][0], pieces[j][1]))
                i = j + 1
                continue
        if (
            i == 0
            and len(pieces) == 2
            and lexicon.is_family(given)
            and _KOREAN_GIVEN.fullmatch(family.lower()) is not None
        ):
            spans.append((pieces[0][0], pieces[1][1]))
        i += 1
    first = pieces[0] if pieces else None
    if first is not None and first[2].lower() in _KIN_NOUNS and len(pieces) >= 2:
        first = pieces[1]  # a kin noun opening the sentence: Daughter Karen lives …
        if lexicon.is_given(first[2]) and usable(first[2]) and not spans:
            spans.append(first[:2])
        return spans
    if (
        first is not None
        and not spans
        and lexicon.is_given(first[2])
        and usable(first[2])
        and _KIN_BEFORE_GIVEN.search(text.lower(), max(0, first[0] - 24), first[0])
    ):
        spans.append(first[:2])
    acted = (
        first is not None
        and _ACT_BEFORE_GIVEN.search(text.lower(), max(0, first[0] - 24), first[0]) is not None
    )
    if first is not None and len(pieces) >= 2 and first[2].lower() in _ACT_OPENERS:
        pieces = pieces[1:]  # the act opens the sentence: Ask Arjun to bring …
        first, acted = pieces[0], True
    if (
        first is not None
        and acted
        and not spans
        and lexicon.is_given(first[2])
        and usable(first[2])
    ):
        # the given name, and the next word when it is capitalised too (Spoke with
        # Adaeze Nwosu): the rest of a short run is the family name.
        last = pieces[1] if len(pieces) == 2 and usable(pieces[1][2]) else first
        spans.append((first[0], last[1]))
    return spans


def _list_rows(text: str) -> list[tuple[int, int]]:
    """Rows "Surname, Given" whose second word is a known given name; an initial and a
    known surname (S. Kondo: a common romanised Japanese surname or a family name)."""
    lexicon = latin_lexicon()
    spans: list[tuple[int, int]] = []
    if ", " in text:
        for row in _ROW_SURNAME_FIRST.finditer(text):
            words = row.group(1).replace(",", "").split()
            if lexicon.is_given(words[1]) and _acceptable(row.group(1)):
                spans.append(row.span(1))
    if ". " in text or re.search(r"[A-Z]\.[A-Z]", text):
        surnames = romaji_names().surnames
        for m in _INITIAL_SURNAME.finditer(text):
            surname = m.group(1)
            common = surnames.get(surname.lower(), 0) >= 20_000
            if (common or lexicon.is_family(surname)) and _acceptable(surname):
                spans.append((m.start(), m.end()))
    return spans


def _joined_given_names(text: str, found: dict[tuple[int, int], float]) -> None:
    """A known given name joined to a found name by a comma or "and" (Miguel, Ana and
    their son Diego): each one taken, in a chain."""
    lexicon = latin_lexicon()
    todo = sorted(found)
    while todo:
        start, end = todo.pop()
        joined = _JOINED_GIVEN.match(text, end)
        if (
            joined is None
            or not lexicon.is_given(joined.group(1))
            or joined.group(1).lower() in _KIN_NOUNS
        ):
            continue
        span = joined.span(1)
        if span not in found and _acceptable(joined.group(1)):
            found[span] = found[(start, end)]
            todo.append(span)
