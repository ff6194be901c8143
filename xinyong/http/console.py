"""The staff console's router: every page under it requires a signed-in staff member, and every
form it receives the session's CSRF token, so no page writes its own login redirect or check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from xinyong.auth.models import User
from xinyong.auth.principal import Principal
from xinyong.errors import DomainError, PermissionDenied
from xinyong.http.csrf import require_form_token
from xinyong.http.deps import Database
from xinyong.http.principal import session_user

LOGIN_PAGE = "/admin/login"


class LoginRequired(Exception):
    """No staff member is signed in on this browser: the page sends it to the login form."""


def console_user(request: Request, session: Database) -> User:
    user = session_user(request, session)
    if user is None:
        raise LoginRequired
    return user


StaffUser = Annotated[User, Depends(console_user)]


async def form_token(request: Request, _user: StaffUser) -> None:
    """Signed in first, then the form's token (`csrf.require_form_token`)."""
    await require_form_token(request)


def refuse_unless_usable(error: DomainError, principal: Principal, action: str) -> None:
    """A form's error is shown on its page, except a refusal to a principal who may not use the
    page at all (`action`): that one is the Chinese 403 page, audited once by the service."""
    if isinstance(error, PermissionDenied) and not principal.may(action):
        raise error


def console_router() -> APIRouter:
    """A part's console pages: mounted with the login and the form token already checked."""
    return APIRouter(include_in_schema=False, dependencies=[Depends(form_token)])


async def to_login(_request: Request, _exc: Exception) -> Response:
    return RedirectResponse(LOGIN_PAGE, status_code=303)
