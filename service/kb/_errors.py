"""The knowledge-base updates' errors (service.errors' hierarchy, Japanese messages).

InputError
└── DocumentInputError    the file or its name cannot be used (type, size, name)
NotFoundError
├── DocumentNotFoundError no such document in the index
└── KbJobNotFoundError    no such update job
"""

from __future__ import annotations

from ..errors import InputError, NotFoundError


class DocumentInputError(InputError):
    code = "invalid_document"


class DocumentNotFoundError(NotFoundError):
    code = "document_not_found"


class KbJobNotFoundError(NotFoundError):
    code = "kb_job_not_found"
