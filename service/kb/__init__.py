"""Knowledge-base updates while the service runs: an administrator adds, replaces and
removes documents through the API, the console or the CLI, and the index keeps serving.

    updates = open_kb_updates(runtime)           # the job table lives in the audit database
    job = updates.submit_add(data, source="手引き.pdf", who=who)   # checked, then queued
    KbWorker … / updates.updater.run(job.id)     # the service's worker runs it
    updates.view(job.id)                         # status, stage, outcome, message
    updates.remove_now("手引き.pdf", who=who)    # DocumentNotFoundError when missing

Every change (and every failed attempt) is one audit record, task `kb_add`, `kb_replace`
or `kb_remove`. The CLI hands its work over through the same table when a running
`yakuba serve` holds the embedded index (service.cli.main).
"""

from __future__ import annotations

from ._errors import DocumentInputError, DocumentNotFoundError, KbJobNotFoundError
from ._models import KbAction, KbJobStatus
from ._names import source_name, staged_name, upload_name
from ._service import DocumentView, KbJobView, KbUpdates, check_document, open_kb_updates
from ._store import KbJobStore
from ._updater import KbAudit, KbUpdater, Who

__all__ = [
    "DocumentInputError",
    "DocumentNotFoundError",
    "DocumentView",
    "KbAction",
    "KbAudit",
    "KbJobNotFoundError",
    "KbJobStatus",
    "KbJobStore",
    "KbJobView",
    "KbUpdater",
    "KbUpdates",
    "Who",
    "check_document",
    "open_kb_updates",
    "source_name",
    "staged_name",
    "upload_name",
]
