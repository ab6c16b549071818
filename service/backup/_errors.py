from __future__ import annotations

from ..errors import YakubaError


class BackupError(YakubaError):
    """A backup could not be made or restored; the message says why, in Japanese."""
