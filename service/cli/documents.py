"""`yakuba ingest` and `yakuba remove` while `yakuba serve` holds the embedded index: the
work is handed to the running service through the shared database (the knowledge-base
job table, service.kb — the same hand-over `yakuba faq generate` uses), its worker
indexes each file exactly as a local ingest would, and this module follows the jobs with
a Rich progress bar and turns their results back into the ingest report.

The database is the credential: whoever may write the service's database administers it
(the jobs are audited as the `--user` given, role admin, channel cli).
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ingest import DEFAULT_MAX_BYTES, DocType, FileResult, FileStatus, IngestReport, iter_files

from ..announce import ServiceInfo, running_service
from ..audit import JST
from ..errors import YakubaError
from ..kb import (
    DocumentInputError,
    KbAction,
    KbJobStatus,
    KbJobStore,
    KbJobView,
    Who,
    check_document,
)
from ..settings import Settings

__all__ = [
    "HANDOVER_WAIT_S",
    "HandoverError",
    "cli_user",
    "hand_over",
    "progress_bar",
    "service_holding_index",
]

HANDOVER_WAIT_S = 30.0  # how long a handed-over job may wait for the service to take it
_POLL_S = 0.3
_FINISHED = (KbJobStatus.DONE.value, KbJobStatus.FAILED.value)


class HandoverError(YakubaError):
    code = "handover_failed"


def cli_user(user: str | None) -> str:
    """Who the audit log names for a CLI change: `--user`, else the account running it."""
    if user and user.strip():
        return user.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


def service_holding_index(settings: Settings, command: str) -> ServiceInfo:
    """The running service that holds the index; HandoverError (in Japanese) when the
    index is held by something else (another command still running)."""
    info = running_service(settings.data_dir)
    if info is None:
        raise HandoverError(
            f"索引（{settings.data_dir}）は別のプロセスが使用中で、実行中の yakuba serve も"
            f"見つかりません。別の yakuba ingest などが終わるのを待ってから、もう一度 yakuba {command} "
            "を実行してください。"
        )
    return info


def _modified(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=JST).date().isoformat()


def progress_bar(console: Console, label: str) -> Progress:
    """The bar of `yakuba ingest` and `remove`, here and when handed over."""
    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    )


def hand_over(
    settings: Settings,
    console: Console,
    *,
    who: Who,
    add: Iterable[Path] = (),
    remove: Iterable[str] = (),
    department: str = "",
    doc_type: DocType | None = None,
) -> IngestReport:
    """Queues the files under `add` (as `yakuba ingest` names them) and the sources in
    `remove`, follows the jobs to their end and reports them as a local ingest would."""
    store = KbJobStore(settings.audit_database_url)
    report = IngestReport()
    try:
        jobs: list[str] = []
        for path, source in iter_files(list(add)):
            try:
                data = (
                    path.read_bytes()
                    if path.stat().st_size <= DEFAULT_MAX_BYTES
                    else b"x" * (DEFAULT_MAX_BYTES + 1)
                )
                check_document(data, path.name, max_bytes=DEFAULT_MAX_BYTES)
            except DocumentInputError as exc:
                report.files.append(
                    FileResult(source=source, status=FileStatus.FAILED, error=str(exc))
                )
                continue
            except OSError as exc:
                report.files.append(
                    FileResult(
                        source=source,
                        status=FileStatus.FAILED,
                        error=f"ファイルを読めません: {exc}",
                    )
                )
                continue
            job = store.create(
                action=KbAction.ADD,
                source=source,
                who=who,
                content=data,
                doc_department=department.strip(),
                doc_type=doc_type.value if doc_type else "",
                modified=_modified(path),
            )
            jobs.append(job.id)
        for source in remove:
            jobs.append(store.create(action=KbAction.REMOVE, source=source, who=who).id)
        for view in _follow(store, jobs, console):
            report.files.append(_as_result(view))
    finally:
        store.close()
    return report


def _follow(store: KbJobStore, jobs: list[str], console: Console) -> list[KbJobView]:
    views: dict[str, KbJobView] = {}
    started = time.monotonic()
    with progress_bar(console, "サービスで処理中") as progress:
        task = progress.add_task("サービスの実行を待っています", total=len(jobs))
        while True:
            current = [KbJobView.of(store.job(j)) for j in jobs]
            views = {v.id: v for v in current}
            finished = sum(1 for v in current if v.status in _FINISHED)
            running = next((v for v in current if v.status == KbJobStatus.RUNNING.value), None)
            if running is not None or finished:
                started = time.monotonic()  # the service is working on them
            description = running.source if running is not None else ""
            progress.update(task, completed=finished, description=description)
            if finished == len(current):
                break
            if time.monotonic() - started > HANDOVER_WAIT_S:
                raise HandoverError(
                    f"サービスが取り込みジョブを {HANDOVER_WAIT_S:.0f} 秒以内に始めませんでした。"
                    "サービスが同じデータベース（YAKUBA_DATABASE_URL）を使っているか確認してください。"
                    "ジョブは登録されたままで、サービスが動けば実行されます。"
                )
            time.sleep(_POLL_S)
    return [views[j] for j in jobs]


def _as_result(view: KbJobView) -> FileResult:
    if view.action == KbAction.REMOVE.value:
        if view.outcome == "removed":
            return FileResult(source=view.source, status=FileStatus.PRUNED)
        return FileResult(source=view.source, status=FileStatus.FAILED, error=view.message)
    result = view.result
    status = FileStatus(view.outcome) if view.outcome in set(FileStatus) else FileStatus.FAILED
    return FileResult(
        source=view.source,
        status=status,
        chunks=int(str(result.get("chunks", 0))),
        error=view.message if status in (FileStatus.FAILED, FileStatus.WITHHELD) else None,
        personal_data=_counts(result.get("personal_data")),
        withheld=int(str(result.get("withheld", 0))),
        masked=int(str(result.get("masked", 0))),
        withheld_units=_counts(result.get("withheld_units")),
    )


def _counts(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {str(k): int(v) for k, v in value.items()}
