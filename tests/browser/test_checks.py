"""The window check page in Chromium: a window clerk checks a bidder for 政府采购, sees the
serious-dishonesty entry and the measure with its legal basis, and records what was done."""

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from tests.factories import COMPANY_USCC, demo_row, store
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

pytestmark = pytest.mark.browser

PASSWORD = "window-clerk-password"


@pytest.fixture
def clerk(session):
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        with committing(session):
            company = register(
                session,
                SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC),
            )
            department = auth.create_department(session, "gz-czj", "广州市财政局", "440100")
            auth.create_user(
                session, "li", PASSWORD, Role.SERVICE_WINDOW, "440100", "李娜", department
            )
        store(session, company.id, demo_row("sxbzxr", company, date(2026, 5, 1)), "sxbzxr")


def test_window_clerk_checks_a_bidder_and_gives_feedback(page, live_server, clerk):
    page.goto(live_server + "/admin/login")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="联合奖惩核查").click()
    expect(page.get_by_role("heading", name="联合奖惩核查", level=1)).to_be_visible()
    page.get_by_label("办理事项").select_option(label="政府采购")
    page.get_by_label("统一社会信用代码").fill(COMPANY_USCC.lower())
    page.get_by_role("button", name="核查").click()
    lists = page.get_by_role("table", name="所在名单")
    expect(lists).to_contain_text("严重失信主体名单")
    expect(lists).to_contain_text("失信被执行人")
    measures = page.get_by_role("list", name="应适用的措施")
    expect(measures).to_contain_text("依法限制参加政府采购活动")
    expect(measures).to_contain_text("《中华人民共和国政府采购法》第二十二条")
    feedback = page.get_by_role("form", name="反馈 C01")
    feedback.get_by_label("未采取").check()
    feedback.get_by_role("button", name="提交反馈").click()
    expect(page.get_by_role("alert")).to_contain_text("请说明理由")
    page.get_by_label("统一社会信用代码").fill(COMPANY_USCC)
    page.get_by_role("button", name="核查").click()
    again = page.get_by_role("form", name="反馈 C01")
    expect(again.get_by_label("已采取")).not_to_be_checked()  # issue 11: nothing preselected
    expect(again.get_by_label("未采取")).not_to_be_checked()
    again.get_by_label("已采取").check()
    again.get_by_role("button", name="提交反馈").click()
    expect(page.get_by_role("status")).to_contain_text("已记录")
    figures = page.get_by_role("table").filter(has_text="反馈率")
    expect(figures.get_by_role("row").filter(has_text="C01")).to_contain_text("50.0%")
