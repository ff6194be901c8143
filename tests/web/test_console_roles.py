"""issue 11, "what a new user showed": the console offers each role only what it may use, and
every console error is a Chinese page, never raw JSON."""

import pytest

from tests.factories import csrf_of, sign_in
from xinyong.auth.models import Role

MENU = {
    "数据归集": "/admin/collection",
    "联合奖惩核查": "/admin/checks",
    "名单列入": "/admin/lists",
}
OFFERED = {
    Role.PLATFORM_ADMIN: {"数据归集", "联合奖惩核查", "名单列入"},
    Role.CREDIT_OFFICE: {"数据归集", "联合奖惩核查", "名单列入"},
    Role.DATA_PROVIDER: {"数据归集", "联合奖惩核查", "名单列入"},
    Role.REGULATOR: {"联合奖惩核查", "名单列入"},
    Role.SERVICE_WINDOW: {"联合奖惩核查"},
    Role.FINANCIAL_INSTITUTION: set(),
}


def _sign_in(client, session, role: Role) -> str:
    home = sign_in(client, session, role, ("gz-x", "广州市某局"), "刘明")
    assert "欢迎，刘明" in home
    return home


def _menu(html: str) -> set[str]:
    nav = html.split('aria-label="主导航"')[1].split("</nav>")[0]
    return {label for label, href in MENU.items() if f'href="{href}"' in nav}


@pytest.mark.parametrize("role", list(Role))
def test_the_console_shows_only_what_the_principal_may_use(client, session, role):
    home = _sign_in(client, session, role)
    assert _menu(home) == OFFERED[role]
    nothing_to_use = "只能查询公开的信用信息" in home  # and where to go instead
    assert nothing_to_use == (role is Role.FINANCIAL_INSTITUTION)
    for label, href in MENU.items():
        page = client.get(href)
        if label in OFFERED[role]:
            assert page.status_code == 200, label
            assert _menu(page.text) == OFFERED[role]
        else:  # typed by hand: refused, in Chinese, as a page
            assert page.status_code == 403, label
            assert page.headers["content-type"].startswith("text/html")
            assert f"{role.label}账号" in page.text and "返回工作台" in page.text


def test_console_errors_are_chinese_pages_never_json(client, session):
    home = _sign_in(client, session, Role.CREDIT_OFFICE)
    csrf = csrf_of(home)
    answers = [
        client.get("/admin/collection/batches/999999999"),  # no such batch
        client.get("/admin/collection/batches/abc"),  # not an id
        client.get("/admin/nowhere"),  # no such page
        client.post("/admin/lists/999999999/notify", data={"csrf": csrf}),
    ]
    for answer in answers:
        assert answer.status_code >= 400, answer.url
        assert answer.headers["content-type"].startswith("text/html"), answer.url
        assert '<html lang="zh-CN">' in answer.text
        assert "返回工作台" in answer.text or "退出登录" in answer.text  # a way back
        assert not answer.text.lstrip().startswith("{")


def test_the_api_keeps_answering_json(client):
    answer = client.get("/api/v1/records/abc")
    assert answer.status_code == 422 and answer.json()["code"] == "request.invalid"
    assert client.get("/api/v1/nowhere").json()["code"] == "http.404"


def test_a_portal_error_page_leads_home(client):
    answer = client.get("/subjects/abc")
    assert answer.status_code in (404, 422)
    assert "返回首页" in answer.text and answer.headers["content-type"].startswith("text/html")


def test_feedback_without_a_choice_is_asked_for_not_taken_as_applied(client, session):
    """issue 11: the radios start unselected, and the server does not read nothing as 已采取."""
    home = _sign_in(client, session, Role.SERVICE_WINDOW)
    csrf = csrf_of(home)
    answer = client.post("/admin/checks/1/feedback", data={"csrf": csrf, "measure": "C01"})
    assert answer.status_code == 400 and "请选择是否已采取该措施" in answer.text
