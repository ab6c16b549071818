"""FastAPI side of access control: who is calling, may they, and is their quota left.

Auth failures become HTTP errors with the API's error body: 401 with
`WWW-Authenticate: Bearer`, 403, and 429 with `Retry-After`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..auth import AccessControl, AuthError, Credentials, Permission, Principal, QuotaExceededError
from .errors import status_for
from .schemas import ErrorDetail

__all__ = ["AccessDep", "PrincipalDep", "auth_http_error", "get_access", "get_principal", "require"]

# Declares the bearer scheme in the OpenAPI document (the "Authorize" button of /docs);
# the token itself is read by the authenticator, which also knows API keys and proxies.
# The staff web page's marker header (also read by service.api.deps).
WEB_CLIENT_HEADER = "X-Yakuba-Client"

_bearer_scheme = HTTPBearer(auto_error=False, description="OIDC/JWT または API キー（ykb_…）")


async def get_access(request: Request) -> AccessControl:  # no I/O: no worker thread
    access: AccessControl = request.app.state.access
    return access


AccessDep = Annotated[AccessControl, Depends(get_access)]


def auth_http_error(exc: AuthError, *, audit_id: int | None = None) -> HTTPException:
    headers: dict[str, str] = {}
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="yakuba"'
    if isinstance(exc, QuotaExceededError):
        headers["Retry-After"] = str(exc.retry_after_s)
    detail = ErrorDetail(code=exc.code, message=str(exc), audit_id=audit_id)
    # The one table's status (it agrees with exc.status: test_api_hardening).
    return HTTPException(
        status_code=status_for(exc.code), detail=detail.model_dump(), headers=headers
    )


def get_principal(
    request: Request,
    access: AccessDep,
    _scheme: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
) -> Principal:
    credentials = Credentials(
        client_host=request.client.host if request.client else None,
        headers=request.headers,  # case-insensitive: lower-case look-ups work
    )
    try:
        return access.authenticate(credentials)
    except AuthError as exc:
        raise auth_http_error(exc, audit_id=_audit_failure(request, access, exc)) from None


def _audit_failure(request: Request, access: AccessControl, exc: AuthError) -> int | None:
    """The audit record of a failed sign-in (None: no credentials were presented, or the
    client is over its rate of recorded failures)."""
    if exc.failure is None:
        return None
    channel = "web" if request.headers.get(WEB_CLIENT_HEADER) == "web" else "api"
    return access.sign_ins.record(
        request.app.state.runtime.audit,
        exc.failure,
        message=str(exc),
        client=request.client.host if request.client else None,
        channel=channel,
    )


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(permission: Permission, *, metered: bool = False) -> Any:
    """A route (or router) dependency: the caller must hold `permission`. With `metered`,
    each request other than GET/HEAD also counts against the caller's quotas."""

    def dependency(request: Request, principal: PrincipalDep, access: AccessDep) -> Principal:
        try:
            access.authorize(principal, permission)
            if metered and request.method not in ("GET", "HEAD"):
                access.attach(request.app.state.runtime.assistant)
                access.admit(principal)
        except AuthError as exc:
            raise auth_http_error(exc) from None
        return principal

    return Depends(dependency)
