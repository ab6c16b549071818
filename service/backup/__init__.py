"""Backup and restore of one Yakuba installation: the audit database (with the key that
signs its purge checkpoints) and the embedded index, as one folder with a manifest.

A backup is a plain folder that can be copied, rsynced or written to tape; every file in
it is listed in `manifest.json` with its SHA-256, so a restore refuses a damaged or
edited backup instead of bringing back a broken audit trail.
"""

from __future__ import annotations

from ._errors import BackupError
from ._manifest import BackupFile, BackupManifest
from ._run import RestoreReport, create_backup, restore_backup

__all__ = [
    "BackupError",
    "BackupFile",
    "BackupManifest",
    "RestoreReport",
    "create_backup",
    "restore_backup",
]
