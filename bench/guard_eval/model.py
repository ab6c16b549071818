"""Records of the evaluation set: a text plus its gold spans (offsets into the text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES: tuple[str, ...] = (
    "PERSON",
    "ADDRESS",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "POSTAL_CODE",
    "MY_NUMBER",
    "CORPORATE_NUMBER",
    "RESIDENT_CODE",
    "BIRTH_DATE",
    "BANK_ACCOUNT",
    "CREDIT_CARD",
    "PASSPORT_NUMBER",
    "DRIVER_LICENSE",
    "HEALTH_INSURANCE",
    "PENSION_NUMBER",
    "RESIDENCE_CARD",
    "CONFIDENTIAL_MARKER",
    "DENYLIST_TERM",
)

CATEGORIES: tuple[str, ...] = (
    "窓口相談",
    "申請",
    "苦情",
    "議事録",
    "メール",
    "引継ぎメモ",
    "電話対応記録",
)


@dataclass(frozen=True, slots=True)
class Span:
    """A gold span: ``text[start:end] == value`` in the sample it belongs to."""

    type: str
    start: int
    end: int
    value: str

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "start": self.start, "end": self.end, "value": self.value}


@dataclass(frozen=True, slots=True)
class Sample:
    """One text of the evaluation set.

    ``kind`` is ``pii`` (labelled prompt), ``clean`` (no personal data at all),
    ``evasion`` (one obfuscated value) or ``ner`` (the Wikinews NER sentences).
    ``meta`` says where the text came from (template id, source file, transformation …).
    """

    id: str
    kind: str
    category: str
    text: str
    spans: tuple[Span, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "category": self.category,
            "text": self.text,
            "spans": [s.to_json() for s in self.spans],
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Sample:
        return cls(
            id=str(data["id"]),
            kind=str(data["kind"]),
            category=str(data["category"]),
            text=str(data["text"]),
            spans=tuple(
                Span(str(s["type"]), int(s["start"]), int(s["end"]), str(s["value"]))
                for s in data.get("spans", [])
            ),
            meta=dict(data.get("meta", {})),
        )
