"""The 信用评价 page in Chromium at phone and desktop widths: the credit office looks up a
company by its code and reads its grade, every indicator's points and the records behind them;
where a city makes the model public, anyone reads the grade on the company's archive."""

import os
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
from xinyong.policy import SHIPPED_DIR, use_policy
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register_many

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("received")]

PASSWORD = "credit-office-password"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SHOTS = Path(os.environ.get("XINYONG_SCREENSHOTS", "/tmp/shots/evaluation"))


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


@pytest.fixture
def public_model(tmp_path, app):
    """A city whose enterprise model is public (`visible_to.public: true`)."""
    shipped = (SHIPPED_DIR / "evaluation" / "enterprise.yaml").read_text(encoding="utf-8")
    (tmp_path / "evaluation").mkdir()
    made_public = shipped.rstrip() + "\nvisible_to:\n  public: true\n"
    (tmp_path / "evaluation" / "enterprise.yaml").write_text(made_public, encoding="utf-8")
    use_policy(tmp_path)  # after the app was built; the root conftest puts the shipped one back


@pytest.mark.parametrize("width", list(WIDTHS))
def test_anyone_reads_a_public_model_s_grade_on_the_archive(
    browser, live_server, graded, public_model, width
):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width])
    page = context.new_page()
    page.goto(f"{live_server}/subjects/{graded}")
    tabs = page.get_by_role("navigation", name="档案栏目")
    tabs.get_by_role("link", name="信用评价").click()
    section = page.get_by_role("region", name="信用评价")
    expect(section).to_contain_text("B（良）")
    expect(section).to_contain_text("公共信用综合评价（企业通用模型）")
    expect(section).to_contain_text("穗发改规字〔2023〕1号")
    expect(section.get_by_role("table", name="各项得分")).to_contain_text("遵纪守法")
    expect(section.get_by_role("link")).to_have_count(0)  # no record behind the grade
    expect(tabs.get_by_role("link", name="信用评价")).to_have_attribute("aria-current", "page")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    boxes = page.eval_on_selector_all(
        "nav.archive-tabs a", "els => els.map(e => e.getBoundingClientRect().right)"
    )
    assert max(boxes) <= WIDTHS[width]["width"], boxes  # every tab in sight, this one too
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"public-grade-{width}.png"), full_page=True)
    context.close()
