"""`yakuba audit …`: verify the chain, export records, apply the retention period.
Thin: parses options, calls AuditStore, prints Japanese messages."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..audit import (
    AuditFilter,
    AuditStatus,
    AuditStore,
    Channel,
    PurgeResult,
    jst_day_start,
    jst_iso,
)
from ..errors import YakubaError
from ..settings import get_settings

audit_app = typer.Typer(
    help="監査ログ（検証・書き出し・保存期間による削除・利用集計）", no_args_is_help=True
)

err = Console(stderr=True)
out = Console(soft_wrap=True)

# Below this many records verify() takes well under a second; no progress bar needed.
_PROGRESS_FROM = 20_000


def _store() -> AuditStore:
    try:
        return AuditStore.from_settings(get_settings())
    except YakubaError as exc:
        err.print(f"[bold red]エラー:[/] {exc}")
        raise typer.Exit(code=1) from None


@audit_app.command()
def verify() -> None:
    """ハッシュチェーンを検証します（改ざん・削除・挿入された記録を番号で示します）。"""
    store = _store()
    try:
        total = store.count()
        if total >= _PROGRESS_FROM:
            with Progress(
                TextColumn("[bold]検証中"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as progress:
                task = progress.add_task("", total=total)
                breaks = store.verify(lambda n: progress.update(task, completed=n))
        else:
            breaks = store.verify()
        checkpoints = len(store.checkpoints())
    finally:
        store.close()
    if not breaks:
        note = f"、削除済み範囲のチェックポイント {checkpoints} 件も正当" if checkpoints else ""
        out.print(f"監査ログは正常です（{total:,} 件{note}）。")
        return
    out.print(f"[bold red]監査ログの改ざんまたは欠落を検出しました（{len(breaks)} 箇所）[/]")
    for b in breaks:
        where = f"監査ID {b.record_id}"
        if b.checkpoint_id is not None:
            where += f"（チェックポイント {b.checkpoint_id}）"
        out.print(f"  {where}: {b.reason}")
    raise typer.Exit(code=1)


@audit_app.command()
def export(
    *,
    fmt: Annotated[
        Literal["csv", "jsonl"], typer.Option("--format", help="csv（Excel 向け）または jsonl")
    ] = "csv",
    since: Annotated[str | None, typer.Option(help="この日から（YYYY-MM-DD、日本時間）")] = None,
    until: Annotated[str | None, typer.Option(help="この日まで（YYYY-MM-DD、日本時間）")] = None,
    department: Annotated[str | None, typer.Option(help="所属（課）")] = None,
    user: Annotated[str | None, typer.Option(help="利用者")] = None,
    channel: Annotated[Channel | None, typer.Option(help="経路")] = None,
    status: Annotated[AuditStatus | None, typer.Option(help="結果")] = None,
    task: Annotated[str | None, typer.Option(help="業務種別（ask, draft など）")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="書き出し先（省略時は標準出力）")
    ] = None,
) -> None:
    """監査ログを CSV（Excel でそのまま開けます）または JSONL で書き出します。"""
    try:
        flt = AuditFilter(
            since=_day(since, "--since"),
            until=_day(until, "--until"),
            department=department,
            user=user,
            channel=channel,
            status=status,
            task=task,
        )
    except ValueError as exc:
        err.print(f"[bold red]エラー:[/] 条件が正しくありません: {_first_error(exc)}")
        raise typer.Exit(code=2) from None
    store = _store()
    try:
        if output is None:
            stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
            try:
                count = store.export(stream, fmt, flt)
            finally:
                stream.flush()
                stream.detach()
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = store.export(handle, fmt, flt)
    finally:
        store.close()
    target = str(output) if output else "標準出力"
    err.print(f"{count:,} 件を {target} に書き出しました。")


@audit_app.command()
def purge(
    *,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="削除せず、対象の件数だけ示す")
    ] = False,
    days: Annotated[
        int | None,
        typer.Option(help="保存期間（日）。省略時は YAKUBA_AUDIT_RETENTION_DAYS", min=1),
    ] = None,
    before: Annotated[
        str | None, typer.Option(help="この日（YYYY-MM-DD、日本時間）より前の記録を削除")
    ] = None,
) -> None:
    """保存期間を過ぎた監査ログを削除し、署名付きチェックポイントを残します。"""
    try:
        cutoff_day = _day(before, "--before")
    except ValueError as exc:
        err.print(f"[bold red]エラー:[/] {exc}")
        raise typer.Exit(code=2) from None
    retention = days if days is not None else get_settings().audit_retention_days
    if cutoff_day is None and retention <= 0:
        out.print(
            "保存期間が設定されていないため（YAKUBA_AUDIT_RETENTION_DAYS=0）、何も削除しません。"
        )
        return
    store = _store()
    try:
        if cutoff_day is not None:
            result: PurgeResult | None = store.purge(jst_day_start(cutoff_day), dry_run=dry_run)
        else:
            result = store.purge_expired(retention, dry_run=dry_run)
    except YakubaError as exc:
        err.print(f"[bold red]エラー:[/] {exc}")
        raise typer.Exit(code=1) from None
    finally:
        store.close()
    assert result is not None
    cutoff = jst_iso(result.cutoff)
    if result.count == 0:
        out.print(f"{cutoff} より前の記録はありません。削除するものはありません。")
    elif result.dry_run:
        out.print(
            f"削除対象: {result.count:,} 件（監査ID {result.first_id}〜{result.last_id}、"
            f"{cutoff} より前）。--dry-run のため削除していません。"
        )
    else:
        out.print(
            f"{result.count:,} 件（監査ID {result.first_id}〜{result.last_id}）を削除し、"
            f"署名付きチェックポイント {result.checkpoint_id} を記録しました。"
        )


@audit_app.command()
def summarize() -> None:
    """終わった日の利用件数を日次集計に反映します（統計の初回表示を待たせないため）。"""
    store = _store()
    try:
        through = store.summarize()
    finally:
        store.close()
    if through is None:
        out.print("集計できる記録はまだありません。")
    else:
        out.print(f"{through.isoformat()}（日本時間）までの利用件数を集計済みです。")


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{option} は YYYY-MM-DD の形式で指定してください（{value}）") from None


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        details = errors()
        if details:
            return str(details[0].get("msg", exc))
    return str(exc)
