"""Simulated model answers that write with the placeholders they were sent.

Deterministic transformations of what was sent (seeded): the placeholders reordered, a
name repeated, honorifics and salutations around names in the answer's language,
details dropped (summaries leave phone numbers out; letters leave dates of birth out),
and in one answer in ten one placeholder written differently — full-width digits (must
be restored and reported as normalised), another label (〈名前1〉: reported as changed,
left as written) or a number never sent (reported as invented). The answer is kept as
segments, so the benchmark knows where each value must land.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from guardrails import AnomalyKind

_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")

# Per language: a salutation before a name, an honorific after it, filler sentences.
_STYLE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "ja": ("", "様", ("拝啓　時下ますますご清祥のこととお喜び申し上げます。", "つきましては、下記のとおりご案内いたします。", "ご不明な点はお問い合わせください。", "敬具")),
    "en": ("Dear ", "", ("Thank you for contacting the city office.", "Please find the details below.", "We look forward to hearing from you.", "Sincerely,")),
    "pt": ("Prezado(a) ", "", ("Agradecemos o seu contato.", "Seguem as informações abaixo.", "Atenciosamente,")),
    "es": ("Estimado(a) ", "", ("Gracias por su consulta.", "A continuación le informamos.", "Atentamente,")),
    "vi": ("Kính gửi ", "", ("Cảm ơn quý vị đã liên hệ.", "Thông tin chi tiết như sau.", "Trân trọng.")),
    "ko": ("", " 님", ("문의해 주셔서 감사합니다.", "자세한 내용은 아래와 같습니다.", "감사합니다.")),
    "zh": ("", "先生/女士", ("感谢您的咨询。", "详情如下。", "此致")),
}  # fmt: skip
_ANSWER_LANG = {"draft": "ja", "summarize": "ja", "proofread": "ja"}
_TARGET = {"en": "en", "ja-Latn": "en", "fil": "en", "pt": "pt", "es": "es", "vi": "vi", "vi-noacc": "vi", "ko": "ko", "zh": "zh"}  # fmt: skip


@dataclass
class Answer:
    """Segments ``(text, placeholder or None)``; ``injected`` the anomaly planted, if any
    (kind, as written); ``dropped`` the placeholders sent and left out."""

    segments: list[tuple[str, str | None]] = field(default_factory=list)
    injected: tuple[AnomalyKind, str] | None = None
    dropped: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.segments)


def answer_language(task: str, family: str, lang: str) -> str:
    if task != "translate":
        return _ANSWER_LANG.get(task, "ja")
    # A Japanese letter is translated into the resident's language; their text into Japanese.
    return _TARGET.get(lang, "en") if family == "translate_from_ja" else "ja"


def simulate(placeholders: tuple[str, ...], task: str, language: str, rng: random.Random) -> Answer:
    salutation, honorific, fillers = _STYLE[language]
    names = [p for p in placeholders if p.startswith("〈氏名")]
    others = [p for p in placeholders if not p.startswith("〈氏名")]
    answer = Answer()
    kept: list[str] = []
    for token in others:
        details = token.startswith(("〈電話", "〈メール")) and task == "summarize"
        birth = token.startswith("〈生年月日") and task == "draft"
        if (details or birth) and rng.random() < 0.5:
            answer.dropped.add(token)
        else:
            kept.append(token)
    rng.shuffle(kept)
    segs = answer.segments
    if names:
        segs += [(salutation, None), (names[0], names[0]), (honorific + "\n\n", None)]
    for token in kept:
        segs += [(rng.choice(fillers), None), (token, token), ("\n", None)]
    for token in names[1:]:
        segs += [(rng.choice(fillers) + " ", None), (token, token), (honorific, None)]
    if names:
        for _ in range(rng.randint(0, 2)):  # the name again, later in the letter
            segs += [(rng.choice(fillers) + " ", None), (names[0], names[0]), (honorific, None)]
    segs.append((rng.choice(fillers), None))
    if rng.random() < 0.1 and placeholders:
        _inject(answer, rng)
    return answer


def _inject(answer: Answer, rng: random.Random) -> None:
    used = [i for i, (_, token) in enumerate(answer.segments) if token]
    kind = rng.choice((AnomalyKind.NORMALISED, AnomalyKind.CHANGED, AnomalyKind.INVENTED))
    if kind is AnomalyKind.INVENTED or not used:
        written = "〈氏名99〉"
        answer.segments.insert(len(answer.segments) - 1, (f"（{written}）", None))
        answer.injected = (AnomalyKind.INVENTED, written)
        return
    i = rng.choice(used)
    token = answer.segments[i][1]
    assert token is not None
    if kind is AnomalyKind.NORMALISED:
        written = token.translate(_FULLWIDTH_DIGITS)
        answer.segments[i] = (written, token)  # still restored
    else:
        written = re.sub(r"^〈[^0-9]+", "〈名前", token) if token.startswith("〈氏名") else token.replace("〈", "[").replace("〉", "]")  # fmt: skip
        answer.segments[i] = (written, None)  # left as written
        if all(t != token for _, t in answer.segments):
            answer.dropped.discard(token)  # reported as changed, not dropped
    answer.injected = (kind, written)
