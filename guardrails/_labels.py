"""Japanese labels for every entity type of the ``yakuba guard scan`` contract."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

ENTITY_LABELS_JA: Final[Mapping[str, str]] = MappingProxyType(
    {
        "PERSON": "氏名",
        "ADDRESS": "住所",
        "PHONE_NUMBER": "電話番号",
        "EMAIL_ADDRESS": "メールアドレス",
        "POSTAL_CODE": "郵便番号",
        "MY_NUMBER": "マイナンバー",
        "CORPORATE_NUMBER": "法人番号",
        "RESIDENT_CODE": "住民票コード",
        "BIRTH_DATE": "生年月日",
        "BANK_ACCOUNT": "口座番号",
        "CREDIT_CARD": "クレジットカード番号",
        "PASSPORT_NUMBER": "旅券番号",
        "DRIVER_LICENSE": "運転免許証番号",
        "HEALTH_INSURANCE": "健康保険証番号",
        "PENSION_NUMBER": "基礎年金番号",
        "RESIDENCE_CARD": "在留カード番号",
        "CONFIDENTIAL_MARKER": "機密表示",
        "DENYLIST_TERM": "非公開用語",
        # Text still encoded after the guard decoded what it could (base64 of a file,
        # unknown byte encodings): it cannot be checked, so it is not sent.
        "ENCODED_DATA": "符号化データ",
    }
)

ENTITY_TYPES: Final[frozenset[str]] = frozenset(ENTITY_LABELS_JA)

# Used for a type a future recogniser adds before it gets a label here.
FALLBACK_LABEL: Final = "個人情報"

# The whole text is replaced by this when the scan could not complete.
UNSCANNABLE_LABEL: Final = "<検査不能>"


def redaction_label(entity_type: str) -> str:
    """``<マイナンバー>`` etc.; the placeholder that replaces a finding's span."""
    return f"<{ENTITY_LABELS_JA.get(entity_type, FALLBACK_LABEL)}>"
