"""Who runs a background job, and when a runner counts as gone — shared by the job
queues in the audit database (bulk FAQ jobs, knowledge-base updates).

A job names its runner as "host:pid:nonce" and renews a heartbeat while it runs; another
process may take the job over when the runner's process no longer exists on this host or
its heartbeat is older than the lease.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

__all__ = ["LEASE", "lease_expired", "runner_gone", "runner_name"]

LEASE = timedelta(seconds=30)


def runner_name() -> str:
    """This process, as a job's `runner` column names it."""
    return f"{socket.gethostname()[:64]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def runner_gone(runner: str) -> bool:
    """True when `runner` was a process on this host that no longer exists."""
    host, _, rest = runner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:64] or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def lease_expired(runner: str, heartbeat: datetime | None, now: datetime) -> bool:
    """A running job's runner is to be replaced: silent past the lease, or gone."""
    return heartbeat is None or now - heartbeat > LEASE or runner_gone(runner)
