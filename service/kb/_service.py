"""Knowledge-base updates as the API and the CLI use them: queue a document to add or
replace, queue or do a removal, follow a job, list what the index holds."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ingest import DocType, KnowledgeBase, LoaderError, UnsupportedFileError, check_file

from ..audit import jst_iso
from ..runtime import Runtime
from ._errors import DocumentInputError
from ._models import KbAction, KbJob, KbJobStatus
from ._store import KbJobStore
from ._updater import KbUpdater, Who

__all__ = ["DocumentView", "KbJobView", "KbUpdates", "check_document", "open_kb_updates"]


class KbJobView(BaseModel):
    id: str
    action: str
    source: str
    status: str = Field(description="queued / running / done / failed")
    stage: str = Field(description="while running: indexing / removing")
    outcome: str = Field(
        description="once finished: indexed / unchanged / withheld / failed / removed / missing"
    )
    message: str = Field(description="the outcome in Japanese, for staff")
    result: dict[str, object]
    size: int
    user: str
    created_at: str = Field(description="JST, ISO 8601")
    updated_at: str
    audit_id: int | None

    @property
    def finished(self) -> bool:
        return self.status in (KbJobStatus.DONE.value, KbJobStatus.FAILED.value)

    @classmethod
    def of(cls, job: KbJob) -> KbJobView:
        return cls(
            id=job.id,
            action=job.action,
            source=job.source,
            status=job.status,
            stage=job.stage,
            outcome=job.outcome,
            message=job.message,
            result=job.result,
            size=job.size,
            user=job.user,
            created_at=jst_iso(job.created_at),
            updated_at=jst_iso(job.updated_at),
            audit_id=job.audit_id,
        )


class DocumentView(BaseModel):
    source: str
    chunks: int
    complete: bool = Field(description="false: an interrupted update; the next one rewrites it")


def check_document(data: bytes, name: str, *, max_bytes: int) -> None:
    """Refuses a file the loaders would refuse (empty, too large, wrong type), before it
    is queued: DocumentInputError with the API's codes (400, 413, 415)."""
    if len(data) > max_bytes:
        raise DocumentInputError(
            f"ファイルが大きすぎます（{len(data):,}バイト以上）。"
            f"{max_bytes:,}バイト以内のファイルにしてください。",
            code="file_too_large",
        )
    if not data:
        raise DocumentInputError("ファイルが空です。", code="empty_file")
    try:
        check_file(data, name)
    except LoaderError as exc:
        code = (
            "unsupported_file_type" if isinstance(exc, UnsupportedFileError) else "unreadable_file"
        )
        raise DocumentInputError(str(exc), code=code) from None


def _who_of(who: Who) -> Who:
    return {k: who.get(k, "") for k in ("user", "department", "role", "channel")}


class KbUpdates:
    def __init__(self, runtime: Runtime, store: KbJobStore) -> None:
        self._runtime = runtime
        self.store = store
        self.updater = KbUpdater(runtime, store)
        self.max_bytes = runtime.settings.max_upload_bytes

    @property
    def _kb(self) -> KnowledgeBase:
        return self._runtime.knowledge_base

    def check(self, data: bytes, name: str) -> None:
        check_document(data, name, max_bytes=self.max_bytes)

    def submit_add(
        self,
        data: bytes,
        *,
        source: str,
        who: Who,
        department: str = "",
        doc_type: DocType | None = None,
        modified: str = "",
        checked_as: str | None = None,
    ) -> KbJobView:
        """Queues `data` to be indexed as `source` (replacing the document of that name).
        `checked_as` is the name whose extension the loaders go by (default `source`)."""
        self.check(data, checked_as or source)
        job = self.store.create(
            action=KbAction.ADD,
            source=source,
            who=_who_of(who),
            content=data,
            doc_department=department.strip(),
            doc_type=doc_type.value if doc_type else "",
            modified=modified,
        )
        return KbJobView.of(job)

    def submit_remove(self, source: str, *, who: Who) -> KbJobView:
        return KbJobView.of(
            self.store.create(action=KbAction.REMOVE, source=source, who=_who_of(who))
        )

    def remove_now(self, source: str, *, who: Who) -> tuple[int, str]:
        return self.updater.remove_now(source, _who_of(who))

    def view(self, job_id: str) -> KbJobView:
        return KbJobView.of(self.store.job(job_id))

    def jobs(self, *, limit: int = 50) -> list[KbJobView]:
        return [KbJobView.of(j) for j in self.store.jobs(limit=limit)]

    def documents(self) -> list[DocumentView]:
        states = self._kb.index.documents()
        return [
            DocumentView(source=s, chunks=st.stored_chunks, complete=st.complete)
            for s, st in sorted(states.items())
        ]


def open_kb_updates(runtime: Runtime) -> KbUpdates:
    return KbUpdates(runtime, KbJobStore(runtime.settings.audit_database_url))
