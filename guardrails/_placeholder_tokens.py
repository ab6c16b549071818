"""What a placeholder looks like, and how one is found again in a model's answer.

A placeholder is ``〈<label><n>〉``: U+3008/U+3009 angle brackets (not the ASCII
``<…>`` of the guard's mask labels, so the two never mix), a Japanese label per type and
a number counted per label from 1 (``〈氏名1〉``, ``〈住所2〉``). One syntax for every
language: ``Dear 〈氏名1〉,`` reads as naturally to a model as ``〈氏名1〉様``.

Reading an answer, a token-like span is classified (``classify``):

* the exact token, or the same label and number written with other angle brackets
  (``<氏名1>``, ``＜氏名1＞``, ``⟨氏名1⟩``, ``《氏名1》``), spaces inside (``〈氏名 1〉``) or
  other digits (``〈氏名１〉``) — *recognised*: restored, the variant reported as
  ``normalised``. Label and number decide; brackets, spaces and digit forms are only
  how they were written.
* anything else that names a placeholder — our label with another bracket (``[氏名1]``,
  ``（氏名1）``), no number (``〈氏名〉``), no brackets (``氏名1``) or another word for the
  label with a number (``〈名前1〉``, ``<Name 1>``, ``〈이름1〉``) — *changed*: left as written and
  reported, with the placeholder it probably stands for when there is exactly one. A
  word is never guessed into a label: 名前 is probably 氏名, but the staff member decides.
* our label with a number the mapping does not hold — *invented*.

An ASCII ``<…>`` without a number is the guard's mask label (``<氏名>``, ``<電話番号>``),
and another word without a number (``〈お名前〉``) a blank in a form: neither is reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

PLACEHOLDER_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "PERSON": "氏名",
        "ADDRESS": "住所",
        "PHONE_NUMBER": "電話",
        "EMAIL_ADDRESS": "メール",
        "BIRTH_DATE": "生年月日",
        "POSTAL_CODE": "郵便番号",
    }
)
"""The placeholder label of each type that may become a placeholder; the other types
cannot (a policy that asks for it is refused)."""

OPEN: Final = "〈"
CLOSE: Final = "〉"

_LABELS = frozenset(PLACEHOLDER_LABELS.values())

# Other words a model writes for a label, mostly when it translates the placeholder
# (NFKC, casefolded, without spaces or hyphens). Only reported, never restored.
_SYNONYMS: Final[Mapping[str, str]] = MappingProxyType(
    {
        word.casefold(): label
        for label, words in {
            "氏名": "名前 お名前 姓名 人名 名 name fullname person 이름 성명 nome nombre tên họtên",
            "住所": "所在地 address addr 地址 주소 endereço dirección địachỉ",
            "電話": "電話番号 tel phone phonenumber telephone 电话 電話號碼 전화 전화번호 telefone teléfono điệnthoại",
            "メール": "メールアドレス email emailaddress mail 电子邮件 邮箱 이메일 correo",
            "生年月日": "誕生日 birthdate birthday dateofbirth dob 出生日期 생년월일 nascimento ngàysinh",
            "郵便番号": "postcode postalcode zip zipcode 邮政编码 邮编 우편번호 cep",
        }.items()
        for word in words.split()
    }
)

# Angle brackets of every width and code point: a model restyling 〈〉 keeps the token.
_ANGLE_OPEN: Final = "〈\u2329⟨<＜‹«《"
_ANGLE_CLOSE: Final = "〉\u232a⟩>＞›»》"
# Other brackets: the token is no longer ours as written; reported.
_OTHER_OPEN: Final = "【[［(（{｛〔"
_OTHER_CLOSE: Final = "】]］)）}｝〕"
_SPACE = r"[ \u3000]{0,2}"
# A label: letters (any script), single spaces or hyphens between them (Postal code).
_LABEL = r"[^\W\d_](?:[^\W\d_]|[ \-](?=[^\W\d_])){0,15}"

TOKEN_LIKE: Final = re.compile(
    rf"(?P<open>[{re.escape(_ANGLE_OPEN + _OTHER_OPEN)}]){_SPACE}"
    rf"(?P<label>{_LABEL}){_SPACE}[_\-]?{_SPACE}(?P<num>\d{{1,4}})?{_SPACE}"
    rf"(?P<close>[{re.escape(_ANGLE_CLOSE + _OTHER_CLOSE)}])"
    rf"|(?P<bare>{'|'.join(sorted(_LABELS, key=len, reverse=True))})(?P<bnum>\d{{1,4}})(?!\d)"
)
"""Everything that may be a placeholder as a model wrote it (``classify`` decides)."""

MAX_TOKEN_CHARS: Final = 32
"""No ``TOKEN_LIKE`` match is longer, and none looks further than this past its start
(a streamed answer holds back at most this much)."""

START_CHARS: Final = frozenset(_ANGLE_OPEN + _OTHER_OPEN + "".join(lb[0] for lb in _LABELS))
"""Every ``TOKEN_LIKE`` match starts with one of these."""

EXACT: Final = re.compile(
    rf"{OPEN}(?P<label>{'|'.join(sorted(_LABELS, key=len, reverse=True))})(?P<num>[1-9][0-9]{{0,3}}){CLOSE}"
)
"""Only the exact form (used on the text that was sent)."""


def format_token(label: str, number: int) -> str:
    """``〈氏名1〉``."""
    return f"{OPEN}{label}{number}{CLOSE}"


@dataclass(frozen=True, slots=True)
class TokenForm:
    """What a ``TOKEN_LIKE`` match names.

    ``token`` is our exact placeholder when label and number name one (it may or may not
    be in the mapping); ``recognised`` says the written form is only a variant of it.
    ``likely`` is the placeholder a changed form probably stands for, if any.
    """

    token: str | None
    recognised: bool
    exact: bool
    likely: str | None = None


def classify(match: re.Match[str]) -> TokenForm | None:
    """What ``match`` (of ``TOKEN_LIKE``) is, or None when it is no placeholder at all
    (``<h1>``, ``(注1)``, the guard's ``<氏名>``)."""
    if match.group("bare") is not None:
        token = format_token(match.group("bare"), int(match.group("bnum")))
        return TokenForm(token=None, recognised=False, exact=False, likely=token)
    raw_label = unicodedata.normalize("NFKC", match.group("label"))
    label = raw_label.replace(" ", "").replace("-", "")
    num_text = match.group("num")
    number = int(num_text) if num_text is not None else None
    angle = match.group("open") in _ANGLE_OPEN and match.group("close") in _ANGLE_CLOSE
    if number is None and match.group("open") == "<" and match.group("close") == ">":
        return None  # the guard's own mask label style: <氏名>, <電話番号>
    if label in _LABELS:
        if number is None:
            return TokenForm(token=None, recognised=False, exact=False)
        token = format_token(label, number)
        if number == 0:
            return TokenForm(token=None, recognised=False, exact=False)
        return TokenForm(
            token=token if angle else None,
            recognised=angle,
            exact=match.group(0) == token,
            likely=None if angle else token,
        )
    synonym = _SYNONYMS.get(label.casefold())
    if synonym is None or not number:
        return None  # 〈お名前〉 is a blank in a form, not a placeholder
    likely = format_token(synonym, number)
    return TokenForm(token=None, recognised=False, exact=False, likely=likely)


def label_of(token: str) -> str:
    """``〈氏名12〉`` → ``氏名``."""
    return token[1:-1].rstrip("0123456789")


def number_of(token: str) -> int:
    """``〈氏名12〉`` → 12."""
    label = label_of(token)
    return int(token[1 + len(label) : -1])
