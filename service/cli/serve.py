"""`yakuba serve`: one process, or `--workers N` uvicorn worker processes.

Several processes share everything that lives in the database — audit records, quotas,
API keys, FAQ jobs, conversation threads — but the embedded index cannot be shared: its
engine locks the shard's write-ahead log, and a second opener fails even in the same
process (bench/index_readers.py). So more than one worker needs a Qdrant server
(YAKUBA_QDRANT_URL); deploy/README.md describes the multi-process setups.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from ..announce import announce
from ..errors import ConfigurationError
from ..main import create_app
from ..observability import MULTIPROC_ENV, configure_logging, prepare_multiprocess_dir
from ..settings import Settings, get_settings

__all__ = ["check_workers", "metrics_dir", "run_server", "worker_app"]

# uvicorn imports this in each worker process it starts (--workers N > 1).
_WORKER_APP = "service.cli.serve:worker_app"
# How long uvicorn's supervisor waits for a worker to answer its ping before it kills and
# replaces it (a worker that exits is replaced at once, whatever this says). A worker
# answers only once it has imported the app; its default, 5 s, and even 60 s, were shorter
# than that on this busy 2-core machine (load 11-12, 2026-12-07): every worker was killed
# before it could answer, again and again, and the service never came up.
_WORKER_HEALTHCHECK_S = 300


def check_workers(settings: Settings, workers: int) -> None:
    """Raises ConfigurationError (in Japanese, with the way out) when `workers` processes
    cannot run with these settings."""
    if workers > 1 and not settings.qdrant_url:
        raise ConfigurationError(
            f"--workers {workers} には Qdrant サーバーが必要です。組み込みの索引"
            f"（{settings.data_dir / 'index'}）は一度に一つのプロセスしか開けません。"
            "YAKUBA_QDRANT_URL に Qdrant サーバーの URL（例: http://qdrant:6333）を設定するか、"
            "--workers 1 で起動してください（deploy/README.md「複数プロセス」）。"
        )


def metrics_dir(settings: Settings) -> Path:
    """The workers' shared metrics folder: PROMETHEUS_MULTIPROC_DIR when the operator set
    one (a tmpfs, say), else `<data dir>/metrics`; emptied when serve starts."""
    given = os.environ.get(MULTIPROC_ENV, "").strip()
    return Path(given) if given else settings.data_dir / "metrics"


def worker_app() -> FastAPI:
    """The app of one worker process: settings from the environment, as the parent's."""
    settings = get_settings()
    configure_logging(json_lines=settings.log_format == "json")
    return create_app(settings)


def run_server(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    check_workers(settings, workers)
    configure_logging(json_lines=settings.log_format == "json")
    # Tells `yakuba ingest` / `remove` that a service holds the index (service.announce).
    with announce(settings.data_dir, f"http://{host}:{port}"):
        _run(settings, host=host, port=port, workers=workers)


def _run(settings: Settings, *, host: str, port: int, workers: int) -> None:
    import uvicorn

    # In header mode the proxy is recognised by the TCP peer address; uvicorn must not
    # replace that with an X-Forwarded-For a client could have written.
    proxy_headers = settings.auth_mode != "header"
    # log_config=None: configure_logging's handlers, not uvicorn's. access_log=False:
    # uvicorn's access log prints query strings (audit searches hold names);
    # service.observability.AccessLog logs route templates instead.
    if workers == 1:
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            proxy_headers=proxy_headers,
        )
        return
    # Worker processes import the app themselves; the parent only supervises them and
    # starts a new one when one dies (uvicorn's process manager). They inherit this
    # environment, so each one's metrics go to the shared folder and /metrics on any of
    # them reports all (service.observability._metrics).
    folder = metrics_dir(settings)
    prepare_multiprocess_dir(folder)
    os.environ[MULTIPROC_ENV] = str(folder)
    uvicorn.run(
        _WORKER_APP,
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=_WORKER_HEALTHCHECK_S,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        proxy_headers=proxy_headers,
    )
