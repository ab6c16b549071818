"""Several service processes appending to one database keep one linear chain."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from service.audit import AuditRecord, AuditStore
from tests.service.test_audit_store import BACKENDS, require_backend
from tests.utils.audit_scratch import append_many, scratch_database

PROCESSES = 4
EACH = 40


@pytest.fixture(params=BACKENDS)
def audit_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    require_backend(request.param)
    with scratch_database(request.param, tmp_path) as url:
        yield url


def test_processes_appending_at_once_keep_one_valid_chain(audit_url: str) -> None:
    # The schema exists before the workers start only for half of them: the others race
    # the migration too (opening is serialised by the same database lock).
    AuditStore(audit_url).close()
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(PROCESSES, mp_context=spawn) as pool:
        futures = [pool.submit(append_many, audit_url, EACH, f"p{i}") for i in range(PROCESSES)]
        ids = [i for f in futures for i in f.result(timeout=240)]
    assert sorted(ids) == list(range(1, PROCESSES * EACH + 1))
    store = AuditStore(audit_url)
    try:
        assert store.verify() == []
        with store.session() as session:
            tags = {t.split("-")[0] for t in session.scalars(select(AuditRecord.request_id))}
        assert tags == {f"p{i}" for i in range(PROCESSES)}
    finally:
        store.close()


def test_processes_racing_the_first_migration(audit_url: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(3, mp_context=spawn) as pool:
        futures = [pool.submit(append_many, audit_url, 5, f"m{i}") for i in range(3)]
        ids = [i for f in futures for i in f.result(timeout=240)]
    assert sorted(ids) == list(range(1, 16))
    store = AuditStore(audit_url)
    try:
        assert store.verify() == []
    finally:
        store.close()
