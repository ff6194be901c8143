"""A person objects on a phone (issue 13, 河南省社会信用条例 第四十一条): activates its account with
the code a window gave it, objects to a penalty from the public archive, sees 异议中 there; the
credit office forwards the matter and the providing department's clerk corrects the record on
the console's case page; the archive shows the corrected record, without the mark, and the
person's case page says 已更正."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.applicants.sample import WINDOW
from tests.objections.sample import MONDAY, PERSON, world
from xinyong import clock
from xinyong.applicants import service as applicants
from xinyong.auth import service as auth
from xinyong.cases import handlers
from xinyong.cases.handlers import StepIn
from xinyong.db import committing
from xinyong.objections.models import ObjectionCase
from xinyong.policy.enums import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PASSWORD = "a-strong-password"


def test_a_person_objects_sees_the_mark_and_the_provider_corrects(
    browser, page, live_server, session, tmp_path
):
    w = world(session)
    with clock.frozen_at(MONDAY):
        with committing(session):
            code = applicants.issue_code(session, WINDOW, w.person, "窗口核验")
            auth.create_user(
                session, "scjg", PASSWORD, Role.DATA_PROVIDER, "440100", "市场监管局", w.provider
            )
        page.set_viewport_size(PHONE)
        page.goto(live_server + "/account/activate")
        page.get_by_label("激活码").fill(code)
        page.get_by_label("设置用户名").fill("lisi")
        page.get_by_label("设置密码").fill(PASSWORD)
        page.get_by_role("button", name="激活并登录").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(PERSON)

        page.goto(f"{live_server}/subjects/{w.person.id}?tab=xzcf")
        record = page.get_by_role("article", name="行政处罚")
        expect(record).to_contain_text("穗市监罚〔2026〕7号")
        record.get_by_role("link", name="提出异议").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("提出异议")
        page.get_by_label("异议类别").select_option(label="信息错误")
        page.get_by_label("有异议的事项（选填）").fill("行政处罚决定书文号")
        page.get_by_label("异议内容及理由").fill("决定书文号应为穗市监罚〔2026〕77号")
        shots = Path(os.environ.get("XINYONG_SCREENSHOTS", tmp_path))
        page.screenshot(path=str(shots / "objection-form-390.png"), full_page=True)
        page.get_by_role("button", name="提交异议").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("信用信息异议")
        expect(page.locator("main")).to_contain_text("已受理（异议中）")
        case_page = page.url

        page.goto(f"{live_server}/subjects/{w.person.id}?tab=xzcf")
        record = page.get_by_role("article", name="行政处罚")
        expect(record.locator(".badge-objection")).to_have_text("异议中")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        page.screenshot(path=str(shots / "objection-marked-390.png"), full_page=True)

        case = session.scalars(select(ObjectionCase)).one()
        forward = StepIn("forward", None, {"request": "请核实文号"})
        handlers.take(session, w.credit_office, case.id, forward)
        clerk = browser.new_context(locale="zh-CN").new_page()  # its own session
        clerk.goto(live_server + "/admin/login")
        clerk.get_by_label("用户名").fill("scjg")
        clerk.get_by_label("密码").fill(PASSWORD)
        clerk.get_by_role("button", name="登录").click()
        clerk.goto(f"{live_server}/admin/cases/{case.id}")
        correct = clerk.get_by_role("region", name="更正", exact=True)
        correct.get_by_label("更正的事项").fill("行政处罚决定书文号")
        correct.get_by_label("更正后的内容").fill("穗市监罚〔2026〕77号")
        correct.get_by_label("处理说明").fill("文号录入错误，已更正")
        correct.get_by_role("button", name="更正").click()
        expect(clerk.get_by_role("status")).to_have_text("已办理：更正")
        clerk.context.close()

        page.goto(f"{live_server}/subjects/{w.person.id}?tab=xzcf")
        record = page.get_by_role("article", name="行政处罚")
        expect(record).to_contain_text("穗市监罚〔2026〕77号")
        expect(record.locator(".badge-objection")).to_have_count(0)
        page.screenshot(path=str(shots / "objection-corrected-390.png"), full_page=True)
        page.goto(case_page)
        expect(page.locator("main")).to_contain_text("已更正")
        expect(page.locator("main")).to_contain_text("文号录入错误，已更正")
