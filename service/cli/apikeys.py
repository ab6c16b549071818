"""`yakuba apikey create|list|revoke`: API keys for bots and batch jobs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..audit import Channel
from ..auth.apikeys import ApiKeyStore
from ..auth.db import open_engine
from ..auth.quota import JST
from ..auth.roles import Role
from ..settings import get_settings

__all__ = ["apikey_app"]

apikey_app = typer.Typer(help="API キー（ボット・バッチ処理用）の管理", no_args_is_help=True)
_out = Console(soft_wrap=True)
_err = Console(stderr=True)


def _store() -> ApiKeyStore:
    return ApiKeyStore(open_engine(get_settings().audit_database_url))


@apikey_app.command("create")
def create(
    *,
    user: Annotated[str, typer.Option(help="キーの利用者 ID（監査ログに記録）")],
    role: Annotated[Role, typer.Option(help="ロール")] = Role.STAFF,
    department: Annotated[str, typer.Option(help="所属（課）")] = "",
    channel: Annotated[Channel, typer.Option(help="チャネル（監査ログに記録）")] = Channel.API,
    expires_days: Annotated[int | None, typer.Option(min=1, max=3650, help="有効日数")] = None,
    note: Annotated[str, typer.Option(help="メモ（用途など）")] = "",
) -> None:
    """API キーを発行します。キーはこの一度だけ表示され、保存されるのはハッシュだけです。"""
    created = _store().create(
        user=user,
        role=role,
        department=department,
        channel=channel,
        expires_days=expires_days,
        note=note,
    )
    _err.print(
        f"API キー {created.info.key_id} を発行しました（{user}・{role}）。"
        "キーは再表示できません。安全な場所に保管してください。"
    )
    # The key alone on stdout, so that a script can capture it.
    typer.echo(created.key)


@apikey_app.command("list")
def list_keys(
    *, as_json: Annotated[bool, typer.Option("--json", help="1行に1件の JSON で出力")] = False
) -> None:
    """API キーの一覧（秘密部分は表示しません）。"""
    keys = _store().list()
    if as_json:
        for info in keys:
            typer.echo(json.dumps({**info.model_dump(mode="json"), "active": info.active}))
        return
    table = Table(title="API キー")
    for col in ("ID", "利用者", "所属", "ロール", "チャネル", "状態", "期限", "最終利用"):
        table.add_column(col, overflow="fold")
    for info in keys:
        state = "有効" if info.active else ("失効" if info.revoked_at else "期限切れ")
        table.add_row(
            info.key_id,
            info.user,
            info.department,
            info.role,
            info.channel,
            state,
            _jst(info.expires_at),
            _jst(info.last_used_at),
        )
    _out.print(table)


@apikey_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="キー ID（ykb_ の次の16文字）")]) -> None:
    """API キーを失効させます（元に戻せません）。"""
    if not _store().revoke(key_id):
        _err.print(f"[bold red]エラー:[/] 有効な API キー {key_id} はありません。")
        raise typer.Exit(code=1)
    _out.print(f"API キー {key_id} を失効させました。")


def _jst(moment: object) -> str:
    if not isinstance(moment, datetime):
        return "—"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(JST).strftime("%Y-%m-%d %H:%M")
