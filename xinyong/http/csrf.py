"""CSRF: console forms carry the session's token in a field; API calls authenticated by the
staff session cookie (not by an API key) carry it in the X-CSRF-Token header. A page on
another site can make a browser send the cookie, never the token."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from xinyong.errors import DomainError
from xinyong.http.answers import is_api, refusal

CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def csrf_token(request: Request) -> str:
    """The session's token, made on first use; console pages put it in forms and a meta tag."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return str(token)


def check_csrf(request: Request, token: str) -> bool:
    return _matches(request.session, token)


async def require_form_token(request: Request) -> None:
    """A form that changes something carries the session's token (a field, or the header
    scripts send). The parsed form is cached on the request: the page reads the same one."""
    if request.method in SAFE_METHODS:
        return
    token = request.headers.get(CSRF_HEADER)
    if token is None:
        field = (await request.form()).get("csrf")
        token = field if isinstance(field, str) else ""
    if not check_csrf(request, token):
        raise DomainError("页面已过期，请刷新页面后重新提交", "csrf.stale")


def _matches(session: dict[str, Any], token: str | None) -> bool:
    expected = session.get("csrf")
    return (
        isinstance(expected, str) and token is not None and secrets.compare_digest(expected, token)
    )


class ApiCsrf:
    """Pure ASGI middleware, inside the session middleware: an /api call that changes state and
    is authenticated by a signed-in session must carry the session's token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _needs_token(scope):
            headers = Headers(scope=scope)
            if not _matches(scope["session"], headers.get(CSRF_HEADER)):
                message = f"请求缺少有效的 CSRF 令牌（{CSRF_HEADER}），请刷新页面后重试"
                await refusal(scope, 403, "csrf.invalid", message, "请求被拒绝")(
                    scope, receive, send
                )
                return
        await self.app(scope, receive, send)


def _needs_token(scope: Scope) -> bool:
    if not is_api(scope["path"]) or scope["method"] in SAFE_METHODS:
        return False
    if Headers(scope=scope).get("x-api-key"):
        return False  # a key call: the API uses the key, not the cookie
    return bool(scope.get("session", {}).get("user_id"))
