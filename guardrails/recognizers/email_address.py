"""E-mail addresses, matched offline (no public-suffix list download), also when
written to dodge a pattern: ``tanaka[at]city.sakura.lg.jp``, ``tanaka (at) example (dot)
com``, ``taro at example dot co dot jp``, ``taro＠example．jp`` (NFKC), ``taroアットマーク
example.jp``, ``%40`` (decoded by the normaliser)."""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern

from guardrails.recognizers._base import JapanesePatternRecognizer

# ASCII-only character classes: Japanese text written right against an address
# (「連絡先はtaro@example.jpです」) can never become part of the match. Presidio's own
# recogniser relies on \b, which does not separate Japanese words from ASCII, and it
# validates with tldextract, which downloads the public-suffix list (impossible on LGWAN).
# The local part is restricted to what addresses use in practice — letters, digits and
# . _ % + - (RFC 5322 also allows ! # $ & ' * / = ? ^ ` { | } ~, which real mailboxes
# practically never use) — so that what is written right before an address stays
# outside it: "0126793468／taro@example.jp" (／ → / under NFKC) must leave the phone
# number to its own recogniser. An address that does use a rare character is still
# caught from that character on ("o'brien@…" → "brien@…"). Dots anywhere after the first
# character: Japanese mobile carriers long issued addresses such as
# "taro..yamada.@docomo.ne.jp" that break RFC 5322 yet deliver mail, and they are just
# as personal.
_LOCAL = r"[A-Za-z0-9_%+\-][A-Za-z0-9_%+.\-]*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"

# Limits. Source: RFC 5321 §4.5.3.1 (local part ≤ 64 octets, path ≤ 256 → address
# ≤ 254), RFC 1035 §2.3.4 (label ≤ 63), RFC 1123 §2.1 (labels of letters, digits and
# inner hyphens); RFC 3696 §2 (a top-level domain is not all-numeric) — we require
# letters only, at least two.
_MAX_ADDRESS = 254
_MAX_LOCAL = 64
_MAX_LABEL = 63


# Obfuscated "@" and ".": in brackets ([at], (dot), {at}, <dot>), as words between
# spaces (" at ", " dot "), in kana (アットマーク, ドット), or spaced out (" @ ", " . ").
_OPEN = r"[\[({<]"
_CLOSE = r"[\])}>]"
_AT_WORDS = r"at|@|arroba|アットマーク|アット|あっと"
_DOT_WORDS = r"dot|\.|ドット|どっと"
_AT = (
    rf"(?:\s?{_OPEN}\s?(?:{_AT_WORDS})\s?{_CLOSE}\s?|\s?(?:アットマーク|アット|あっと)\s?"
    r"|\s(?:at|AT|arroba|ARROBA)\s|\s@\s?|@\s"
    # 我的邮箱 guozq88#163.com（#改为@）: a hash glued between the two parts
    r"|(?<=[A-Za-z0-9])#(?=[A-Za-z0-9]))"
)
# " dot " in English, " ponto " in Portuguese, " punto " in Spanish.
_DOT = (
    rf"(?:\s?{_OPEN}\s?(?:{_DOT_WORDS})\s?{_CLOSE}\s?|\s?(?:ドット|どっと)\s?"
    r"|\s(?:dot|DOT|ponto|punto)\s|\s\.\s|\.)"
)
_WORD = r"[A-Za-z0-9](?:[A-Za-z0-9_%+\-]{0,62}[A-Za-z0-9])?"
_AT_FORM = re.compile(_AT)
_ANY_AT = re.compile(
    r"@|(?<![A-Za-z])(?:at|arroba)(?![A-Za-z])|アット|あっと|(?<=[A-Za-z0-9])#(?=[A-Za-z0-9])", re.I
)
_DOT_FORM = re.compile(_DOT)
_PLAIN_AT = re.compile(r"\s(?:at|AT)\s")
# Words before " at <domain>" in ordinary English ("available at city.….lg.jp"):
# the address form with a plain " at " is not an address after them.
_NOT_MAILBOXES = frozenset(
    "available online us me him her them it this that here there website site page"
    " visit found posted published listed located held open apply register details"
    " information downloaded look looking see email mail contact reach write call"
    " be is are was were am i we you they meet arrive stay live work study staying living"
    " working studying born arrived".split()
)


class EmailAddressRecognizer(JapanesePatternRecognizer):
    """Recognise e-mail addresses; the domain is validated syntactically."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "email_address",
            # Not preceded by anything that could belong to the local part, so we never
            # start mid-address; not followed by a further label character, so we never
            # stop mid-domain.
            r"(?<![A-Za-z0-9_%+.\-])"
            rf"{_LOCAL}@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}"
            r"(?![A-Za-z0-9\-])(?!\.[A-Za-z0-9])",
            0.5,
        ),
        Pattern(
            "email_address_obfuscated",
            # Not an English word before a plain " at " (reach me at tom at …): the
            # address starts after it.
            rf"(?<![A-Za-z0-9_%+.\-])(?!(?:{'|'.join(sorted(_NOT_MAILBOXES))})\s(?:at|AT)\s)"
            rf"{_WORD}(?:{_DOT}{_WORD})*{_AT}"
            rf"{_WORD}(?:{_DOT}{_WORD})*{_DOT}[A-Za-z]{{2,63}}(?![A-Za-z0-9\-/])",
            0.5,
        ),
    ]

    CONTEXT: ClassVar[list[str]] = ["メール", "mail", "アドレス", "連絡先", "宛先"]

    SUPPORTED_ENTITY: ClassVar[str] = "EMAIL_ADDRESS"
    REQUIRED: ClassVar[re.Pattern[str] | None] = _ANY_AT  # an "@" or a disguise of it
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """True for a syntactically valid address (score 1.0), False otherwise; an
        obfuscated one is judged by the address it spells."""
        if "@" in pattern_text and " " not in pattern_text:
            return is_valid_email_syntax(pattern_text)
        return deobfuscated_email(pattern_text) is not None


def deobfuscated_email(text: str) -> str | None:
    """The address an obfuscated form spells (``tanaka[at]city.lg.jp`` →
    ``tanaka@city.lg.jp``), or None when it is none — or is ordinary English
    ("available at www.city.….lg.jp", "visit us at ….jp")."""
    at = _AT_FORM.search(text)
    if at is None:
        return None
    local, domain = text[: at.start()], text[at.end() :]
    if _PLAIN_AT.fullmatch(at.group()):
        if local.lower() in _NOT_MAILBOXES or domain.lower().startswith("www"):
            return None
        # A sentence's full stop, not a domain: "… at home.Tomorrow".
        if domain != domain.lower() and domain != domain.upper():
            return None
    address = _DOT_FORM.sub(".", local) + "@" + _DOT_FORM.sub(".", domain)
    return address if is_valid_email_syntax(address) else None


def is_valid_email_syntax(address: str) -> bool:
    """Syntactic check only: no DNS, no public-suffix list (offline by design)."""
    if len(address) > _MAX_ADDRESS or address.count("@") != 1:
        return False
    local, domain = address.split("@")
    # Consecutive / trailing dots are tolerated in the local part (see _LOCAL).
    if not local or len(local) > _MAX_LOCAL or local.startswith("."):
        return False
    labels = domain.split(".")
    if len(labels) < 2:
        return False
    for label in labels:
        if not label or len(label) > _MAX_LABEL:
            return False
        if label.startswith("-") or label.endswith("-"):
            return False
        if not all(c.isascii() and (c.isalnum() or c == "-") for c in label):
            return False
    tld = labels[-1]
    return len(tld) >= 2 and tld.isascii() and tld.isalpha()
