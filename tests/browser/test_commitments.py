"""A window clerk files a 容缺受理 commitment for a company in Chromium at a phone's width
(国办发〔2019〕35号: materials to follow within the term), the term passes without them, the
`commitments` job records the breach, and the public archive shows the 违背信用承诺 record."""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.commitments.sample import COMPANY, MONDAY, TERM_ENDS, city
from tests.factories import PERSON_ID
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing
from xinyong.jobs.service import run_job

pytestmark = pytest.mark.browser

PASSWORD = "window-clerk-password"
PHONE = {"width": 390, "height": 844}
LAST_EVENING = datetime(2026, 12, 14, 14, 0, tzinfo=UTC)  # 22:00 in Beijing, the last day
DAY_AFTER = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)  # 10:00 in Beijing, the term has passed


@pytest.fixture
def town(session):  # type: ignore[no-untyped-def]
    found = city(session)
    with committing(session):
        auth.create_user(session, "li", PASSWORD, Role.SERVICE_WINDOW, "440100", "李娜", None)
    return found


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the phone"


def test_window_files_a_deferred_commitment_that_is_then_breached(
    browser, live_server, town, sessions, tmp_path
):
    shots = Path(os.environ.get("XINYONG_SCREENSHOTS", tmp_path))
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    with clock.frozen_at(MONDAY):
        page.goto(live_server + "/admin/login")
        page.get_by_label("用户名").fill("li")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("link", name="信用承诺").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("窗口登记信用承诺")
        food = "容缺受理型 · 食品经营许可容缺受理信用承诺书"
        page.get_by_label("承诺书").select_option(label=food)
        page.get_by_role("button", name="下一步").click()
        page.get_by_label("事项", exact=True).select_option("食品经营许可（新办）")
        expect(page.get_by_label("受理部门")).to_have_value(str(town.market.id))
        page.get_by_label("承诺主体的统一社会信用代码或身份证号码").fill(town.company.uscc)
        page.get_by_role("button", name="查看承诺书").click()
        text = page.locator("blockquote.commitment-text")
        expect(text).to_contain_text(COMPANY)
        expect(text).to_contain_text("20 个工作日内（2026-12-14 前）补齐全部容缺材料")
        signing = page.get_by_role("form", name="签署")
        signing.get_by_label("签署人姓名").fill("王五")
        signing.get_by_label("签署人证件号码").fill(PERSON_ID)
        _fits(page)
        page.screenshot(path=str(shots / "commitment-new-phone.png"), full_page=True)
        signing.get_by_role("checkbox").check()
        signing.get_by_role("button", name="登记签署").click()
        expect(page.get_by_role("status")).to_have_text("已办理：签署承诺")
        expect(page.get_by_role("heading", level=1)).to_contain_text("信用承诺")
        expect(page.get_by_text("2026-12-14（工作日计算）")).to_be_visible()
        _fits(page)
        page.screenshot(path=str(shots / "commitment-case-phone.png"), full_page=True)
    with clock.frozen_at(LAST_EVENING):
        assert run_job(sessions, "commitments") == 0  # the term's last day itself
    with clock.frozen_at(DAY_AFTER):
        assert DAY_AFTER.date() == TERM_ENDS + timedelta(days=1)
        assert run_job(sessions, "commitments") == 1
        page.goto(f"{live_server}/subjects/{town.company.id}?tab=sxcj")  # 违背信用承诺: 失信惩戒
        breach = page.get_by_role("article", name="违背信用承诺")
        expect(breach).to_contain_text("承诺履行期限（2026-12-14）届满，未补齐容缺材料")
        expect(breach).to_contain_text("广州市市场监督管理局")
        _fits(page)
        page.screenshot(path=str(shots / "commitment-breach-archive-phone.png"), full_page=True)
        page.get_by_role("navigation", name="档案栏目").get_by_role("link", name="信用承诺").click()
        pledge = page.get_by_role("article", name="信用承诺", exact=True)
        expect(pledge).to_contain_text("容缺受理型")
        _fits(page)
    context.close()
