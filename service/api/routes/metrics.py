from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from ...observability._metrics import CONTENT_TYPE
from ..deps import RuntimeDep
from ..schemas import ErrorDetail

router = APIRouter(tags=["operations"])


@router.get("/metrics", include_in_schema=False)
def metrics(runtime: RuntimeDep, request: Request) -> Response:
    """Prometheus exposition. With YAKUBA_METRICS_TOKEN set, only with that bearer token
    (compared in constant time); without, the network decides who may scrape."""
    token = runtime.settings.metrics_token
    if token is not None:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
            detail = ErrorDetail(
                code="metrics_forbidden",
                message="メトリクスの取得には正しいトークン（Authorization: Bearer …）が必要です。",
                audit_id=None,
            )
            return JSONResponse({"detail": detail.model_dump()}, status_code=401)
    return Response(runtime.metrics.exposition(), media_type=CONTENT_TYPE)
