"""两书同达 in the browser (issue 13): the deciding department's clerk, on a phone, issues the
信用修复告知书 of its penalty and gets the PDF; the company activates its account with the
code printed on it and finds the notice on its own page."""

import pytest
from playwright.sync_api import expect

from tests.browser.console import sign_in
from tests.notices.sample import COMPANY, MOMENT, world
from xinyong import clock
from xinyong.applicants import service as applicants
from xinyong.auth import service as auth
from xinyong.db import committing
from xinyong.policy.enums import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PASSWORD = "a-strong-password"


def test_the_clerk_issues_the_notice_and_the_company_activates_with_its_code(
    page, live_server, session, tmp_path
):
    w = world(session)
    with clock.frozen_at(MOMENT), committing(session):
        auth.create_user(session, "liu", PASSWORD, Role.DATA_PROVIDER, "440100", "刘", w.department)
    with clock.frozen_at(MOMENT):
        page.set_viewport_size(PHONE)
        sign_in(page, live_server, "liu", PASSWORD)
        page.get_by_role("link", name="信用修复告知书").click()
        row = page.get_by_role("article", name=f"{COMPANY} 穗市监罚〔2026〕7号")
        expect(row).to_contain_text("2026-11-30")  # when repair may be applied for
        row.get_by_role("button", name="出具告知书").click()
        expect(page.get_by_role("status")).to_contain_text("信修告〔2026〕000001号")
        link = page.get_by_role("link", name="下载告知书 信修告〔2026〕000001号")
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == "信修告〔2026〕000001号.pdf"
        page.screenshot(path=str(tmp_path / "notices-390.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width

        page.get_by_role("link", name="修复提醒名单").click()
        soon = page.get_by_role("article", name=f"{COMPANY} 穗市监罚〔2026〕7号")
        expect(soon).to_contain_text("2026-11-30 起可申请修复")

        code = applicants.derived_code("信修告〔2026〕000001号")  # as printed on the notice
        page.context.clear_cookies()
        page.goto(live_server + "/account/activate")
        page.get_by_label("激活码").fill(code)
        page.get_by_label("设置用户名").fill("zhang")
        page.get_by_label("设置密码").fill(PASSWORD)
        page.get_by_role("button", name="激活并登录").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY)
        notice = page.get_by_role("link", name="信修告〔2026〕000001号")
        with page.expect_download() as mine:
            notice.click()
        assert mine.value.suggested_filename.endswith(".pdf")
        page.screenshot(path=str(tmp_path / "account-390.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
