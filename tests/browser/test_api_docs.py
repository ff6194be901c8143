"""The API docs in Chromium with every request off this server blocked: Swagger UI renders
the operations from the platform's own files, under the site's CSP (issue 11, API docs offline)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_render_offline_under_the_csp(page, live_server, tmp_path):
    """issue 11, API docs offline: no CDN, no inline script, no CSP violation."""
    here = urlsplit(live_server).netloc
    elsewhere: list[str] = []
    problems: list[str] = []

    def only_this_server(route) -> None:  # type: ignore[no-untyped-def]
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("公共信用信息平台")
    expect(page.get_by_text("/api/v1/subjects/{subject_id}").first).to_be_visible()
    shots = Path(os.environ.get("XINYONG_SCREENSHOTS", tmp_path))
    page.screenshot(path=str(shots / "api-docs.png"), full_page=False)
    assert not elsewhere, elsewhere
    assert not problems, problems
