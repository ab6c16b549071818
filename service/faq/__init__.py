"""Bulk FAQ generation: a question list (CSV/XLSX) in, reviewed answer drafts out.

    jobs = open_faq_jobs(runtime)                 # the store lives in the audit database
    preview = jobs.preview(data, "questions.csv") # problems in Japanese, before anything runs
    job = jobs.submit(data, "questions.csv", who)
    jobs.runner.run(job.id, on_progress=...)      # or the service's JobWorker runs it
    jobs.export(job.id, out, "csv", approved_only=True)

Every row goes through the guarded pipeline as one request on channel `batch`
(service.faq._pipeline is the only module that calls it).
"""

from __future__ import annotations

from ..runtime import Runtime
from ._errors import FaqInputError, JobNotFoundError, JobStateError, Problem
from ._grouping import Group, group_questions
from ._models import JobStatus, Review, RowStatus
from ._pipeline import FaqPipeline, IndexUnavailableError, RowOutcome
from ._reader import Limits, Preview, QuestionRow, inspect_questions, iter_questions
from ._runner import JobRunner, Progress
from ._service import FaqJobs, JobView, RowView, digest_of
from ._store import JobStore
from ._worker import JobWorker
from ._writer import COLUMNS, OutputFormat, output_format, write_results

__all__ = [
    "COLUMNS",
    "FaqInputError",
    "FaqJobs",
    "FaqPipeline",
    "Group",
    "IndexUnavailableError",
    "JobNotFoundError",
    "JobRunner",
    "JobStateError",
    "JobStatus",
    "JobStore",
    "JobView",
    "JobWorker",
    "Limits",
    "OutputFormat",
    "Preview",
    "Problem",
    "Progress",
    "QuestionRow",
    "Review",
    "RowOutcome",
    "RowStatus",
    "RowView",
    "digest_of",
    "group_questions",
    "inspect_questions",
    "iter_questions",
    "open_faq_jobs",
    "output_format",
    "write_results",
]


def open_faq_jobs(runtime: Runtime) -> FaqJobs:
    return FaqJobs(JobStore(runtime.settings.audit_database_url), FaqPipeline(runtime))
