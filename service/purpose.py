"""Restricted purposes (業務内容): uses the municipality's guidelines refuse or warn about.

Many municipal guidelines list work for which generative AI must not be used, or only
with care — 答弁資料 (answers prepared for the assembly), 予算編成, 重要な政策決定. An
administrator lists them in `YAKUBA_RESTRICTED_PURPOSES`:

    答弁資料:refuse,予算編成:warn,重要政策決定

Entries are separated by `,` or `、`; the action after `:` is `refuse` (拒否, the default
when omitted) or `warn` (警告). A request matches when its declared purpose contains the
term, compared after NFKC normalisation, case folding and removal of spaces — so
「答弁 資料」 and 「ＦＡＱ」 match 「答弁資料」 and 「faq」.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class PurposeAction(StrEnum):
    REFUSE = "refuse"
    WARN = "warn"


_ACTION_NAMES = {
    "refuse": PurposeAction.REFUSE,
    "拒否": PurposeAction.REFUSE,
    "warn": PurposeAction.WARN,
    "警告": PurposeAction.WARN,
}
_ENTRY_SEPARATORS = re.compile(r"[,、\n]")
_SPACES = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


@dataclass(frozen=True)
class PurposeRule:
    term: str
    action: PurposeAction


@dataclass(frozen=True)
class PurposeDecision:
    """The strictest rule that matched a purpose, with the Japanese message for staff."""

    rule: PurposeRule

    @property
    def refused(self) -> bool:
        return self.rule.action is PurposeAction.REFUSE

    @property
    def message(self) -> str:
        term = self.rule.term
        if self.refused:
            return (
                f"業務内容に「{term}」が含まれています。庁内の生成AI利用ガイドラインにより、"
                f"{term}の作成に生成AIを使うことは認められていないため、処理しませんでした。"
                "生成AIを使わずに作業するか、判断に迷う場合は情報政策担当課に相談してください。"
            )
        return (
            f"業務内容に「{term}」が含まれています。庁内の生成AI利用ガイドラインでは、"
            f"{term}での生成AIの利用に注意が求められています。"
            "出力は参考にとどめ、内容と根拠を必ず職員が確認してください。"
        )


class PurposePolicy:
    """The administrator's restricted purposes; an empty policy allows everything."""

    def __init__(self, rules: list[PurposeRule] | None = None) -> None:
        self.rules = list(rules or [])

    @classmethod
    def parse(cls, spec: str) -> PurposePolicy:
        """Parses the setting's syntax; raises ValueError (in Japanese) for a mistake."""
        rules: list[PurposeRule] = []
        for raw in _ENTRY_SEPARATORS.split(unicodedata.normalize("NFKC", spec)):
            entry = raw.strip()
            if not entry:
                continue
            term, sep, action_name = entry.rpartition(":")
            if not sep:
                term, action_name = entry, "refuse"
            term = term.strip()
            action = _ACTION_NAMES.get(action_name.strip().casefold())
            if action is None:
                raise ValueError(
                    f"制限する業務内容「{entry}」の動作 {action_name.strip()!r} が不明です"
                    "（refuse または warn）"
                )
            if not _key(term):
                raise ValueError(f"制限する業務内容「{entry}」に語がありません")
            rules.append(PurposeRule(term=term, action=action))
        return cls(rules)

    def check(self, purpose: str) -> PurposeDecision | None:
        """The matching rule (refuse before warn), or None."""
        key = _key(purpose)
        if not key:
            return None
        matches = [r for r in self.rules if _key(r.term) in key]
        if not matches:
            return None
        refused = [r for r in matches if r.action is PurposeAction.REFUSE]
        return PurposeDecision((refused or matches)[0])
