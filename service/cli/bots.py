"""`yakuba bots users list|add|update|remove`: the chat users behind the bots, as the admin
API (/v1/admin/chat-users) keeps them; changes are audited with the operating-system
account that ran the command (channel `cli`)."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from ..audit import AuditStore, Channel
from ..auth.chat_users import ChatUserKey, ChatUserStore, Expectation, StaffFields
from ..auth.roles import Role
from ..errors import YakubaError
from ..settings import get_settings

__all__ = ["bots_app"]

bots_app = typer.Typer(help="チャットツールのボット", no_args_is_help=True)
users_app = typer.Typer(
    help="チャット利用者 → 職員 ID・所属の対応（管理 API と同じ）", no_args_is_help=True
)
bots_app.add_typer(users_app, name="users")
_out = Console(soft_wrap=True)
_err = Console(stderr=True)

PlatformArg = Annotated[str, typer.Argument(help="slack / teams / lineworks / webhook")]
ChatUserArg = Annotated[str, typer.Argument(help="チャットツールの利用者 ID")]
UserOpt = Annotated[str, typer.Option(help="職員 ID（監査ログ・利用上限で使う ID）")]
DepartmentOpt = Annotated[str, typer.Option(help="所属（課）")]
RoleOpt = Annotated[Role | None, typer.Option(help="ロール（省略時は既定のロール）")]


@contextmanager
def _store() -> Iterator[ChatUserStore]:
    audit = AuditStore.from_settings(get_settings())
    try:
        yield ChatUserStore(audit)
    except ValidationError as exc:
        fields = "、".join(".".join(str(p) for p in e["loc"]) for e in exc.errors()[:5])
        _err.print(f"[red]入力が正しくありません（{fields}）。[/]")
        raise typer.Exit(code=2) from None
    except YakubaError as exc:
        _err.print(f"[red]{exc}[/]")
        raise typer.Exit(code=1) from None
    finally:
        audit.close()


def _operator() -> str:
    return f"cli:{getpass.getuser()}"


@users_app.command("list")
def list_users(
    platform: Annotated[str | None, typer.Option(help="経路で絞り込み")] = None,
) -> None:
    """管理 API・CLI で登録したチャット利用者の一覧（対応表ファイルの分は含みません）。"""
    with _store() as store:
        if platform is not None:
            ChatUserKey(platform=platform, chat_user="-")
        mappings = store.list(platform)
    table = Table(title="チャット利用者")
    for col in ("経路", "チャット ID", "職員 ID", "所属", "ロール", "更新", "更新者"):
        table.add_column(col, overflow="fold")
    for m in mappings:
        updated = m.updated_at.strftime("%Y-%m-%d %H:%M") if m.updated_at else ""
        role = m.role.value if m.role else "（既定）"
        table.add_row(m.platform, m.chat_user, m.user, m.department, role, updated, m.updated_by)
    _out.print(table)


def _put(
    platform: str,
    chat_user: str,
    user: str,
    department: str,
    role: Role | None,
    expect: Expectation,
) -> None:
    with _store() as store:
        key = ChatUserKey(platform=platform, chat_user=chat_user)
        staff = StaffFields(user=user, department=department, role=role)
        store.put(
            key.platform, key.chat_user, staff, by=_operator(), channel=Channel.CLI, expect=expect
        )
    _err.print(f"{platform}:{chat_user} → {user}（{department or '所属なし'}）を登録しました。")


@users_app.command("add")
def add(
    platform: PlatformArg,
    chat_user: ChatUserArg,
    *,
    user: UserOpt,
    department: DepartmentOpt = "",
    role: RoleOpt = None,
) -> None:
    """チャット利用者を登録します（登録済みなら失敗します）。"""
    _put(platform, chat_user, user, department, role, "new")


@users_app.command("update")
def update(
    platform: PlatformArg,
    chat_user: ChatUserArg,
    *,
    user: UserOpt,
    department: DepartmentOpt = "",
    role: RoleOpt = None,
) -> None:
    """登録済みのチャット利用者の職員 ID・所属・ロールを変えます。"""
    _put(platform, chat_user, user, department, role, "existing")


@users_app.command("remove")
def remove(platform: PlatformArg, chat_user: ChatUserArg) -> None:
    """チャット利用者の登録を削除します（対応表ファイルの分は、ファイルを編集してください）。"""
    with _store() as store:
        key = ChatUserKey(platform=platform, chat_user=chat_user)
        store.remove(key.platform, key.chat_user, by=_operator(), channel=Channel.CLI)
    _err.print(f"{platform}:{chat_user} の登録を削除しました。")
