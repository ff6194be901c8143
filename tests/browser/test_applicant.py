"""A company's applicant on a phone (issue 13): activate with the code from its document,
land on its own page, sign out and back in."""

import pytest
from playwright.sync_api import expect

from tests.applicants.sample import COMPANY, MOMENT, OTHER, code_for, two_companies
from xinyong import clock

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PASSWORD = "a-strong-password"


def test_a_company_activates_its_account_and_signs_in_on_a_phone(page, live_server, session):
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        code = code_for(session, mine, "信用修复告知书")
        page.set_viewport_size(PHONE)
        page.goto(live_server + "/")
        page.get_by_role("link", name="申请人账号").click()
        page.get_by_role("link", name="用激活码激活账号").click()
        page.get_by_label("激活码").fill(code.lower())
        page.get_by_label("设置用户名").fill("zhang")
        page.get_by_label("设置密码").fill(PASSWORD)
        page.get_by_role("button", name="激活并登录").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY)
        record = page.get_by_role("article", name="行政处罚")
        expect(record).to_contain_text("穗市监罚〔2026〕1号")
        expect(page.locator("main")).not_to_contain_text(OTHER)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        page.get_by_role("button", name="退出登录").click()
        expect(page.get_by_role("heading", name="申请人登录")).to_be_visible()
        page.goto(live_server + "/admin")
        expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
        page.goto(live_server + "/account/login")
        page.get_by_label("用户名").fill("zhang")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY)
