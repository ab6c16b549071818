"""Runs knowledge-base update jobs against the service's own knowledge base, and removes
documents on request — one change at a time per process, each audited.

The index keeps serving throughout: a replaced document's new chunks are written before
the old version's are deleted (ingest's `replace_document`), and searches read the index
between the engine's writes. A file goes through `KnowledgeBase.ingest_file`, i.e. the
very loaders, personal-data screen (YAKUBA_INGEST_PERSONAL_DATA) and version check of
`yakuba ingest`.
"""

from __future__ import annotations

import re
import tempfile
import threading
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from guardrails import ENTITY_LABELS_JA
from ingest import DocType, FileResult, FileStatus, IngestError, KnowledgeBase

from ..audit import JST, AuditEntry, AuditStatus, Channel
from ..leases import runner_name
from ..runtime import Runtime
from ._errors import DocumentNotFoundError
from ._models import KbAction, KbJob, KbJobStatus
from ._names import staged_name
from ._store import KbJobStore

__all__ = ["KbAudit", "KbUpdater", "Who"]

# Who asked, as the audit record names them: user, department, role, channel.
Who = dict[str, str]

HEARTBEAT_S = 5.0
_PATH_SEPARATORS = re.compile(r"[\\/_]")


class KbUpdater:
    def __init__(self, runtime: Runtime, store: KbJobStore) -> None:
        self._runtime = runtime
        self.store = store
        # One change at a time: two versions of one document written side by side by two
        # threads would leave the index with both (each deletes only "other" versions).
        self._lock = threading.Lock()
        self.audit = KbAudit(runtime)

    @property
    def _kb(self) -> KnowledgeBase:
        return self._runtime.knowledge_base

    # -- the worker's side ---------------------------------------------------------------
    def run(self, job_id: str, *, stop: threading.Event | None = None) -> str:
        """Runs the job to its end; returns its status ("busy": another runner has it).
        A job is short (one document), so `stop` is not looked at once it started."""
        runner = runner_name()
        if not self.store.claim(job_id, runner):
            return "busy"
        job = self.store.job(job_id)
        # The lease is renewed while a large document is read and embedded (minutes), so
        # no other process takes the job over from a live runner.
        beating = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(job_id, runner, beating), daemon=True)
        beat.start()
        try:
            with self._lock:
                if job.action == KbAction.REMOVE.value:
                    self._run_remove(job, runner)
                else:
                    self._run_add(job, runner)
        except Exception:
            # The index or the audit store failed: the job ends failed (not re-run in a
            # loop), with a message staff can act on; the details go to the service log.
            self.store.finish(
                job_id,
                runner,
                status=KbJobStatus.FAILED,
                outcome="failed",
                result={},
                message="索引または監査ログの更新に失敗しました。サービスのログを確認してください。",
                audit_id=None,
            )
            raise
        finally:
            beating.set()
            beat.join()
        return self.store.job(job_id).status

    def _heartbeat(self, job_id: str, runner: str, beating: threading.Event) -> None:
        while not beating.wait(HEARTBEAT_S):
            try:
                self.store.beat(job_id, runner)
            except Exception:  # noqa: BLE001 - a missed beat is retried; the lease is long
                continue

    def _run_add(self, job: KbJob, runner: str) -> None:
        self.store.progress(job.id, runner, "indexing")
        data = self.store.content(job.id)
        stored = self._kb.index.documents()
        existed = job.source in stored
        with tempfile.TemporaryDirectory(prefix="yakuba-kb-") as folder:
            path = Path(folder) / staged_name(job.source)
            path.write_bytes(data)
            try:
                result = self._kb.ingest_file(
                    path,
                    source=job.source,
                    department=job.doc_department,
                    doc_type=DocType(job.doc_type) if job.doc_type else None,
                    modified=job.modified or datetime.now(JST).date().isoformat(),
                    stored=stored,
                )
            except IngestError as exc:
                result = FileResult(source=job.source, status=FileStatus.FAILED, error=str(exc))
            # A loader's message names the staged file; staff know the document's name.
            if result.error:
                result = result.model_copy(
                    update={"error": result.error.replace(str(path), job.source)}
                )
        shown, message, audit_id = self.audit.record_file(job_who(job), result, existed=existed)
        failed = result.status is FileStatus.FAILED
        self.store.finish(
            job.id,
            runner,
            status=KbJobStatus.FAILED if failed else KbJobStatus.DONE,
            outcome=result.status.value,
            result={
                "replaced": existed,
                "chunks": result.chunks,
                "withheld": result.withheld,
                "masked": result.masked,
                "personal_data": dict(result.personal_data),
                "withheld_units": dict(result.withheld_units),
            },
            message=message,
            audit_id=audit_id,
            source=shown if shown != job.source else None,
        )

    def _run_remove(self, job: KbJob, runner: str) -> None:
        self.store.progress(job.id, runner, "removing")
        removed = self._kb.remove(job.source)
        message, audit_id = self.audit.removal(job_who(job), job.source, removed=removed)
        self.store.finish(
            job.id,
            runner,
            status=KbJobStatus.DONE if removed else KbJobStatus.FAILED,
            outcome="removed" if removed else "missing",
            result={},
            message=message,
            audit_id=audit_id,
        )

    # -- at once (the API's DELETE) ------------------------------------------------------
    def remove_now(self, source: str, who: Who) -> tuple[int, str]:
        """Removes `source` now; its audit record's id and the message. DocumentNotFoundError
        (404) when the index holds no such document — the attempt is audited too."""
        with self._lock:
            removed = self._kb.remove(source)
        message, audit_id = self.audit.removal(who, source, removed=removed)
        if not removed:
            raise DocumentNotFoundError(message)
        return audit_id, message


