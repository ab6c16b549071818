"""`yakuba faq …`: check a question file, generate answer drafts with a progress bar,
follow, cancel and export jobs. Parses arguments, calls service.faq, renders output.

While `yakuba serve` holds the embedded index, `generate` cannot open it; the job is then
handed to the running service through the shared database (its worker runs it) and this
command follows the job there, with the same progress bar, and writes the output file.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ..errors import YakubaError
from ..faq import (
    FaqJobs,
    IndexUnavailableError,
    JobStateError,
    JobStatus,
    JobView,
    Preview,
    open_faq_jobs,
    output_format,
)
from ..faq import Progress as JobProgress
from ..pipeline.contracts import RequestContext
from ..runtime import Runtime
from ..settings import get_settings

faq_app = typer.Typer(help="FAQ 回答案の一括作成（CSV / XLSX）", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True)

HANDOVER_WAIT_S = 30.0  # how long a handed-over job may wait for the service to take it
_POLL_S = 0.5
_STATUS_JA = {"ok": "回答", "blocked": "送信せず", "no_source": "資料なし", "failed": "失敗"}

Via = Literal["auto", "local", "service"]


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]エラー:[/] {message}")
    return typer.Exit(code=1)


def _show_problems(preview: Preview) -> None:
    for p in preview.problems:
        colour = "red" if p.severity == "error" else "yellow"
        label = "エラー" if p.severity == "error" else "注意"
        err.print(f"[{colour}]{label}[/] {p.text()}")
    if preview.problem_count > len(preview.problems):
        err.print(f"…ほか {preview.problem_count - len(preview.problems)} 件")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _fail(f"{path} を読めません（{exc.strerror}）。") from None


@faq_app.command()
def check(path: Annotated[Path, typer.Argument(help="質問の CSV / XLSX")]) -> None:
    """質問ファイルを検査し、読み取れる内容と問題点を表示します（生成はしません）。"""
    runtime = Runtime(get_settings())
    jobs = open_faq_jobs(runtime)
    try:
        preview = jobs.preview(_read(path), path.name)
    except YakubaError as exc:
        raise _fail(str(exc)) from None
    finally:
        jobs.store.close()
        runtime.close()
    out.print(
        f"形式: {preview.format}（{preview.encoding}）　質問: {preview.rows:,}件"
        f"　空行: {preview.skipped_empty}　列: "
        + "、".join(f"{k}={v}" for k, v in preview.columns.items())
    )
    table = Table()
    for col in ("行", "ID", "質問", "カテゴリ"):
        table.add_column(col, overflow="fold")
    for row in preview.sample:
        table.add_row(str(row.line), row.id, row.question, row.category)
    out.print(table)
    _show_problems(preview)
    if not preview.ok:
        raise typer.Exit(code=1)


@faq_app.command()
def generate(
    path: Annotated[Path, typer.Argument(help="質問の CSV / XLSX")],
    *,
    output: Annotated[Path, typer.Option("-o", "--output", help="結果の CSV / XLSX")],
    user: Annotated[str, typer.Option(help="利用者ID（監査ログに記録）")] = "local",
    department: Annotated[str, typer.Option(help="所属（課）")] = "",
    purpose: Annotated[str, typer.Option(help="利用目的（業務内容）")] = "",
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="同時に生成する行数（既定: モデルの同時実行数）"),
    ] = None,
    via: Annotated[
        str,
        typer.Option(
            help="auto（既定）| local（このプロセスで実行）| service（実行中のサービスに渡す）"
        ),
    ] = "auto",
) -> None:
    """質問ファイルから回答案を一括作成します。中断しても、同じコマンドで続きから再開します。"""
    if via not in ("auto", "local", "service"):
        raise _fail("--via は auto / local / service のいずれかです。")
    data = _read(path)
    runtime = Runtime(get_settings())
    jobs = open_faq_jobs(runtime)
    try:
        preview = jobs.preview(data, path.name)
        _show_problems(preview)
        if not preview.ok:
            raise typer.Exit(code=1)
        who = RequestContext(user=user, department=department, role="faq_editor", channel="batch")
        job_id = _job_for(jobs, data, path.name, who, purpose, concurrency)
        view = _run(
            jobs, job_id, "local" if via == "local" else "service" if via == "service" else "auto"
        )
        with output.open("wb") as f:
            written = jobs.export(job_id, f, output_format(output.name))
    except YakubaError as exc:
        raise _fail(str(exc)) from None
    finally:
        jobs.store.close()
        runtime.close()
    _summary(view, written, output)
    if view.status != JobStatus.DONE.value:
        raise typer.Exit(code=1)


def _job_for(
    jobs: FaqJobs,
    data: bytes,
    filename: str,
    who: RequestContext,
    purpose: str,
    concurrency: int | None,
) -> str:
    from ..faq import digest_of

    existing = jobs.store.unfinished(user=who.user, digest=digest_of(data))
    if existing is not None:
        err.print(f"中断していたジョブ {existing.id} を続きから再開します。")
        return existing.id
    job = jobs.submit(data, filename, who, purpose=purpose, concurrency=concurrency)
    err.print(f"ジョブ {job.id} を登録しました（{job.total:,}行）。")
    return job.id


def _run(jobs: FaqJobs, job_id: str, via: Via) -> JobView:
    if via != "service":
        try:
            jobs.pipeline.open_index()
        except IndexUnavailableError as exc:
            if via == "local":
                raise _fail(str(exc)) from None
            err.print(
                "索引はサービス（yakuba serve）が使用中です。ジョブをサービスに渡し、"
                "進み具合をここに表示します。"
            )
            via = "service"
    if via == "service":
        return _follow(jobs, job_id)
    try:
        return _run_here(jobs, job_id)
    except JobStateError as exc:
        if exc.code != "faq_job_busy":
            raise
        # Another runner (the service's worker, over a shared Qdrant server) took it first.
        return _follow(jobs, job_id)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]回答案を作成中"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("残り"),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=err,
    )


def _describe(counts: dict[str, int]) -> str:
    return "　".join(f"{_STATUS_JA[k]} {counts.get(k, 0)}" for k in _STATUS_JA)


def _run_here(jobs: FaqJobs, job_id: str) -> JobView:
    counts = dict.fromkeys(_STATUS_JA, 0)
    for status, n in jobs.store.counts(job_id).items():
        if status in counts:
            counts[status] = n
    with _progress() as progress:
        task = progress.add_task(_describe(counts), total=None)

        def on_progress(p: JobProgress) -> None:
            if p.last is not None:
                counts[p.last.value] = counts.get(p.last.value, 0) + 1
            progress.update(task, completed=p.done, total=p.total, description=_describe(counts))

        try:
            jobs.runner.run(job_id, on_progress=on_progress)
        except KeyboardInterrupt:
            err.print("中断しました。同じコマンドをもう一度実行すると、続きから再開します。")
            raise typer.Exit(code=130) from None
    return jobs.view(job_id)


def _follow(jobs: FaqJobs, job_id: str) -> JobView:
    """Follows a job that the service's worker runs, until it ends."""
    started = time.monotonic()
    with _progress() as progress:
        task = progress.add_task("サービスの実行を待っています", total=None)
        while True:
            view = jobs.view(job_id)
            progress.update(
                task, completed=view.done, total=view.total, description=_describe(view.counts)
            )
            if view.status in (JobStatus.DONE.value, JobStatus.CANCELLED.value):
                return view
            if view.status == JobStatus.QUEUED.value and _others_running(jobs, job_id):
                started = time.monotonic()  # the service is busy with other jobs: wait
                progress.update(task, description="順番待ち（サービスが他のジョブを実行中）")
            elif (
                view.status == JobStatus.QUEUED.value
                and time.monotonic() - started > HANDOVER_WAIT_S
            ):
                raise _fail(
                    f"サービスがジョブ {job_id} を {HANDOVER_WAIT_S:.0f} 秒以内に始めませんでした。"
                    "サービスが同じデータベース（YAKUBA_DATABASE_URL）を使っているか確認してください。"
                    "ジョブは登録されたままです（同じコマンドで続きを待てます）。"
                )
            time.sleep(_POLL_S)


