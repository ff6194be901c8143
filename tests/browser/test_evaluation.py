"""The 信用评价 page in Chromium at phone and desktop widths: the credit office looks up a
company by its code and reads its grade, every indicator's points and the records behind them."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.console import sign_in
from tests.factories import COMPANY_USCC, penalty, store
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing
from xinyong.evaluation.runs import evaluate, model_named
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register_many

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("received")]

PASSWORD = "credit-office-password"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SHOTS = Path("/tmp/shots/evaluation")


@pytest.fixture
def graded(session, sessions) -> int:
    with committing(session):
        (subject_id,) = register_many(
            session,
            [SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)],
        )
        department = auth.create_department(session, "gz-xyb", "广州市信用办", "440100")
        auth.create_user(session, "xu", PASSWORD, Role.CREDIT_OFFICE, "440100", "徐静", department)
    store(session, subject_id, penalty(1, date(2024, 1, 5)), department=department)
    evaluate(sessions, model_named("enterprise"), "user:test")
    return subject_id


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_credit_office_reads_a_grade_and_why(browser, live_server, graded, width):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width])
    page = context.new_page()
    sign_in(page, live_server, "xu", PASSWORD)
    page.get_by_role("link", name="信用评价").click()
    page.get_by_role("textbox", name="主体").fill(COMPANY_USCC)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("B（良）")
    table = page.get_by_role("table")
    expect(table).to_contain_text("行政处罚")
    expect(table).to_contain_text("-20.00")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"explain-{width}.png"), full_page=True)
    page.get_by_role("link", name="行政处罚 穗市监罚〔2026〕1号").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("行政处罚")
    context.close()
