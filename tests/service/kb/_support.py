"""Following knowledge-base jobs through the HTTP API."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

JOB_WAIT_S = 120


def wait_for_job(client: TestClient, job_id: str, **headers: str) -> dict[str, Any]:
    """Polls the job until it ends; every view seen on the way is checked for shape."""
    deadline = time.monotonic() + JOB_WAIT_S
    while True:
        response = client.get(f"/v1/admin/documents/jobs/{job_id}", headers=headers)
        assert response.status_code == 200, response.text
        view: dict[str, Any] = response.json()
        assert view["status"] in ("queued", "running", "done", "failed"), view
        if view["status"] in ("done", "failed"):
            return view
        assert time.monotonic() < deadline, view
        time.sleep(0.1)


def upload(
    client: TestClient,
    name: str,
    data: bytes,
    *,
    expect: int = 202,
    **form: str,
) -> dict[str, Any]:
    response = client.post(
        "/v1/admin/documents",
        files={"file": (name, data, "application/octet-stream")},
        data=form,
    )
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body
