"""The public site's error page: a refusal (an unknown address, an id that names nothing, a
parameter the page cannot use) in the site's own layout, in Chinese, with the way back home and,
where a query led there, to query again. The API's JSON and the console's pages stay with
`http.answers.refusal`; the app hands this renderer to `http.errors`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from xinyong.http.answers import TITLES
from xinyong.web.templating import templates

# Where 重新查询 leads from a path: the page whose query brought the person there.
RETRY = [("/lists", "/lists"), ("/subjects", "/search"), ("/records", "/search")]


def retry_link(path: str) -> str:
    """Another query is the way on from a list or an archive; from elsewhere, the search."""
    return next((to for prefix, to in RETRY if path.startswith(prefix)), "/search")


def problem_page(
    request: Request, status_code: int, code: str, message: str, title: str | None = None
) -> Response:
    context = {
        "title": title or TITLES.get(status_code, "请求被拒绝"),
        "message": message,
        "status": status_code,
        "code": code,
        "retry": retry_link(request.url.path),
    }
    return templates.TemplateResponse(request, "problem.html", context, status_code=status_code)
