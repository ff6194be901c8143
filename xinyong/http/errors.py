"""Errors no route answered: Starlette's own refusals, and errors nothing handled (logged with
their traceback, shown as a Chinese message only) — JSON for the API, a page elsewhere."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from xinyong.http.answers import refusal
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
