from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ...observability import ReadinessCheck
from ..deps import RuntimeDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    generation: bool
    documents: int


class Ready(BaseModel):
    status: str  # "ready" | "not_ready"
    checks: list[ReadinessCheck]


@router.get("/healthz")
def healthz(runtime: RuntimeDep) -> Health:
    """Liveness and what this instance can do."""
    return Health(
        status="ok",
        generation=runtime.chat_model is not None,
        documents=runtime.document_count(),
    )


@router.get("/readyz", responses={503: {"model": Ready, "description": "依存先が応答しない"}})
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    """Whether this instance can serve: the audit database and the index answer (and the
    model server, with YAKUBA_READYZ_CHECK_MODEL). 503 takes it out of the load balancer."""
    checks = await runtime.readiness.run()
    ready = all(c.ok for c in checks)
    body = Ready(status="ready" if ready else "not_ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)
