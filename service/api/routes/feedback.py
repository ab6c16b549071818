"""`POST /v1/feedback`: 👍/👎 and a comment on an answer, by its audit id."""

from __future__ import annotations

from fastapi import APIRouter

from ...errors import YakubaError
from ...feedback import record_feedback
from ..deps import CurrentUser, RuntimeDep
from ..errors import ERROR_RESPONSES, http_error
from ..schemas import FeedbackRequest, FeedbackResponse

router = APIRouter(prefix="/v1", tags=["feedback"])


@router.post(
    "/feedback",
    status_code=201,
    responses={**ERROR_RESPONSES, 404: ERROR_RESPONSES[400] | {"description": "回答が無い"}},
    summary="回答へのフィードバック（👍/👎とコメント）",
)
def feedback(body: FeedbackRequest, user: CurrentUser, runtime: RuntimeDep) -> FeedbackResponse:
    """The comment passes the guard and is stored with personal data replaced by labels."""
    try:
        result = record_feedback(
            audit=runtime.audit,
            guard=runtime.guard,
            audit_id=body.audit_id,
            rating=body.rating,
            comment=body.comment,
            ctx=user,
        )
    except YakubaError as exc:
        raise http_error(exc.code, str(exc)) from None
    return FeedbackResponse.of(result)
