"""Errors and edges of the public site (issue 15): every error a person can reach is a Chinese
page with the way back (返回首页, and 重新查询 where a query led there) — while the API under
/api keeps its JSON; the site's icon; the console link for a signed-in staff member."""

import pytest

from tests.factories import csrf_of
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing

PASSWORD = "a-strong-password"
HOME = '<a class="button" href="/">返回首页</a>'


def _way_back(html: str, retry: str = "/search") -> bool:
    return HOME in html and f'href="{retry}">重新查询</a>' in html


@pytest.mark.parametrize(
    "path", ["/no-such-page", "/subjects/abc", "/subjects/12abc", "/subjects/-1", "/subjects/1.5"]
)
def test_unknown_pages_and_ids_that_name_nothing_are_the_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="zh-CN">' in html and "<h1" in html and "未找到" in html
    assert "没有找到该页面或信息" in html and _way_back(html)
    assert 'aria-label="主导航"' in html  # the site's own layout, with its menu


def test_a_non_numeric_id_looks_like_an_unknown_one(client):
    """No enumeration by id, and no 422: what the page says is the same kind of 404 page."""
    unknown, word = client.get("/subjects/424242"), client.get("/subjects/abc")
    assert unknown.status_code == word.status_code == 404
    for html in (unknown.text, word.text):
        assert '<section class="problem" role="alert"' in html and _way_back(html)
    assert "未找到该信用主体" in unknown.text


def test_a_wrong_method_on_a_page_is_a_chinese_page(client):
    response = client.post("/lists")
    assert response.status_code == 405
    assert "请求方式不正确" in response.text and _way_back(response.text, "/lists")


def test_a_nul_in_a_query_is_refused_with_the_way_back(client):
    response = client.get("/search?q=%00")
    assert response.status_code == 422 and "非法字符" in response.text
    assert _way_back(response.text)
    lists = client.get("/lists?kind=%00")
    assert lists.status_code == 422 and _way_back(lists.text, "/lists")


def test_the_api_keeps_its_json_errors(client):
    word = client.get("/api/v1/subjects/abc")
    assert word.status_code == 422 and word.headers["content-type"] == "application/json"
    assert word.json() == {
        "code": "request.invalid",
        "message": "请求参数有误",
        "fields": ["path/subject_id"],
    }
    missing = client.get("/api/v1/no-such-route")
    assert missing.status_code == 404
    assert missing.json() == {"code": "http.404", "message": "页面或接口不存在"}
    kind = client.get("/api/v1/lists", params={"kind": "xyz"})
    assert kind.status_code == 422 and kind.json()["code"] == "request.invalid"


def test_the_console_keeps_its_own_way_back(client):
    response = client.get("/admin/no-such-page")
    assert response.status_code == 404 and "返回工作台" in response.text
    assert "重新查询" not in response.text


def test_favicon_is_served_with_a_long_cache_and_linked(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.content.startswith(b"\x00\x00\x01\x00")  # ICO
    assert icon.headers["content-type"] == "image/vnd.microsoft.icon"
    max_age = int(icon.headers["cache-control"].split("max-age=")[1])
    assert max_age >= 7 * 24 * 3600
    assert client.get("/static/favicon.svg").status_code == 200
    for page in ("/", "/lists", "/no-such-page"):
        assert '<link rel="icon" href="/favicon.ico"' in client.get(page).text, page


def _sign_in(client, session, username="liu"):
    with committing(session):
        user = auth.create_user(session, username, PASSWORD, Role.CREDIT_OFFICE, "440100", "刘明")
    form = client.get("/admin/login").text
    home = client.post(
        "/admin/login", data={"username": username, "password": PASSWORD, "csrf": csrf_of(form)}
    )
    return user, home


def test_a_signed_in_staff_member_sees_the_console_link(client, session):
    public = client.get("/").text
    assert '<a href="/admin">工作人员登录</a>' in public and "进入工作台" not in public
    _user, console = _sign_in(client, session)
    for path in ("/", "/lists", "/search", "/no-such-page"):
        html = client.get(path).text
        assert '<a href="/admin">进入工作台</a>' in html and "工作人员登录" not in html, path
        assert "刘明" not in html and "liu" not in html  # nothing else of the session
    client.post("/admin/logout", data={"csrf": csrf_of(console.text)})
    assert "工作人员登录" in client.get("/").text


def test_a_deactivated_account_gets_no_console_link(client, session):
    user, _console = _sign_in(client, session)
    with committing(session):
        auth.set_user_active(session, user, False, "user:0")
    html = client.get("/").text
    assert "工作人员登录" in html and "进入工作台" not in html


def test_a_parameter_a_page_cannot_use_is_a_chinese_page_not_a_500(client):
    """/search takes its page number typed (up to MAX_PAGE): past it, the site's 422 page. (If
    the search page comes to answer such a page itself, this test follows it.)"""
    response = client.get("/search", params={"q": "某某", "page": "99999"})
    assert response.status_code == 422 and "请求参数有误" in response.text
    assert 'aria-label="主导航"' in response.text and _way_back(response.text)
