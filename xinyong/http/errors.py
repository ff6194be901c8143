"""Errors no route answered: Starlette's own refusals, and errors nothing handled (logged with
their traceback, shown as a Chinese message only) — JSON for the API, a page elsewhere."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from xinyong.db import RETRY_BUSY_SECONDS, is_lock_timeout
from xinyong.errors import Busy, DomainError
from xinyong.http.answers import is_api, refusal
from xinyong.http.applicant import ApplicantLoginRequired, to_applicant_login
from xinyong.http.console import LoginRequired, to_login
from xinyong.http.headers import SECURITY_HEADERS

log = logging.getLogger(__name__)


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


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = HTTP_MESSAGES.get(exc.status_code, "请求被拒绝")
    answer = refusal(request.scope, exc.status_code, f"http.{exc.status_code}", message)
    answer.headers.update(exc.headers or {})
    return answer


def install_error_handlers(app: FastAPI) -> None:
    """A DomainError as JSON with its code under /api and as a Chinese page elsewhere; a
    missing console login as the way to the login form; anything else as a logged 500."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        answer = refusal(request.scope, exc.status_code, exc.code, exc.message)
        if isinstance(exc, Busy):
            answer.headers.update(exc.headers)
        return answer

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
            return refusal(request.scope, 422, "request.invalid", "请求参数有误，请检查后重试")
        fields = ["/".join(str(p) for p in e["loc"]) for e in exc.errors()]
        return JSONResponse(
            {"code": "request.invalid", "message": "请求参数有误", "fields": fields},
            status_code=422,
        )

    app.add_exception_handler(LoginRequired, to_login)
    app.add_exception_handler(ApplicantLoginRequired, to_applicant_login)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, server_error)
