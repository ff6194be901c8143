"""Security headers, the Secure cookie setting, CSRF on cookie-authenticated API calls, the
offline API docs and error answers without tracebacks (issue 11, Low: security headers, Secure
cookie, CSRF on every cookie-authenticated POST, API docs offline)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from xinyong.app import create_app
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing

PASSWORD = "a-strong-password"
PAGES = ["/", "/search?q=广州", "/lists", "/admin/login", "/api/docs"]
RESPONSES = [*PAGES, "/api/v1/health", "/static/style.css", "/api/v1/nothing-here", "/nothing"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def _sign_in(client: TestClient, session, role: Role = Role.CREDIT_OFFICE) -> None:  # type: ignore[no-untyped-def]
    with committing(session):
        auth.create_user(session, "liu", PASSWORD, role, "440100", "刘明")
    form = {"username": "liu", "password": PASSWORD, "csrf": _csrf(client.get("/admin/login").text)}
    assert client.post("/admin/login", data=form, follow_redirects=False).status_code == 303


@pytest.mark.parametrize("path", RESPONSES)
def test_every_response_carries_the_security_headers(client, path):
    """issue 11 Low, security headers: CSP without inline script, no framing, nosniff, referrer."""
    headers = client.get(path).headers
    policy = {
        part.split()[0]: part.split()[1:] for part in headers["content-security-policy"].split("; ")
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_no_page_has_inline_script_or_event_attributes(client, session):
    """issue 11 Low, CSP without inline script: the pages work under `script-src 'self'`."""
    _sign_in(client, session)
    for path in [*PAGES, "/admin", "/admin/checks", "/admin/lists", "/admin/collection"]:
        html = client.get(path).text
        assert not INLINE_SCRIPT.search(html), f"inline <script> on {path}"
        assert not EVENT_ATTRIBUTE.search(html), f"on* attribute on {path}"


def test_the_session_cookie_is_secure_only_when_configured(sessions, settings, session):
    """issue 11 Low, Secure cookie: XINYONG_COOKIE_SECURE marks the session cookie Secure (needed
    behind HTTPS); off by default so the embedded http demo can sign in."""
    with TestClient(create_app(settings)) as plain:
        assert "; secure" not in plain.get("/admin/login").headers["set-cookie"].lower()
    secure = settings.model_copy(update={"cookie_secure": True})
    with TestClient(create_app(secure), base_url="https://testserver") as client:
        response = client.get("/admin/login")
        assert "; secure" in response.headers["set-cookie"].lower()
        _sign_in(client, session)


def test_a_cookie_authenticated_api_post_needs_the_csrf_header(client, session):
    """issue 11 Low, CSRF on every cookie-authenticated POST: a staff session calling the API
    must send X-CSRF-Token (the console pages expose it); without it 403 in Chinese."""
    _sign_in(client, session)
    body = {"subject": {"uscc": "91440101MA5CXXXX0X"}, "matter": "procurement"}
    refused = client.post("/api/v1/checks", json=body)
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf.invalid"
    assert "CSRF" in refused.json()["message"]
    wrong = client.post("/api/v1/checks", json=body, headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', client.get("/admin").text)
    assert token, "the console does not expose its CSRF token"
    allowed = client.post("/api/v1/checks", json=body, headers={"X-CSRF-Token": token.group(1)})
    assert allowed.status_code != 403, allowed.text
    docs = client.get("/api/docs").text  # Swagger UI's "Try it out" sends the same token
    assert f'<meta name="csrf-token" content="{token.group(1)}">' in docs


def test_api_key_calls_and_anonymous_calls_need_no_csrf_token(client, session):
    """issue 11 Low, CSRF: a key is not sent by browsers on their own, so key calls are exempt."""
    with committing(session):
        department = auth.create_department(session, "gz-czj", "广州市财政局", "440100")
        key = auth.create_api_key(session, department, "政府采购系统")
    body = {"subject": {"uscc": "91440101MA5CXXXX0X"}, "matter": "procurement"}
    _sign_in(client, session)
    with_key = client.post("/api/v1/checks", json=body, headers={"X-API-Key": key})
    assert with_key.status_code != 403, with_key.text
    client.cookies.clear()
    assert client.post("/api/v1/checks", json=body).json()["code"] != "csrf.invalid"


def test_the_api_docs_are_served_by_the_platform(client):
    """issue 11, API docs offline: Swagger UI's script, style and start-up file come from this
    server; nothing points to a CDN."""
    html = client.get("/api/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/") for url in assets), assets
    for url in assets:
        assert client.get(url).status_code == 200, url
    assert "swagger-ui-bundle.js" in html and "/api/v1/openapi.json" in html


def test_an_unexpected_error_never_shows_a_traceback(app):
    """issue 11: an unhandled error is a Chinese 500, JSON for the API and a page elsewhere."""

    def broken() -> None:
        raise RuntimeError("secret detail in /srv/xinyong/app.py line 42")

    app.add_api_route("/api/v1/broken", broken)
    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        api = client.get("/api/v1/broken")
        page = client.get("/broken")
    assert api.status_code == page.status_code == 500
    assert api.json()["code"] == "server.error"
    assert page.headers["content-type"].startswith("text/html")
    assert "服务器内部错误" in page.text
    for text in (api.text, page.text):
        assert "secret detail" not in text and "Traceback" not in text


def test_the_api_answers_refusals_from_the_framework_in_chinese(client):
    """issue 11 item 14 (found by the schema check): a body that cannot be parsed, an unknown
    path, a wrong method are {code, message} in Chinese like every other API error."""
    garbled = client.post(
        "/api/v1/checks", content=b"\x7f\xff\xfe", headers={"Content-Type": "application/json"}
    )
    unknown = client.get("/api/v1/nothing-here")
    wrong_method = client.delete("/api/v1/health")
    for response, status in ((garbled, 400), (unknown, 404), (wrong_method, 405)):
        assert response.status_code == status
        assert set(response.json()) == {"code", "message"}, response.json()
    assert unknown.json()["message"] == "页面或接口不存在"
