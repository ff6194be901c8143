"""Signing in to the staff console and out of it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.auth import service as auth
from xinyong.auth.principal import actor_of
from xinyong.db import committing
from xinyong.http.csrf import check_csrf, csrf_token
from xinyong.http.deps import Database, client_address
from xinyong.http.principal import session_user
from xinyong.web.templating import templates

router = APIRouter(include_in_schema=False)  # before a login: these check their own token


@router.get("/admin/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return templates.TemplateResponse(
        request, "auth/login.html", {"csrf": csrf_token(request), "error": None}
    )


@router.post("/admin/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: Database,
    username: Annotated[str, Form()] = "",  # any length: authenticate bounds what it keeps
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    if not check_csrf(request, csrf):
        return _login_page(request, username, "页面已过期，请重新登录", 400)
    try:
        user = auth.authenticate(session, username, password, client_address(request))
    except auth.LoginThrottled as exc:
        return _login_page(request, username, exc.message, exc.status_code)
    if user is None:
        return _login_page(request, username, "用户名或密码错误", 400)
    request.session.clear()
    request.session.update(user_id=user.id, generation=user.session_generation)
    return RedirectResponse("/admin", status_code=303)


def _login_page(request: Request, username: str, error: str, status: int) -> Response:
    return templates.TemplateResponse(
        request,
        "auth/login.html",
        {"csrf": csrf_token(request), "error": error, "username": username[: auth.USERNAME_LENGTH]},
        status_code=status,
    )


@router.post("/admin/logout")
def logout(
    request: Request,
    session: Database,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Ends the session on the server too: a copy of the cookie stops working."""
    if check_csrf(request, csrf):
        user = session_user(request, session)
        if user is not None:
            with committing(session):
                auth.end_sessions(session, user, actor_of(user))
        request.session.clear()
    return RedirectResponse("/admin/login", status_code=303)
