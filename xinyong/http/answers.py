"""How the edge refuses a request before any route runs: JSON with a code and a Chinese message
for the API, a short Chinese page for the portal and the console."""

from __future__ import annotations

from html import escape

from pydantic import BaseModel
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Scope

API_PREFIX = "/api/"

CONSOLE_PREFIX = "/admin"

# Built without the template engine: the edge refuses before any route (or template) runs.
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - 公共信用信息平台</title><link rel="stylesheet" href="/static/style.css"></head>
<body><header class="site-header"><div class="wrap"><a class="brand" href="/">公共信用信息平台</a>
</div></header><main class="wrap"><section class="problem" role="alert"><h1>{title}</h1>
<p>{message}</p><p class="problem-code">错误代码：{status} {code}</p>
<p class="problem-ways"><a class="button" href="{back}">{back_label}</a>{retry}</p></section></main>
</body></html>"""
# On the public site a refused query can be asked again (a NUL typed into the search box).
RETRY = '<a class="button button-quiet" href="{href}">重新查询</a>'


TITLES = {
    400: "请求有误",
    401: "需要登录",
    403: "无权访问",
    404: "未找到",
    405: "请求方式不正确",
    409: "操作冲突",
    413: "请求内容过大",
    422: "请求参数有误",
    429: "操作过于频繁",
    500: "服务器内部错误",
    503: "服务繁忙",
}


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


def refusal(
    scope: Scope, status_code: int, code: str, message: str, title: str | None = None
) -> Response:
    """The answer to a refused request, in the form its caller reads: JSON for the API, a
    Chinese page for the portal and the console (with the way back to where it came from)."""
    path = scope.get("path", "")
    if is_api(path):
        return JSONResponse({"code": code, "message": message}, status_code=status_code)
    back, back_label = "/", "返回首页"
    retry = RETRY.format(href="/lists" if path.startswith("/lists") else "/search")
    if path.startswith(CONSOLE_PREFIX):
        retry = ""
        back, back_label = (
            ("/admin/login", "登录") if status_code == 401 else ("/admin", "返回工作台")
        )
    page = PAGE.format(
        title=escape(title or TITLES.get(status_code, "请求被拒绝")),
        message=escape(message),
        status=status_code,
        code=escape(code),
        back=back,
        back_label=back_label,
        retry=retry,
    )
    return HTMLResponse(page, status_code=status_code)


def refusals(*statuses: int) -> dict[int | str, dict[str, object]]:
    """The refusals a route declares in the OpenAPI schema, each titled in Chinese."""
    return {status: {"model": Problem, "description": TITLES[status]} for status in statuses}
