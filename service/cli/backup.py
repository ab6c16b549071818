"""`yakuba backup create|restore`: thin; the work is in service.backup."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..backup import create_backup, restore_backup
from ..errors import YakubaError
from ..settings import get_settings

backup_app = typer.Typer(
    help="バックアップと復元（監査データベース・署名鍵・組み込みの索引）", no_args_is_help=True
)
out = Console()
err = Console(stderr=True)


def _step(message: str) -> None:
    err.print(f"… {message}")


@backup_app.command()
def create(
    folder: Annotated[Path, typer.Argument(help="書き出し先（新しいフォルダー）")],
) -> None:
    """バックアップを作ります。組み込みの索引を使う構成では、サービスを止めてから実行します。"""
    try:
        manifest = create_backup(get_settings(), folder, _step)
    except YakubaError as exc:
        err.print(f"[bold red]エラー:[/] {exc}")
        raise typer.Exit(code=1) from None
    size = sum(f.bytes for f in manifest.files)
    out.print(
        f"バックアップを作成しました: {folder}（{len(manifest.files)} ファイル、"
        f"{size / 1_048_576:,.1f} MiB）\n"
        f"  監査記録 {manifest.audit_records:,} 件（{manifest.audit_backend}）、"
        f"索引 {manifest.index_documents:,} 文書・{manifest.index_chunks:,} チャンク"
    )
    if manifest.index_backend == "none":
        out.print(
            "  索引は Qdrant サーバーにあるため含めていません。サーバーのスナップショットを"
            "使ってください（deploy/README.md）。"
        )


@backup_app.command()
def restore(
    folder: Annotated[Path, typer.Argument(help="yakuba backup create で作ったフォルダー")],
    force: Annotated[
        bool, typer.Option("--force", help="今のデータを別名で残して置き換える")
    ] = False,
) -> None:
    """バックアップを復元し、監査ログのハッシュチェーンを検証します。"""
    try:
        report = restore_backup(get_settings(), folder, force=force, step=_step)
    except YakubaError as exc:
        err.print(f"[bold red]エラー:[/] {exc}")
        raise typer.Exit(code=1) from None
    for path in report.moved_aside:
        out.print(f"  以前のデータを残しました: {path}")
    out.print(
        f"復元しました: 監査記録 {report.audit_records:,} 件、"
        f"索引 {report.index_documents:,} 文書・{report.index_chunks:,} チャンク"
    )
    if report.chain_breaks:
        err.print("[bold red]監査ログのハッシュチェーンが一致しません:[/]")
        for line in report.chain_breaks[:20]:
            err.print(f"  {line}")
        raise typer.Exit(code=1)
    out.print("監査ログのハッシュチェーン: 正常")
