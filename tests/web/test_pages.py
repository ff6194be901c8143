"""The home page and the staff console, without a browser (see tests/browser for one)."""

from tests.factories import csrf_of
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing

PASSWORD = "a-strong-password"


def _staff(session):
    with committing(session):
        auth.create_user(session, "liu", PASSWORD, Role.CREDIT_OFFICE, "440100", "刘明")


def test_home_page_is_chinese_with_counts(client):
    html = client.get("/").text
    assert '<html lang="zh-CN">' in html
    assert "信用主体" in html and "行政处罚" in html and "自然人" in html


def test_console_requires_login(client):
    response = client.get("/admin", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/admin/login"


def test_login_then_console_then_logout(client, session):
    _staff(session)
    form = client.get("/admin/login").text
    response = client.post(
        "/admin/login",
        data={"username": "liu", "password": PASSWORD, "csrf": csrf_of(form)},
        follow_redirects=True,
    )
    assert "欢迎，刘明（信用办）" in response.text
    assert "信用信息目录" in response.text and "行政处罚" in response.text
    client.post("/admin/logout", data={"csrf": csrf_of(response.text)})
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_wrong_password_shows_chinese_error(client, session):
    _staff(session)
    form = client.get("/admin/login").text
    response = client.post(
        "/admin/login",
        data={"username": "liu", "password": "nope-nope-nope", "csrf": csrf_of(form)},
    )
    assert response.status_code == 400 and "用户名或密码错误" in response.text


def test_login_without_csrf_token_refused(client, session):
    _staff(session)
    client.get("/admin/login")
    response = client.post("/admin/login", data={"username": "liu", "password": PASSWORD})
    assert response.status_code == 400 and "页面已过期" in response.text