def _others_running(jobs: FaqJobs, job_id: str) -> bool:
    return any(
        j.id != job_id and j.status == JobStatus.RUNNING.value for j in jobs.store.jobs(limit=200)
    )


def _summary(view: JobView, written: int, output: Path) -> None:
    table = Table(title=f"ジョブ {view.id}")
    for col in ("結果", "件数"):
        table.add_column(col)
    for key, label in _STATUS_JA.items():
        table.add_row(label, str(view.counts.get(key, 0)))
    out.print(table)
    state = {"done": "完了", "cancelled": "中止", "queued": "待機中", "running": "実行中"}
    out.print(
        f"状態: {state.get(view.status, view.status)}　{written:,}行を {output} に書き出しました。"
    )


@faq_app.command()
def status(
    job_id: Annotated[str | None, typer.Argument(help="ジョブID（省略時は一覧）")] = None,
    *,
    as_json: Annotated[bool, typer.Option("--json", help="1行に1件の JSON で出力")] = False,
) -> None:
    """ジョブの状態を表示します。"""
    runtime = Runtime(get_settings())
    jobs = open_faq_jobs(runtime)
    try:
        views = [jobs.view(job_id)] if job_id else jobs.jobs()
    except YakubaError as exc:
        raise _fail(str(exc)) from None
    finally:
        jobs.store.close()
        runtime.close()
    if as_json:
        for v in views:
            sys.stdout.write(v.model_dump_json() + "\n")
        return
    table = Table()
    for col in (
        "ジョブID",
        "ファイル",
        "状態",
        "進み具合",
        "回答",
        "送信せず",
        "資料なし",
        "失敗",
        "承認",
    ):
        table.add_column(col, overflow="fold")
    for v in views:
        c = v.counts
        table.add_row(
            v.id,
            v.filename,
            v.status,
            f"{v.done}/{v.total}",
            str(c["ok"]),
            str(c["blocked"]),
            str(c["no_source"]),
            str(c["failed"]),
            str(v.reviews["approved"]),
        )
    out.print(table)


