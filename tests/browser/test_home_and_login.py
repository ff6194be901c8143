"""What a person sees: the public home page and its menu, and the staff console login, in
Chromium."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.console import sign_in
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register_many

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password"


def test_home_page_shows_counts_by_type(page, live_server, session):
    with committing(session):
        register_many(
            session,
            [
                SubjectIn(SubjectType.NATURAL_PERSON, "王五", id_number="11010519491231002X"),
            ],
        )
    page.goto(live_server + "/")
    expect(page).to_have_title("首页 - 公共信用信息平台")
    expect(page.get_by_role("heading", name="信用主体")).to_be_visible()
    tiles = page.get_by_role("list", name="各类主体数量")
    expect(tiles.get_by_role("listitem").filter(has_text="自然人")).to_contain_text("1")
    expect(page.get_by_role("rowheader", name="行政处罚")).to_be_visible()


def test_staff_login_reaches_console(page, live_server, session):
    with committing(session):
        auth.create_user(session, "chen", PASSWORD, Role.SERVICE_WINDOW, "440106", "陈静")
    page.goto(live_server + "/admin")
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    page.get_by_label("用户名").fill("chen")
    page.get_by_label("密码").fill("wrong-password-1")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_text("欢迎，陈静（窗口人员）")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_window_officer_sees_only_the_check_menu_and_a_chinese_refusal(
    browser, live_server, session, width
):
    """issue 11: the console offers a role only what it may use; an address typed by hand
    that it may not use is a Chinese page with the way back, at phone and desktop widths."""
    with committing(session):
        department = auth.create_department(session, "gz-zwfw", "广州市政务服务中心", "440100")
        auth.create_user(
            session, "chen", PASSWORD, Role.SERVICE_WINDOW, "440100", "陈静", department
        )
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "chen", PASSWORD)
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="联合奖惩核查")).to_be_visible()
    expect(nav.get_by_role("link", name="数据归集")).to_have_count(0)
    expect(nav.get_by_role("link", name="名单列入")).to_have_count(0)
    page.goto(live_server + "/admin/collection")
    expect(page.get_by_role("alert")).to_contain_text("窗口人员账号不能使用数据归集功能")
    page.get_by_role("link", name="返回工作台").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    context.close()


HEADER_WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# The public menu wraps into two rows on a phone (one on a desktop); a new entry must not add one.
HEADER_ROWS = {"phone": 2, "desktop": 1}


@pytest.mark.parametrize("width", list(HEADER_WIDTHS))
def test_the_public_menu_leads_to_the_published_draws(browser, live_server, width):
    shots = Path(os.environ.get("XINYONG_SCREENSHOTS", "/tmp/shots/site-home"))
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport=HEADER_WIDTHS[width])
    page = context.new_page()
    page.goto(live_server + "/")
    tops = page.eval_on_selector_all(
        "header.site-header nav a", "els => els.map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == HEADER_ROWS[width], tops
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(shots / f"header-{width}.png"))
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="双随机抽查").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("“双随机、一公开”抽查公示")
    context.close()
