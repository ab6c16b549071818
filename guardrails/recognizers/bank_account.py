"""銀行口座 (bank account numbers): 口座番号 with context, 全銀 codes, ゆうちょ 記号・番号."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers._base import JapanesePatternRecognizer
from guardrails.recognizers._digits import digits_only, is_one_repeated_digit

# Formats and sources:
# * 全銀 (Zengin) numbering. Source: 全国銀行協会 — 統一金融機関コード (4 digits) and
#   店舗コード (3 digits); the 全銀協規定フォーマット (総合振込 データ・レコード) carries
#   被仕向金融機関番号 N(4), 被仕向支店番号 N(3), 預金種目 N(1) (1 普通, 2 当座, 4 貯蓄,
#   9 その他) and 口座番号 N(7). A written account is "○○銀行 △△支店 普通 1234567".
# * ゆうちょ銀行 記号・番号. Source: ゆうちょ銀行「記号番号から振込用の店名・預金種目・
#   口座番号を調べる」— 通常貯金 (総合口座) 記号 are 5 digits beginning with 1, 番号 up to
#   8 digits; for transfers from other banks the 8-digit 番号 drops its final "1" to
#   become the 7-digit 口座番号, so a full 8-digit 番号 ends in 1. (振替口座 "00100-1-…"
#   begin with 0 and are usually published payee accounts: not recognised here.) The
#   conversion rule is restated in https://auchappy.com/post-office/6105/ and
#   https://mimirswell.ggnet.co.jp/blog-327.
#
# None of these carries a check digit, and 7 digits alone are anything (件数, 金額, 受付
# 番号), so scores come from the characters around the number, in enhance_using_context.

_NOT_AFTER = r"(?<![0-9])(?<![0-9][\-.,])(?<![+¥$])(?<!〒)(?<!〒 )"
_NOT_BEFORE = r"(?![0-9])(?![\-.,][0-9])(?!\s?[円万億兆千])"
# Between code groups (0001-123-1234567, 0001 123 1234567, 0001/123/1/1234567).
_GROUP_SEP = r"[\s\-.・/]{1,3}"
# Evasion inside a 7-digit account number: "123 4567", "1234-567", "1 2 3 4 5 6 7".
_DIGIT_SEP = r"[\s\-.・]{0,2}"

_SCORE_LABELLED = 0.85  # 普通 / 当座 / 口座番号 right before; codes with a bank word
_SCORE_BANK_NEARBY = 0.6  # "○○銀行 △△支店 1234567": a bank word earlier on the line
_SCORE_YUCHO_SHAPE = 0.5  # 1xxxx-xxxxxxx1: ゆうちょ's own shape, blocks without context
_WINDOW = 30  # characters looked at before the number, on the same line

# 預金種目 (see the 全銀 record above) or the 口座番号 label directly before the number,
# only separators between: "普通 1234567", "普通預金 口座番号1234567", "当座：1234567",
# "口座No.1234567", "口座番号は1234567", and the bank-form abbreviations "(普) 1234567",
# "（当）". Only directly before: 普通 and 当座 are everyday words too, so "普通地方公共
# 団体 1234567", "当座の資金 1234567" and "普通は 1234567" do not qualify.
_LABEL_BEFORE = re.compile(
    r"(?:(?:普通|当座|貯蓄|総合)(?:預金|貯金)?(?:口座)?|口座|\([普当貯]\))"
    r"[\s:：.#№()、,]{0,4}(?:(?:口座番号|口座|番号|No\.?)は?)?[\s:：.#№()、,]{0,4}$"
)
# Between the last context word and the number: a run of five or more digits, another
# label or a counting word means the number is something else ("銀行振込の場合、受付番号
# 1234567", "口座数 1234567"). A branch code has 3 digits and a bank code 4, so
# "○○銀行(0001) △△支店(123) 1234567" still counts.
_SOMETHING_ELSE = re.compile(r"[0-9]{5,}|番号|No|ID|コード|[#№]|数|件|額|計|率", re.I)


class BankAccountRecognizer(JapanesePatternRecognizer):
    """Recognise bank account numbers; a bare 7-digit number is never one.

    Scoring rule (decided in ``enhance_using_context``; the patterns' 0.1 / 0.15 alone
    never pass the guard's threshold of 0.4):

    * 7-digit 口座番号: 預金種目 (普通, 当座, 貯蓄, 総合) or 口座/口座番号 directly
      before → 0.85; a context word (銀行, 信用金庫, 農協, 支店 …) earlier on the same
      line with no other long number in between → 0.6 (contiguous digits only: "123 4567"
      needs the direct label);
    * 金融機関コード4桁 + 支店コード3桁 (+ 種目1桁) + 口座番号7桁 in separated groups,
      with a context word earlier on the line → 0.85;
    * ゆうちょ 記号・番号 (12345-12345671, 記号12340 番号12345671): with a context word
      (ゆうちょ, 記号, 記号番号, 通帳, 口座 …) → 0.85; without one, only the full shape —
      8-digit 番号 ending in 1, joined by a hyphen or 番号 — passes, at 0.5. Written as
      one 13-digit number (1234512345671), only with a context word.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "bank_codes_4_3_7",
            rf"{_NOT_AFTER}[0-9]{{4}}{_GROUP_SEP}[0-9]{{3}}(?:{_GROUP_SEP}[1249])?"
            rf"{_GROUP_SEP}[0-9]{{7}}{_NOT_BEFORE}",
            0.1,
        ),
        Pattern(
            "bank_account_7",
            rf"{_NOT_AFTER}[0-9](?:{_DIGIT_SEP}[0-9]){{6}}{_NOT_BEFORE}",
            0.1,
        ),
        Pattern(
            "yucho_contiguous",
            # 記号 and an 8-digit 番号 written as one number (1xxxx + xxxxxxx1): only
            # with a context word, since 13 digits are also a 法人番号 or a JAN code.
            rf"{_NOT_AFTER}1[0-9]{{11}}1{_NOT_BEFORE}",
            0.1,
        ),
        Pattern(
            "yucho_kigo_bango",
            # 記号 (5 digits, leading 1), then 番号 (1-8 digits) after a separator or
            # after the word 番号 ("記号12340 番号12345671").
            rf"{_NOT_AFTER}1[0-9]{{4}}(?:[\s\-.・/、,]{{1,3}}|[\s、,]{{0,2}}番号[\s:：]{{0,3}})"
            rf"[0-9]{{1,8}}{_NOT_BEFORE}",
            # Above bank_account_7's score: "12345-12" matches both, and Presidio keeps
            # the higher-scored of two identical spans.
            0.15,
        ),
    ]

    # Searched on the same line before the number (see enhance_using_context); the
    # 預金種目 words 普通/当座/貯蓄 count only directly before it (_LABEL_BEFORE).
    CONTEXT: ClassVar[list[str]] = [
        "口座",
        "口座番号",
        "金融機関コード",
        "店番号",
        "支店",
        "本店",
        "出張所",
        "店番",
        "銀行",
        "信用金庫",
        "信金",
        "信用組合",
        "農協",
        "JA",
        "労働金庫",
        "労金",
        "ゆうちょ",
        # 記号番号 / 記号・番号 as one label: "番号" after "記号" would otherwise read as
        # another label between the context word and the number (_SOMETHING_ELSE).
        "記号・番号",
        "記号番号",
        "記号",
        "通帳",
        "貯金",
        "振込",
        "金融機関",
    ]

    SUPPORTED_ENTITY: ClassVar[str] = "BANK_ACCOUNT"
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """False when the digit count fits none of the formats."""
        return None if 7 <= len(digits_only(pattern_text)) <= 15 else False

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders (0000000, 1111111 …)."""
        return is_one_repeated_digit(digits_only(pattern_text))

    def enhance_using_context(
        self,
        text: str,
        raw_recognizer_results: list[RecognizerResult],
        other_raw_recognizer_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts | None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Score each candidate from the characters before it (see the class rule).

        Every result is marked as context-handled so that Presidio's token-window
        enhancer does not add to it: its substring match would take 普通 from
        普通地方公共団体 and 銀行 from a line above.
        """
        context_words = _context_regex(tuple(self.context))
        for result in raw_recognizer_results:
            matched = text[result.start : result.end]
            window = text[max(0, result.start - _WINDOW) : result.start]
            before = window[window.rfind("\n") + 1 :]  # context words: same line only
            # The last context word on the line counts, with nothing else in between.
            last_end = max((m.end() for m in context_words.finditer(before)), default=-1)
            bank_nearby = last_end >= 0 and not _SOMETHING_ELSE.search(before[last_end:])
            pattern_name = _pattern_name(result)
            score = result.score
            if pattern_name == "bank_account_7":
                if _LABEL_BEFORE.search(window):  # "口座番号\n1234567" too
                    score = _SCORE_LABELLED
                elif bank_nearby and matched.isdigit():
                    score = _SCORE_BANK_NEARBY
            elif pattern_name in ("bank_codes_4_3_7", "yucho_contiguous"):
                if bank_nearby:
                    score = _SCORE_LABELLED
            elif pattern_name == "yucho_kigo_bango":
                if bank_nearby:
                    score = _SCORE_LABELLED
                elif is_full_yucho_shape(matched):
                    score = _SCORE_YUCHO_SHAPE
            result.score = score
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return raw_recognizer_results


def is_full_yucho_shape(match_text: str) -> bool:
    """記号 1xxxx joined by a hyphen or 番号 to an 8-digit 番号 ending in 1."""
    found = re.fullmatch(
        r"(1[0-9]{4})(?:\s?-\s?|[\s、,]{0,2}番号[\s:：]{0,3})([0-9]{8})", match_text
    )
    return found is not None and found.group(2).endswith("1")


def _pattern_name(result: RecognizerResult) -> str:
    explanation = result.analysis_explanation
    return str(explanation.pattern_name) if explanation is not None else ""


@lru_cache(maxsize=32)
def _context_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of the context words, longest first (口座番号 before 口座)."""
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))
