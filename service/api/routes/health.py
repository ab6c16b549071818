from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from ..deps import RuntimeDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    generation: bool
    documents: int


@router.get("/healthz")
def healthz(runtime: RuntimeDep) -> Health:
    """Liveness and what this instance can do."""
    return Health(
        status="ok",
        generation=runtime.chat_model is not None,
        documents=runtime.document_count(),
    )
