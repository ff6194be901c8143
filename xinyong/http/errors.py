"""The answer to an error nothing else handled: logged with its traceback, shown as a Chinese
message only — JSON for the API, a page for the portal and the console."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from xinyong.http.answers import refusal
from xinyong.http.headers import SECURITY_HEADERS

log = logging.getLogger(__name__)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    message = "服务器内部错误，请稍后重试"
    answer = refusal(request.scope, 500, "server.error", message, "服务器内部错误")
    # Sent by Starlette's outermost middleware, past SecurityHeaders: add them here.
    answer.headers.update(SECURITY_HEADERS)
    return answer
