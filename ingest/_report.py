"""What an ingest run did, file by file, and how `yakuba ingest` reports it.

Exit codes (``IngestReport.exit_code``; docs/ingest-formats.md):

* ``0`` — every file was indexed, unchanged or pruned. Chunks withheld or masked by the
  personal-data screen, and findings it only reported, are warnings, not failures: a
  public document that lists an office's phone number is indexed.
* ``1`` — at least one file failed (unreadable, unsupported, broken, too large, an index
  error). The other files were still ingested.
* ``3`` — nothing failed, but at least one document was withheld as a whole: every
  chunk of it holds data the screen withholds (a マイナンバー, a resident's name with
  their address …). It is not in the index; check whether it is really public.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum

from pydantic import BaseModel, Field

from ._screening import ScreenOutcome, Unit

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_WITHHELD",
    "FileResult",
    "FileStatus",
    "IngestReport",
    "units_of",
    "withheld_result",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_WITHHELD = 3


class FileStatus(StrEnum):
    INDEXED = "indexed"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    WITHHELD = "withheld"  # read, but every chunk withheld by the personal-data screen
    PRUNED = "pruned"


STATUS_JA = {
    FileStatus.INDEXED: "登録",
    FileStatus.UNCHANGED: "変更なし",
    FileStatus.FAILED: "失敗",
    FileStatus.WITHHELD: "登録せず（個人情報等）",
    FileStatus.PRUNED: "削除",
}
_UNITS_JA = {
    Unit.SOURCE: "ファイル名",
    Unit.TITLE: "表題",
    Unit.HEADING: "見出し",
    Unit.TEXT: "本文",
    Unit.ROW: "表の行",
}


class FileResult(BaseModel):
    source: str
    status: FileStatus
    chunks: int = 0
    error: str | None = None
    personal_data: dict[str, int] = Field(
        default_factory=dict, description="entity type → chunks in which the screen found it"
    )
    withheld: int = Field(default=0, description="chunks kept out of the index by the screen")
    masked: int = Field(
        default=0, description="chunks indexed with what the screen withholds masked (report mode)"
    )
    withheld_units: dict[str, int] = Field(
        default_factory=dict,
        description="what withholding verdicts were about (source, title, heading, text, row) → chunks",
    )


def units_of(outcome: ScreenOutcome) -> dict[str, int]:
    return {str(unit): n for unit, n in sorted(outcome.units.items())}


def withheld_result(source: str, outcome: ScreenOutcome) -> FileResult:
    """A document none of whose chunks may be indexed."""
    where = "、".join(_UNITS_JA[u] for u in sorted(outcome.units)) or "本文"
    return FileResult(
        source=source,
        status=FileStatus.WITHHELD,
        error=f"すべての箇所（{where}）に公開できない個人情報・機密情報があるため、登録しませんでした。",
        personal_data=outcome.found,
        withheld=outcome.withheld,
        withheld_units=units_of(outcome),
    )


class IngestReport(BaseModel):
    files: list[FileResult] = Field(default_factory=list)

    def count(self, status: FileStatus) -> int:
        return sum(1 for f in self.files if f.status is status)

    @property
    def chunks(self) -> int:
        return sum(f.chunks for f in self.files if f.status is FileStatus.INDEXED)

    @property
    def ok(self) -> bool:
        """No file failed (withheld documents are not failures; see ``exit_code``)."""
        return self.count(FileStatus.FAILED) == 0

    @property
    def exit_code(self) -> int:
        if not self.ok:
            return EXIT_FAILED
        return EXIT_WITHHELD if self.count(FileStatus.WITHHELD) else EXIT_OK

    def table_rows_ja(self, labels: Mapping[str, str]) -> Iterator[tuple[str, str, str, str, str]]:
        """(ファイル, 結果, チャンク数, 個人情報等, 理由) for every file that changed;
        ``labels`` names entity types in Japanese (``ENTITY_LABELS_JA``)."""
        for f in self.files:
            if f.status is not FileStatus.UNCHANGED:
                yield (
                    f.source,
                    STATUS_JA[f.status],
                    str(f.chunks or ""),
                    _personal_data_ja(f, labels),
                    f.error or "",
                )

    def summary_ja(self) -> str:
        return (
            f"ファイル {len(self.files)} 件: 登録 {self.count(FileStatus.INDEXED)}"
            f"（{self.chunks} チャンク）、変更なし {self.count(FileStatus.UNCHANGED)}、"
            f"失敗 {self.count(FileStatus.FAILED)}、"
            f"登録せず（個人情報等） {self.count(FileStatus.WITHHELD)}、"
            f"削除 {self.count(FileStatus.PRUNED)}"
        )

    def warnings_ja(self) -> list[str]:
        """What the person ingesting should check, in Japanese (empty when nothing)."""
        out: list[str] = []
        flagged = sum(1 for f in self.files if f.personal_data)
        withheld = sum(f.withheld for f in self.files)
        masked = sum(f.masked for f in self.files)
        if flagged:
            done = []
            if withheld:
                done.append(f"{withheld} チャンクを索引から除外")
            if masked:
                done.append(f"{masked} チャンクは該当箇所を伏せて登録")
            out.append(
                f"{flagged} 件の文書に個人情報・機密情報の可能性がある箇所がありました"
                f"（{'、'.join(done) or '公開情報と判断できるものは索引に登録済み'}）。"
                "公開資料として適切か確認してください。"
            )
        if whole := self.count(FileStatus.WITHHELD):
            out.append(
                f"{whole} 件の文書は、公開できない個人情報・機密情報（マイナンバー、"
                "住民の氏名と連絡先など）を含むため登録しませんでした。"
            )
        return out


def _personal_data_ja(result: FileResult, labels: Mapping[str, str]) -> str:
    if not result.personal_data:
        return ""
    kinds = "、".join(f"{labels.get(k, k)}×{n}" for k, n in sorted(result.personal_data.items()))
    notes = []
    if result.withheld:
        notes.append(f"{result.withheld} 件除外")
    if result.masked:
        notes.append(f"{result.masked} 件伏せ字")
    return f"{kinds}（{'、'.join(notes)}）" if notes else kinds
