"""The 主体核实 page in Chromium at phone and desktop widths: the credit office finds a company
only a penalty names (待核实), verifies it with a basis, and the public then sees its archive."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.console import sign_in
from tests.factories import COMPANY_USCC, penalty, store
from xinyong import codes
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register_many

pytestmark = pytest.mark.browser

PASSWORD = "credit-office-password"
NAME = "广州市某某科技有限公司"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SHOTS = Path("/tmp/shots/registry")


@pytest.fixture
def waiting(session) -> int:
    with committing(session):
        (subject_id,) = register_many(
            session, [SubjectIn(SubjectType.ENTERPRISE, NAME, uscc=COMPANY_USCC)], verified=False
        )
        department = auth.create_department(session, "gz-xyb", "广州市信用办", "440100")
        auth.create_user(session, "xu", PASSWORD, Role.CREDIT_OFFICE, "440100", "徐静", department)
    store(session, subject_id, penalty(1, date(2026, 6, 1)), department=department)
    return subject_id


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_credit_office_verifies_a_waiting_subject(browser, live_server, waiting, width):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width])
    page = context.new_page()
    assert page.goto(f"{live_server}/subjects/{waiting}").status == 404  # not public yet
    sign_in(page, live_server, "xu", PASSWORD)
    page.get_by_role("link", name="主体核实").click()
    queue = page.get_by_role("list", name="待核实主体")
    expect(queue).to_contain_text(NAME)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"queue-{width}.png"), full_page=True)
    page.get_by_label("核实依据").fill("已对照国家企业信用信息公示系统")
    page.get_by_role("button", name="核实").click()
    expect(page.get_by_role("status")).to_contain_text(f"已核实：{NAME}")
    expect(page.get_by_text("没有待核实的主体。")).to_be_visible()
    assert page.goto(f"{live_server}/subjects/{waiting}").status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text(NAME)
    context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_credit_office_merges_a_company_known_twice(
    browser, live_server, session, waiting, width
):
    old_code = codes.make_org_code("MA5CXQ2C")
    with committing(session):
        (twin,) = register_many(
            session,
            [SubjectIn(SubjectType.ENTERPRISE, NAME, org_code=old_code, region_code="440106")],
            verified=False,
        )
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width])
    page = context.new_page()
    sign_in(page, live_server, "xu", PASSWORD)
    page.get_by_role("link", name="主体合并").click()
    page.get_by_label("保留的主体").fill(COMPANY_USCC)
    page.get_by_label("并入的主体").fill(old_code)
    page.get_by_label("理由", exact=True).first.fill("原组织机构代码与统一社会信用代码为同一企业")
    page.get_by_role("button", name="合并", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"已将主体 {twin} 并入主体 {waiting}")
    merges = page.get_by_role("list", name="合并记录")
    expect(merges).to_contain_text("原组织机构代码与统一社会信用代码为同一企业")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"merges-{width}.png"), full_page=True)
    page.get_by_label("撤销理由").fill("经核实为两个主体")
    page.get_by_role("button", name="撤销合并").click()
    expect(page.get_by_role("status")).to_contain_text("已撤销合并")
    context.close()
