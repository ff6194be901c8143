"""The API docs, offline: Swagger UI's files come from the `fastapi-swagger` package (Swagger UI
5, Apache-2.0) and are served by the platform, started by a static script (the CSP allows no
inline script), so the page works on an intranet with no CDN."""

from __future__ import annotations

from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/api/docs"
ASSETS_PATH = "/api/docs/assets"
SWAGGER_UI_DIR = Path(str(files("fastapi_swagger").joinpath("resources")))

PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>{title} - 接口文档</title>
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
  <link rel="icon" href="{assets}/favicon-32x32.png">
  {csrf}
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{openapi}"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="/static/api-docs.js"></script>
</body>
</html>"""

router = APIRouter(include_in_schema=False)


@router.get(DOCS_PATH, response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    app = request.app
    token = request.session.get("csrf")  # a signed-in clerk's "Try it out" sends it back
    csrf = f'<meta name="csrf-token" content="{escape(token)}">' if token else ""
    page = PAGE.format(
        title=escape(app.title),
        assets=ASSETS_PATH,
        openapi=escape(app.openapi_url or ""),
        csrf=csrf,
    )
    return HTMLResponse(page)


def swagger_ui_files() -> StaticFiles:
    return StaticFiles(directory=SWAGGER_UI_DIR)
