"""Errors no route answered: Starlette's own refusals, and errors nothing handled (logged with
their traceback, shown as a Chinese message only) — JSON for the API, a page elsewhere: the
public site's own error page when the app gives one (`PageRenderer`, from `web`, which sits
above this plumbing), else `answers.refusal`'s."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from xinyong.db import RETRY_BUSY_SECONDS, is_lock_timeout
from xinyong.errors import Busy, DomainError
from xinyong.http.answers import CONSOLE_PREFIX, is_api, refusal
from xinyong.http.applicant import ApplicantLoginRequired, to_applicant_login
from xinyong.http.console import LoginRequired, to_login
from xinyong.http.headers import SECURITY_HEADERS

log = logging.getLogger(__name__)

# (request, status, code, message) → the public site's error page.
PageRenderer = Callable[[Request, int, str, str], Response]


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    message = "服务器内部错误，请稍后重试"
    answer = refusal(request.scope, 500, "server.error", message)
    # Sent by Starlette's outermost middleware, past SecurityHeaders: add them here.
    answer.headers.update(SECURITY_HEADERS)
    return answer


# Starlette's own refusals (a body it cannot parse, an unknown path, a wrong method) in Chinese.
HTTP_MESSAGES = {
    400: "请求内容无法解析，请检查格式后重试",
    404: "页面或接口不存在",
    405: "不支持该请求方法",
}
# On the public site a 404 is an address a person followed or typed: what it may mean.
PAGE_NOT_FOUND = "没有找到该页面或信息：地址可能有误，或该信息未公开、已停止公示"


def is_public_page(path: str) -> bool:
    return not is_api(path) and not path.startswith(CONSOLE_PREFIX)


def install_error_handlers(app: FastAPI, page: PageRenderer | None = None) -> None:
    """A DomainError as JSON with its code under /api and as a Chinese page elsewhere; a
    missing console login as the way to the login form; anything else as a logged 500. A path
    parameter a page cannot use (/subjects/abc) names nothing: the 404 page, as an unknown id."""

    def refused(request: Request, status_code: int, code: str, message: str) -> Response:
        if page is not None and is_public_page(request.url.path):
            return page(request, status_code, code, message)
        return refusal(request.scope, status_code, code, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = HTTP_MESSAGES.get(exc.status_code, "请求被拒绝")
        if exc.status_code == 404 and is_public_page(request.url.path):
            message = PAGE_NOT_FOUND
        answer = refused(request, exc.status_code, f"http.{exc.status_code}", message)
        answer.headers.update(exc.headers or {})
        return answer

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        if isinstance(exc, Busy):  # the database is held: a page needing none
            answer = refusal(request.scope, exc.status_code, exc.code, exc.message)
            answer.headers.update(exc.headers)
            return answer
        return refused(request, exc.status_code, exc.code, exc.message)

    @app.exception_handler(OperationalError)
    async def database_busy(request: Request, exc: OperationalError) -> Response:
        """SQLite's one writer held past the wait (by a long batch): a retry, not a failure."""
        if not is_lock_timeout(exc):
            return await server_error(request, exc)
        busy = Busy("数据库正忙（可能有批次正在入库），请稍后重试", "db.busy", RETRY_BUSY_SECONDS)
        return await domain_error(request, busy)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if not is_api(request.url.path):  # a page's form or address: no field paths to read
            if any(e["loc"][:1] == ("path",) for e in exc.errors()):
                message = PAGE_NOT_FOUND if is_public_page(request.url.path) else HTTP_MESSAGES[404]
                return refused(request, 404, "http.404", message)
            return refused(request, 422, "request.invalid", "请求参数有误，请检查后重试")
        fields = ["/".join(str(p) for p in e["loc"]) for e in exc.errors()]
        return JSONResponse(
            {"code": "request.invalid", "message": "请求参数有误", "fields": fields},
            status_code=422,
        )

    app.add_exception_handler(LoginRequired, to_login)
    app.add_exception_handler(ApplicantLoginRequired, to_applicant_login)
    app.add_exception_handler(Exception, server_error)