class KbAudit:
    """The audit records of knowledge-base changes: task `kb_add`, `kb_replace` or
    `kb_remove`, the document's name in `sources` (masked where the guard finds personal
    data in it), the outcome in `answer`, the screen's findings."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def audit_name(self, source: str) -> str:
        """`source` as the audit log may hold it: a file name can carry a resident's name
        (the screen withholds such a document), so what the guard finds is masked — in
        the name read as words (folders and underscores as spaces, offsets unchanged)."""
        words = _PATH_SEPARATORS.sub(" ", source)
        result = self._runtime.guard.scan(words)
        if not result.findings:
            return source
        if result.blocked:
            return self._runtime.guard.strict_mask(words, result)
        return result.redacted

    def record_file(self, who: Who, result: FileResult, *, existed: bool) -> tuple[str, str, int]:
        """The audit record of one file's update (also of `yakuba ingest` run locally):
        the name as the log may hold it, the message, the record's id."""
        if result.status is FileStatus.PRUNED:
            shown = self.audit_name(result.source)
            message = _removed_message(shown, removed=True)
            return shown, message, self.record_removal(who, shown, True, message)
        shown = self.audit_name(result.source)
        # A loader's message names the file: as the log may hold the name.
        message = _message(result, existed).replace(result.source, shown)
        task = "kb_replace" if existed else "kb_add"
        entry = _entry(who, task, _audit_status(result), shown, message)
        entry.findings = dict(result.personal_data)
        entry.error_code = "" if result.status is not FileStatus.FAILED else "unreadable_file"
        return shown, message, self._runtime.audit.append(entry).id

    def removal(self, who: Who, source: str, *, removed: bool) -> tuple[str, int]:
        """The audit record of a removal of `source` (or of the attempt, when the index
        held no such document): its message and id."""
        shown = self.audit_name(source)
        message = _removed_message(shown, removed=removed)
        return message, self.record_removal(who, shown, removed, message)

    def record_removal(self, who: Who, shown: str, removed: bool, message: str) -> int:
        status = AuditStatus.ALLOWED if removed else AuditStatus.FAILED
        entry = _entry(who, "kb_remove", status, shown, message)
        entry.error_code = "" if removed else "document_not_found"
        return self._runtime.audit.append(entry).id


def job_who(job: KbJob) -> Who:
    return {
        "user": job.user,
        "department": job.department,
        "role": job.role,
        "channel": job.channel,
    }


def _channel(value: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        return Channel.API


def _entry(who: Who, task: str, status: AuditStatus, shown: str, message: str) -> AuditEntry:
    return AuditEntry(
        request_id=uuid.uuid4().hex,
        user=who["user"],
        department=who.get("department", ""),
        role=who.get("role", ""),
        channel=_channel(who.get("channel", "api")),
        task=task,
        status=status,
        prompt="",
        sources=[shown],
        answer=message,
    )


def _audit_status(result: FileResult) -> AuditStatus:
    if result.status is FileStatus.FAILED:
        return AuditStatus.FAILED
    if result.status is FileStatus.WITHHELD:
        return AuditStatus.BLOCKED
    if result.withheld or result.masked:
        return AuditStatus.MASKED
    return AuditStatus.ALLOWED


def _findings_ja(found: dict[str, Any]) -> str:
    return "、".join(f"{ENTITY_LABELS_JA.get(k, k)} {n}" for k, n in sorted(found.items()))


def _message(result: FileResult, existed: bool) -> str:
    verb = "差し替えました" if existed else "追加しました"
    if result.status is FileStatus.INDEXED:
        text = f"{result.chunks}件の区切り（チャンク）を{verb}。"
        if result.withheld:
            text += f"個人情報等を含む{result.withheld}件は登録していません。"
        if result.masked:
            text += f"{result.masked}件は個人情報等を伏せて登録しました。"
        if result.personal_data:
            text += f"（検出: {_findings_ja(result.personal_data)}）"
        return text
    if result.status is FileStatus.UNCHANGED:
        return "索引の内容と同じため、変更はありません。"
    if result.status is FileStatus.WITHHELD:
        kept = "以前の版は索引に残っています。" if existed else ""
        return f"{result.error}{kept}（検出: {_findings_ja(result.personal_data)}）"
    return f"取り込めませんでした: {result.error}"


def _removed_message(shown: str, *, removed: bool) -> str:
    if removed:
        return f"文書「{shown}」を索引から削除しました。"
    return f"文書「{shown}」は索引にありません。取り込んだときの名前（管理画面の文書一覧、GET /v1/admin/documents）を確認してください。"