@faq_app.command()
def cancel(job_id: Annotated[str, typer.Argument(help="ジョブID")]) -> None:
    """ジョブを中止します（処理中の行を終えてから止まります）。"""
    runtime = Runtime(get_settings())
    jobs = open_faq_jobs(runtime)
    try:
        view = jobs.cancel(job_id)
    except YakubaError as exc:
        raise _fail(str(exc)) from None
    finally:
        jobs.store.close()
        runtime.close()
    out.print(f"ジョブ {view.id} の中止を受け付けました（状態: {view.status}）。")


@faq_app.command()
def export(
    job_id: Annotated[str, typer.Argument(help="ジョブID")],
    *,
    output: Annotated[Path, typer.Option("-o", "--output", help="結果の CSV / XLSX")],
    approved_only: Annotated[bool, typer.Option(help="承認済みの行だけを書き出す")] = False,
) -> None:
    """ジョブの結果を書き出します（--approved-only で承認済みのみ）。"""
    runtime = Runtime(get_settings())
    jobs = open_faq_jobs(runtime)
    try:
        with output.open("wb") as f:
            n = jobs.export(job_id, f, output_format(output.name), approved_only=approved_only)
    except YakubaError as exc:
        raise _fail(str(exc)) from None
    finally:
        jobs.store.close()
        runtime.close()
    out.print(f"{n:,}行を {output} に書き出しました。")
