"""Who is calling: a department system or a partner platform by API key, a staff member by the
signed-in browser session, or the anonymous public — resolved once per request into an
`auth.Principal`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session

from xinyong.auth import permissions
from xinyong.auth import service as auth
from xinyong.auth.models import User
from xinyong.auth.principal import PUBLIC, Kind, Principal
from xinyong.db import committing
from xinyong.http.deps import Database

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="部门系统的 API 密钥")


def session_user(request: Request, session: Session) -> User | None:
    """The staff member signed in on this browser session, while the session holds (not
    logged out, the account and its department active)."""
    user_id = request.session.get("user_id")
    if user_id is None:
        return None
    return auth.signed_in_user(session, user_id, request.session.get("generation"))


def current_principal(
    request: Request,
    session: Database,
    api_key: Annotated[str | None, Security(api_key_header)] = None,
) -> Principal:
    """The public when anonymous; a wrong key is a 401, never the public (its use is noted,
    so resolving a key commits)."""
    if api_key:
        with committing(session):
            return auth.principal_for_api_key(session, api_key)
    user = session_user(request, session)
    return PUBLIC if user is None else Principal.of_user(user)


def signed_in_principal(
    request: Request, session: Database, principal: Annotated[Principal, Depends(current_principal)]
) -> Principal:
    """A department system or a staff member, or 401 with a Chinese message. A partner's key
    is refused (403, audited): the change feed, all it may read, takes any caller."""
    if principal.kind is Kind.PARTNER:
        permissions.refuse_partner(session, principal, request.url.path)
    if principal.is_public:
        raise auth.AuthError("请提供有效的 API 密钥或先登录", "auth.required")
    return principal


Caller = Annotated[Principal, Depends(current_principal)]
SignedIn = Annotated[Principal, Depends(signed_in_principal)]


def api_router(tag: str) -> APIRouter:
    """A part's /api/v1 routes, mounted with the caller resolved first: a wrong key is a 401
    before any route runs, and each route reads the same principal (`Caller`, `SignedIn`)."""
    return APIRouter(tags=[tag], dependencies=[Depends(current_principal)])
