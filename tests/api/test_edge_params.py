"""Ids, page numbers, NUL bytes and login names are checked at the edge (issue 11 item 14):
each hostile value is a 4xx with a Chinese message, never a 500, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing

TOO_BIG = str(2**63)  # one past the largest BIGINT
ID_ROUTES = [
    "/api/v1/subjects/{}",
    "/api/v1/subjects/{}/records",
    "/api/v1/records/{}",
    "/api/v1/batches/{}",
    "/api/v1/batches/{}/rejections",
    "/subjects/{}",
    "/records/{}",
    "/admin/collection/batches/{}",
    "/admin/collection/batches/{}/rejections",
]


PASSWORD = "a-long-password"


@pytest.fixture
def anonymous(app):  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def csrf_of(page: str) -> str:
    return page.split('name="csrf" value="')[1].split('"')[0]


@pytest.fixture
def staff(app, session):  # type: ignore[no-untyped-def]
    """A credit-office clerk signed in: console routes reach the database."""
    with committing(session):
        auth.create_user(session, "liu", PASSWORD, Role.CREDIT_OFFICE, "440100")
    with TestClient(app, raise_server_exceptions=False) as client:
        form = {
            "username": "liu",
            "password": PASSWORD,
            "csrf": csrf_of(client.get("/admin/login").text),
        }
        assert client.post("/admin/login", data=form, follow_redirects=False).status_code == 303
        yield client


@pytest.mark.parametrize("value", [TOO_BIG, "99999999999999999999", "１２", "٣", "0", "-1"])
@pytest.mark.parametrize("route", ID_ROUTES)
def test_ids_past_bigint_or_in_unicode_digits_are_refused_without_a_server_error(
    staff, route, value
):
    """issue 11 item 14: one id type (1..2^63-1, ASCII digits) on every id route."""
    response = staff.get(route.format(value))
    assert response.status_code in {401, 403, 404, 422}, response.text
    if route.startswith("/api/") and response.status_code == 422:
        assert response.json()["code"] == "request.invalid"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/lists?department_id={TOO_BIG}",
        "/api/v1/lists?page=9223372036854775808",
        "/api/v1/subjects?q=a&page=1001",
        f"/api/v1/checks/figures?department_id={TOO_BIG}",
        f"/lists?department={TOO_BIG}&page=1",
        "/lists?page=9223372036854775808",
    ],
)
def test_numbers_in_query_strings_are_bounded(anonymous, path):
    """issue 11 item 14: query ids and page numbers cannot overflow the database."""
    assert anonymous.get(path).status_code in {200, 401, 422}


def test_posting_feedback_on_a_check_id_past_bigint_is_refused(anonymous):
    """issue 11 item 14: POST routes take the same id type."""
    body = {"measure": "x", "applied": True}
    response = anonymous.post(f"/api/v1/checks/{TOO_BIG}/feedback", json=body)
    assert response.status_code == 422


@pytest.mark.parametrize(
    "path", ["/api/v1/subjects?q=%00", "/api/v1/subjects?q=a%00b", "/search?q=%00"]
)
def test_a_nul_in_the_query_string_is_refused_in_chinese(anonymous, path):
    """issue 11 item 14: PostgreSQL cannot compare text holding NUL; the edge refuses it."""
    response = anonymous.get(path)
    assert response.status_code == 422
    if path.startswith("/api/"):
        assert response.json()["code"] == "request.nul"
        assert "非法字符" in response.json()["message"]
    else:
        assert "非法字符" in response.text


@pytest.mark.parametrize("username", ["x" * 65, "x" * 100_000, "zhou\x00"])
def test_a_login_name_longer_than_the_column_or_with_nul_is_refused(anonymous, username):
    """issue 11 item 14: the login form bounds the name before it reaches the database."""
    csrf = csrf_of(anonymous.get("/admin/login").text)
    form = {"username": username, "password": "whatever-password", "csrf": csrf}
    response = anonymous.post("/admin/login", data=form)
    assert response.status_code in {400, 422}


@pytest.fixture
def key(session):  # type: ignore[no-untyped-def]
    with committing(session):
        department = auth.create_department(session, "gz-czj", "广州市财政局", "440100")
        return auth.create_api_key(session, department, "政府采购系统")


NUL_BODIES = [
    ("/api/v1/checks", {"subject": {"name": "某\x00公司", "code": "x"}, "matter": "procurement"}),
    ("/api/v1/checks", {"subject": {"uscc": "9144\x00"}, "matter": "procurement"}),
    ("/api/v1/checks/batch", {"subjects": [{"name": "\x00", "code": "1"}], "matter": "x"}),
    ("/api/v1/checks/1/feedback", {"measure": "\x00", "applied": False, "reason": "\x00"}),
    ("/api/v1/batches", {"item": "xzcf", "records": [], "department": "gz\x00"}),
]


@pytest.mark.parametrize(("path", "body"), NUL_BODIES)
def test_a_nul_in_a_json_body_is_refused(anonymous, key, path, body):
    """issue 11 item 14: names and codes holding NUL are refused by the request models (on
    PostgreSQL they used to reach a query and fail with 500)."""
    response = anonymous.post(path, json=body, headers={"X-API-Key": key})
    assert response.status_code in {400, 422}, response.text


CONSOLE_FORMS = [
    ("/admin/checks", {"matter": "procurement", "name": "某\x00公司", "uscc": "1"}),
    ("/admin/lists", {"list_type": "yzsxmd", "uscc": "9144\x00", "reason": "\x00"}),
]


@pytest.mark.parametrize(("path", "form"), CONSOLE_FORMS)
def test_a_nul_in_a_console_form_is_refused(staff, path, form):
    """issue 11 item 14: console form fields holding NUL never reach a query."""
    csrf = csrf_of(staff.get(path).text)
    response = staff.post(path, data={**form, "csrf": csrf})
    assert response.status_code in {400, 403, 422}, response.text


def test_a_nul_in_an_uploads_fields_is_refused(staff):
    """issue 11 item 14: the upload form is read by hand; its fields are checked the same way."""
    csrf = csrf_of(staff.get("/admin/collection").text)
    response = staff.post(
        "/admin/collection",
        data={"item": "xzcf", "department": "gz\x00", "csrf": csrf},
        files={"file": ("a.csv", b"a,b\n1,2\n", "text/csv")},
    )
    assert response.status_code == 422
    assert "非法字符" in response.text
