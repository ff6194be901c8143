"""A company repairs its penalty online on a phone (issue 13): it activates its account with
the code from its 告知书, applies from its public archive with its files and the signed 承诺书,
the platform forwards it, the market regulator approves it in the console, and the archive no
longer shows the penalty."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.applicants.sample import code_for
from tests.browser.console import sign_in
from tests.factories import PASSWORD
from tests.repairs.sample import COMPANY, CREDIT_OFFICE, PDF, PNG, at, world
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.cases import handlers
from xinyong.cases.handlers import StepIn
from xinyong.db import committing
from xinyong.policy.enums import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TODAY = date(2026, 3, 2)


def test_a_company_repairs_its_penalty_online(page, live_server, session, tmp_path):
    w = world(session, date(2025, 10, 9), TODAY)
    with committing(session):
        auth.create_user(
            session, "scjg", PASSWORD, Role.DATA_PROVIDER, "440100", "市场监管", w.regulator
        )
    proof, signed = tmp_path / "缴款凭证.pdf", tmp_path / "承诺书.png"
    proof.write_bytes(PDF)
    signed.write_bytes(PNG)
    with clock.frozen_at(at(TODAY)):
        code = code_for(session, w.company, "信用修复告知书")
        page.set_viewport_size(PHONE)
        page.goto(f"{live_server}/account/activate")
        page.get_by_label("激活码").fill(code)
        page.get_by_label("设置用户名").fill("zhang")
        page.get_by_label("设置密码").fill(PASSWORD)
        page.get_by_role("button", name="激活并登录").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY)

        page.goto(f"{live_server}/subjects/{w.company.id}?tab=xzcf")
        record = page.get_by_role("article", name="行政处罚")
        expect(record).to_contain_text("穗市监罚〔2026〕1号")
        expect(page.locator("main")).to_contain_text("可于 2026-01-09 起申请信用修复")
        page.get_by_role("link", name="申请信用修复").first.click()
        expect(page.get_by_role("heading", name="申请信用修复")).to_be_visible()
        page.get_by_label("履行义务的证明材料").set_input_files(proof)
        page.get_by_label("信用修复承诺书（签字或盖章）").set_input_files(signed)
        page.get_by_label("本人已阅读并签署信用修复承诺书").check()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        page.screenshot(path=str(tmp_path / "repair-apply-390.png"), full_page=True)
        page.get_by_role("button", name="提交申请").click()
        expect(page.get_by_role("heading", name="信用修复申请已提交")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("材料齐全")
        case_id = int(page.locator("dd").first.inner_text().strip("第 号"))

        handlers.take(session, CREDIT_OFFICE, case_id, StepIn("forward", "材料齐全"))

        sign_in(page, live_server, "scjg", PASSWORD)
        page.goto(f"{live_server}/admin/cases/{case_id}")
        page.get_by_label("修复意见（选填）").fill("罚款已缴清，整改到位")
        page.get_by_role("button", name="准予修复").click()
        expect(page.get_by_role("status")).to_contain_text("准予修复")

        page.goto(f"{live_server}/subjects/{w.company.id}?tab=xzcf")
        expect(page.locator("main")).not_to_contain_text("穗市监罚〔2026〕1号")
        expect(page.get_by_role("link", name=re.compile(r"^行政处罚\s*（0）$"))).to_be_visible()
        page.screenshot(path=str(tmp_path / "repair-archive-after-390.png"), full_page=True)
