"""Every error the ingest package raises.

IngestError
├── LoaderError          a file could not be read or understood
│   └── UnsupportedFileError
├── EmbeddingError       the embedding model failed
└── IndexError_          the vector index refused an operation
    ├── IndexConfigError an index exists with an incompatible layout
    └── IndexBusyError   another process has the embedded index open
"""

from __future__ import annotations


class IngestError(Exception):
    """Root of the ingest package's errors; messages are Japanese, meant for users."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class LoaderError(IngestError):
    """A file could not be read or understood."""


class UnsupportedFileError(LoaderError):
    """The file's type is not one Yakuba can ingest."""


class EmbeddingError(IngestError):
    """The embedding model failed."""


class IndexError_(IngestError):  # noqa: N801 - avoid shadowing the builtin IndexError
    """The vector index refused an operation."""


class IndexConfigError(IndexError_):
    """An index exists with a layout (vector size, names) this build cannot use."""


class IndexBusyError(IndexError_):
    """Another process (usually `yakuba serve`) holds the embedded index: one process at a
    time may open a shard."""
