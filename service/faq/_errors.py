"""The bulk FAQ feature's errors (service.errors' hierarchy, Japanese messages).

InputError
└── FaqInputError        the question file cannot be used (problems lists every one)
NotFoundError
└── JobNotFoundError     no such job, or not the caller's
YakubaError
└── JobStateError        the job is not in a state that allows the request
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel

from ..errors import InputError, NotFoundError, YakubaError


class Problem(BaseModel):
    line: int | None = None
    column: str = ""
    message: str
    severity: Literal["error", "warning"] = "error"

    def text(self) -> str:
        where = f"{self.line}行目" if self.line else ""
        if self.column:
            where += f"「{self.column}」列"
        return f"{where}: {self.message}" if where else self.message


class FaqInputError(InputError):
    code = "invalid_faq_file"

    def __init__(
        self, message: str, *, code: str | None = None, problems: Sequence[Problem] = ()
    ) -> None:
        super().__init__(message, code=code)
        self.problems = list(problems)


class JobNotFoundError(NotFoundError):
    code = "faq_job_not_found"


class JobStateError(YakubaError):
    code = "faq_job_state"
