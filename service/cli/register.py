"""`yakuba register …`: list the public register, revoke and restore its values.
Thin: parses options, calls service.register, prints Japanese messages. A running
service picks the change up within YAKUBA_REGISTER_REFRESH_S."""

from __future__ import annotations

import getpass
import json
import sys
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from ..errors import YakubaError
from ..register import KIND_LABELS, EntryStatus, RegisterChange, RegisterQuery, RegisterStore
from ..settings import get_settings

register_app = typer.Typer(
    help="公開情報登録簿（取り込んだ公開文書の住所・電話番号など）の一覧・取り消し・復元",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)
err = Console(stderr=True)

_STATUS_JA = {EntryStatus.ACTIVE: "有効", EntryStatus.REVOKED: "取り消し済み"}


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]エラー:[/] {message}")
    return typer.Exit(code=code)


def _store() -> RegisterStore:
    try:
        return RegisterStore(get_settings().audit_database_url)
    except YakubaError as exc:
        raise _fail(str(exc)) from None


@register_app.command("list")
def list_entries(
    *,
    kind: Annotated[str | None, typer.Option(help=f"種類（{' / '.join(KIND_LABELS)}）")] = None,
    source: Annotated[str | None, typer.Option(help="文書名の一部")] = None,
    text: Annotated[str | None, typer.Option(help="値の一部（例: 626-1111）")] = None,
    status: Annotated[EntryStatus, typer.Option(help="active / revoked / all")] = EntryStatus.ALL,
    limit: Annotated[int, typer.Option(min=1, max=500, help="表示する件数")] = 50,
    page: Annotated[int, typer.Option(min=1, help="ページ（1 から）")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力")] = False,
) -> None:
    """登録簿の項目を、値が公開されていた文書と箇所とともに一覧します。"""
    try:
        query = RegisterQuery(kind=kind, source=source, text=text, status=status)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise _fail(str(error.get("ctx", {}).get("error") or error["msg"]), 2) from None
    store = _store()
    try:
        result = store.search(query, limit=limit, offset=(page - 1) * limit)
    except YakubaError as exc:
        raise _fail(str(exc)) from None
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps(result.model_dump(), ensure_ascii=False) + "\n")
        return
    totals = "、".join(
        f"{KIND_LABELS.get(k, k)} {c['active']:,}"
        + (f"（取り消し {c['revoked']:,}）" if c["revoked"] else "")
        for k, c in result.counts.items()
    )
    out.print(f"登録簿: {totals or '空です（yakuba ingest で公開文書を取り込むと登録されます）'}")
    if not result.entries:
        out.print("条件に合う項目はありません。")
        return
    table = Table(
        title=f"公開情報登録簿（{result.total:,} 件中 {result.offset + 1:,}〜{result.offset + len(result.entries):,}）"
    )
    for column in ("番号", "種類", "値", "文書", "箇所", "状態"):
        table.add_column(column, overflow="fold")
    for e in result.entries:
        state = f"取り消し済み（{e.revoked_by}）" if e.revoked else "有効"
        table.add_row(
            str(e.id), KIND_LABELS.get(e.kind, e.kind), e.value, e.source, e.locator, state
        )
    out.print(table)
    if result.offset + len(result.entries) < result.total:
        out.print(f"続きは --page {page + 1} で表示します。")


def _change(entry_ids: list[int], by: str | None, *, revoke: bool) -> None:
    who = by or f"cli:{getpass.getuser()}"
    store = _store()
    try:
        changes: list[tuple[int, RegisterChange]] = []
        for entry_id in entry_ids:
            try:
                act = store.revoke if revoke else store.restore
                changes.append((entry_id, act(entry_id, by=who)))
            except YakubaError as exc:
                err.print(f"[bold red]エラー:[/] {exc}")
    finally:
        store.close()
    for entry_id, c in changes:
        what = f"{KIND_LABELS.get(c.kind, c.kind)}「{c.value}」（番号 {entry_id}、{c.entries} か所に掲載）"
        if revoke:
            verb = "を取り消しました" if c.changed else "はすでに取り消されています"
        else:
            verb = "を復元しました" if c.changed else "は取り消されていません"
        out.print(f"{what}{verb}。")
    if changes and any(c.changed for _, c in changes):
        out.print("実行中のサービスには数秒以内（YAKUBA_REGISTER_REFRESH_S）に反映されます。")
    if len(changes) < len(entry_ids):
        raise typer.Exit(code=1)


@register_app.command()
def revoke(
    entry_ids: Annotated[list[int], typer.Argument(help="項目の番号（yakuba register list）")],
    *,
    by: Annotated[
        str | None, typer.Option(help="記録する実施者（省略時は cli:ログイン名）")
    ] = None,
) -> None:
    """値を取り消します: どの文書に載っていても、公開情報として扱わなくなります（再取り込み後も）。"""
    _change(entry_ids, by, revoke=True)


@register_app.command()
def restore(
    entry_ids: Annotated[list[int], typer.Argument(help="項目の番号")],
    *,
    by: Annotated[str | None, typer.Option(help="記録する実施者")] = None,
) -> None:
    """取り消した値を、再び公開情報として扱います。"""
    _change(entry_ids, by, revoke=False)
