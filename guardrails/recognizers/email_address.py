"""E-mail addresses, matched offline (no public-suffix list download)."""

from __future__ import annotations

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
    ]

    CONTEXT: ClassVar[list[str]] = ["メール", "mail", "アドレス", "連絡先", "宛先"]

    SUPPORTED_ENTITY: ClassVar[str] = "EMAIL_ADDRESS"
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def validate_result(self, pattern_text: str) -> bool | None:
        """True for a syntactically valid address (score 1.0), False otherwise."""
        return is_valid_email_syntax(pattern_text)


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
