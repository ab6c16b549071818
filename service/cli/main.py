"""The `yakuba` command: parses arguments, calls the library, renders output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from guardrails import ENTITY_LABELS_JA, GuardrailsError
from ingest import (
    DocType,
    FileResult,
    FileStatus,
    IndexBusyError,
    IngestError,
    IngestReport,
    iter_files,
)

from ..announce import running_service
from ..errors import YakubaError
from ..kb import KbAudit, Who
from ..pipeline.contracts import Answer, RequestContext
from ..runtime import Runtime
from ..settings import Settings, get_settings, is_loopback
from .apikeys import apikey_app
from .audit import audit_app
from .backup import backup_app
from .bots import bots_app
from .documents import cli_user, hand_over, progress_bar, service_holding_index
from .faq import faq_app
from .register import register_app

app = typer.Typer(
    help="Yakuba（役場）: 自治体職員のための安全な生成AIアシスタント",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
guard_app = typer.Typer(help="個人情報・機密情報の検査", no_args_is_help=True)
app.add_typer(guard_app, name="guard")
app.add_typer(apikey_app, name="apikey")
app.add_typer(audit_app, name="audit")
app.add_typer(faq_app, name="faq")
app.add_typer(backup_app, name="backup")
app.add_typer(register_app, name="register")
app.add_typer(bots_app, name="bots")

out = Console(soft_wrap=True)
err = Console(stderr=True)


def _runtime(collection: str | None = None) -> Runtime:
    settings = get_settings()
    if collection:
        settings = settings.model_copy(update={"collection": collection})
    return Runtime(settings)


def _warn_if_empty(runtime: Runtime) -> None:
    """An empty index answers every question with 「見つかりませんでした」: say why."""
    if runtime.knowledge_base.index.count() == 0:
        s = runtime.settings
        where = s.qdrant_url or str(s.data_dir)
        err.print(
            f"[bold yellow]注意:[/] 索引（コレクション {s.collection}、{where}）に資料がありません。"
            "まず yakuba ingest で資料を取り込んでください（別のデータの場所を使うときは"
            " YAKUBA_DATA_DIR を設定します）。"
        )


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]エラー:[/] {message}")
    return typer.Exit(code=1)


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _busy(runtime: Runtime, command: str) -> typer.Exit:
    """The index is held by another process: say which, and what to do instead."""
    settings = runtime.settings
    info = running_service(settings.data_dir)
    if info is None:
        return _fail(
            f"索引（{settings.data_dir}）は別のプロセス（yakuba ingest など）が使用中です。"
            f"終わるのを待ってから、もう一度 yakuba {command} を実行してください。"
        )
    return _fail(
        f"索引は実行中のサービス（yakuba serve、{info.url}、プロセス {info.pid}）が使用中のため、"
        f"yakuba {command} からは開けません。サービスの Web 画面（{info.url}/）か API"
        f"（POST {info.url}/v1/ask）を使ってください。資料の取り込み・削除は yakuba ingest /"
        " yakuba remove がサービスに渡して行います。"
    )


def _ingest_here(
    runtime: Runtime,
    paths: list[Path],
    *,
    who: Who,
    prune: bool,
    department: str,
    doc_type: DocType | None,
) -> IngestReport:
    kb = runtime.knowledge_base  # IndexBusyError while `yakuba serve` holds it
    total = sum(1 for _ in iter_files(paths))
    stored = set(kb.index.documents())
    with progress_bar(err, "取り込み中") as progress:
        task = progress.add_task("", total=total)

        def on_file(result: FileResult) -> None:
            if result.status is not FileStatus.PRUNED:
                progress.update(task, advance=1, description=result.source)

        report = kb.ingest(
            paths, prune=prune, progress=on_file, department=department, doc_type=doc_type
        )
    # Who changed the knowledge base is audited, here as through the service.
    audit = KbAudit(runtime)
    for result in report.files:
        if result.status is not FileStatus.UNCHANGED:
            audit.record_file(who, result, existed=result.source in stored)
    return report


def _show_report(report: IngestReport) -> None:
    table = Table(title="取り込み結果")
    for col in ("ファイル", "結果", "チャンク数", "個人情報等", "理由"):
        table.add_column(col, overflow="fold")
    for row in report.table_rows_ja(ENTITY_LABELS_JA):
        table.add_row(*row)
    if table.row_count:
        out.print(table)
    out.print(report.summary_ja())
    for warning in report.warnings_ja():
        err.print(f"[bold yellow]注意:[/] {warning}")


def _hand_over_note(info_url: str, pid: int, what: str) -> None:
    err.print(
        f"索引は実行中のサービス（yakuba serve、{info_url}、プロセス {pid}）が使用中です。"
        f"{what}をサービスに渡し、進み具合をここに表示します。"
    )


UserOption = Annotated[
    str | None, typer.Option(help="変更者として監査ログに記録する利用者ID（既定: OSのユーザー名）")
]


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="取り込むファイルまたはフォルダ")],
    *,
    collection: Annotated[str | None, typer.Option(help="コレクション名")] = None,
    prune: Annotated[bool, typer.Option(help="無くなったファイルを索引から削除する")] = False,
    department: Annotated[str, typer.Option(help="担当課（例: 市民課）。検索で絞り込めます")] = "",
    doc_type: Annotated[DocType | None, typer.Option(help="文書の種類（自動判定を上書き）")] = None,
    user: UserOption = None,
) -> None:
    """文書を取り込み、検索用の索引を作ります（変更のないファイルは飛ばします）。

    yakuba serve の実行中は、取り込みをサービスに渡して行います（索引は検索に応え続けます）。"""
    runtime = _runtime(collection)
    who: Who = {"user": cli_user(user), "department": "", "role": "admin", "channel": "cli"}
    try:
        try:
            report = _ingest_here(
                runtime, paths, who=who, prune=prune, department=department, doc_type=doc_type
            )
        except IndexBusyError:
            info = service_holding_index(runtime.settings, "ingest")
            if collection and collection != get_settings().collection:
                raise _fail(
                    "サービスの実行中は --collection を指定できません（サービスの"
                    f"コレクション {get_settings().collection} に取り込みます）。"
                ) from None
            if prune:
                raise _fail(
                    "サービスの実行中は --prune を使えません。無くなった文書は yakuba remove で"
                    "削除してください（一覧はサービスの /v1/admin/documents）。"
                ) from None
            _hand_over_note(info.url, info.pid, "取り込み")
            report = hand_over(
                runtime.settings,
                err,
                who=who,
                add=paths,
                department=department,
                doc_type=doc_type,
            )
    except (IngestError, YakubaError) as exc:
        raise _fail(str(exc)) from None
    finally:
        runtime.close()
    _show_report(report)
    if report.exit_code:
        raise typer.Exit(code=report.exit_code)


@app.command()
def remove(
    sources: Annotated[
        list[str],
        typer.Argument(help="削除する文書の名前（取り込んだときのパス。search の source）"),
    ],
    *,
    collection: Annotated[str | None, typer.Option(help="コレクション名")] = None,
    user: UserOption = None,
) -> None:
    """文書を索引から削除します（yakuba serve の実行中はサービスに渡して行います）。"""
    runtime = _runtime(collection)
    who: Who = {"user": cli_user(user), "department": "", "role": "admin", "channel": "cli"}
    report = IngestReport()
    try:
        try:
            kb = runtime.knowledge_base
            audit = KbAudit(runtime)
            for source in sources:
                removed = kb.remove(source)
                message, _ = audit.removal(who, source, removed=removed)
                report.files.append(
                    FileResult(source=source, status=FileStatus.PRUNED)
                    if removed
                    else FileResult(source=source, status=FileStatus.FAILED, error=message)
                )
        except IndexBusyError:
            info = service_holding_index(runtime.settings, "remove")
            _hand_over_note(info.url, info.pid, "削除")
            report = hand_over(runtime.settings, err, who=who, remove=sources)
    except (IngestError, YakubaError) as exc:
        raise _fail(str(exc)) from None
    finally:
        runtime.close()
    _show_report(report)
    if report.exit_code:
        raise typer.Exit(code=report.exit_code)


def _read_jsonl(path: Path | None, key: str) -> Iterator[tuple[Any, str]]:
    stream = path.open(encoding="utf-8") if path else sys.stdin
    try:
        for n, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                value = obj[key]
            except (json.JSONDecodeError, KeyError, TypeError):
                raise _fail(
                    f'{n}行目: {{"id": …, "{key}": …}} の形式の JSON ではありません'
                ) from None
            if not isinstance(value, str):
                raise _fail(f'{n}行目: "{key}" は文字列にしてください')
            yield obj.get("id"), value
    finally:
        if path:
            stream.close()


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="検索語（--jsonl のときは省略）")] = None,
    *,
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="件数")] = 10,
    collection: Annotated[str | None, typer.Option(help="コレクション名")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力")] = False,
    jsonl: Annotated[
        Path | None, typer.Option(help='{"id": …, "query": …} を1行ずつ並べたファイル')
    ] = None,
    mode: Annotated[str, typer.Option(help="hybrid | dense | sparse")] = "hybrid",
    department: Annotated[list[str] | None, typer.Option(help="担当課で絞り込む（複数可）")] = None,
    doc_type: Annotated[
        list[DocType] | None, typer.Option(help="文書の種類で絞り込む（複数可）")
    ] = None,
) -> None:
    """索引を検索し、条文などの該当箇所を表示します。"""
    if (query is None) == (jsonl is None):
        raise _fail("検索語か --jsonl のどちらか一方を指定してください。")
    if mode not in ("hybrid", "dense", "sparse"):
        raise _fail("--mode は hybrid / dense / sparse のいずれかです。")
    runtime = _runtime(collection)
    try:
        try:
            kb = runtime.knowledge_base
        except IndexBusyError:
            raise _busy(runtime, "search") from None
        _warn_if_empty(runtime)
        queries = _read_jsonl(jsonl, "query") if jsonl else iter([(None, query or "")])
        for qid, text in queries:
            hits = kb.search(
                text, k=k, mode=mode, doc_types=doc_type or None, departments=department or None
            )
            if as_json or jsonl:
                _emit({"id": qid, "hits": [h.model_dump(mode="json") for h in hits]})
                continue
            if not hits:
                out.print("該当する資料が見つかりませんでした。")
            for i, h in enumerate(hits, start=1):
                caption = f"（{h.heading}）" if h.heading else ""
                out.print(
                    f"[bold][{i}] {h.title} {h.locator}{caption}[/]  {h.score:.4f}  {h.source}"
                )
                out.print(f"    {h.text[:200]}")
    except (IngestError, YakubaError) as exc:
        raise _fail(str(exc)) from None
    finally:
        runtime.close()


def _render_answer(answer: Answer) -> None:
    mode_ja = {"generated": "生成", "extractive": "抽出（生成モデルなし）", "none": "—"}[
        answer.mode
    ]
    if answer.status == "blocked":
        out.print("[bold red]送信を中止しました（個人情報・機密情報の可能性）[/]")
    elif answer.status == "failed":
        out.print("[bold red]回答できませんでした[/]")
    out.print(answer.text)
    if answer.citations:
        out.print("\n[bold]出典[/]")
        for c in answer.citations:
            out.print(f"  [{c.number}] {c.label}  — {c.source}")
    out.print(f"\nモード: {mode_ja}　監査記録: #{answer.audit_id}")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="質問（日本語）")],
    *,
    user: Annotated[str, typer.Option(help="利用者ID（監査ログに記録）")] = "local",
    department: Annotated[str, typer.Option(help="所属（課）")] = "",
    purpose: Annotated[str, typer.Option(help="利用目的（業務内容）")] = "",
    collection: Annotated[str | None, typer.Option(help="コレクション名")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力")] = False,
) -> None:
    """資料に基づいて質問に答えます（出典つき）。"""
    runtime = _runtime(collection)
    try:
        ctx = RequestContext(user=user, department=department, channel="cli", purpose=purpose)
        try:
            _warn_if_empty(runtime)
        except IndexBusyError:
            raise _busy(runtime, "ask") from None
        answer = runtime.assistant.ask(question, ctx)
    except (IngestError, YakubaError, GuardrailsError) as exc:
        raise _fail(str(exc)) from None
    finally:
        runtime.close()
    if as_json:
        _emit(answer.model_dump(mode="json"))
    else:
        _render_answer(answer)
    if answer.status in ("blocked", "failed"):
        raise typer.Exit(code=2 if answer.status == "blocked" else 1)


@guard_app.command("scan")
def guard_scan(
    *,
    jsonl: Annotated[
        Path | None,
        typer.Option(help='{"id": …, "text": …} を1行ずつ並べたファイル（省略時は標準入力）'),
    ] = None,
) -> None:
    """テキストを検査し、1行に1件の JSON（action, findings, redacted）を出力します。"""
    settings = get_settings()
    try:
        guard = Runtime(settings).guard
        for item_id, text in _read_jsonl(jsonl, "text"):
            result = guard.scan(text)
            _emit({"id": item_id, **result.model_dump(mode="json", exclude_none=True)})
    except GuardrailsError as exc:
        raise _fail(str(exc)) from None


@app.command()
def serve(
    *,
    host: Annotated[str, typer.Option(help="待ち受けアドレス")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="ポート")] = 8000,
    workers: Annotated[
        int,
        typer.Option(min=1, max=64, help="ワーカープロセス数（2 以上は Qdrant サーバーが必要）"),
    ] = 1,
) -> None:
    """HTTP API を起動します（OpenAPI は /docs）。"""
    from .serve import run_server

    settings: Settings = get_settings()
    if settings.auth_mode == "none" and not is_loopback(host):
        raise _fail(
            "認証なし（YAKUBA_AUTH_MODE=none）はループバックアドレス（127.0.0.1）でのみ起動できます。"
        )
    try:
        run_server(settings, host=host, port=port, workers=workers)
    except YakubaError as exc:
        raise _fail(str(exc)) from None
