"""How the edge refuses a request before any route runs: JSON with a code and a Chinese message
for the API, a short Chinese page for the portal and the console."""

from __future__ import annotations

from html import escape

from pydantic import BaseModel
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Scope

API_PREFIX = "/api/"

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - 公共信用信息平台</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body><main class="wrap"><h1>{title}</h1><p>{message}</p><p><a href="/">返回首页</a></p></main>
</body></html>"""


class Problem(BaseModel):
    """Every refusal the API answers (4xx, 5xx): a machine code and a Chinese message."""

    code: str
    message: str
    fields: list[str] | None = None  # for request.invalid: which parameters were wrong


# What the OpenAPI schema declares for every operation, so clients and fuzzers see the real shape.
PROBLEM_RESPONSES: dict[int | str, dict[str, object]] = {
    "4XX": {"model": Problem, "description": "请求被拒绝（原因见 message）"},
}


def is_api(path: str) -> bool:
    return path.startswith(API_PREFIX)


def refusal(scope: Scope, status_code: int, code: str, message: str, title: str) -> Response:
    """The answer to a refused request, in the form its caller reads."""
    if is_api(scope.get("path", "")):
        return JSONResponse({"code": code, "message": message}, status_code=status_code)
    page = PAGE.format(title=escape(title), message=escape(message))
    return HTMLResponse(page, status_code=status_code)
