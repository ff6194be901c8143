"""双随机抽查 in Chromium at phone and desktop widths: a 市场监管局 clerk makes a plan, draws it,
records a result; the public page then shows the drawn company and its result, no class; the
credit office chooses a department of its region and acts for it."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.console import sign_in
from tests.supervision.sample import companies, graded, market_department, staff
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing

pytestmark = pytest.mark.browser

PASSWORD = "regulator-password"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SHOTS = Path(os.environ.get("XINYONG_SCREENSHOTS", "/tmp/shots/supervision"))


@pytest.fixture
def department(session):  # type: ignore[no-untyped-def]
    made = market_department(session)
    staff(session, made, 2)
    graded(session, {s: "D" for s in companies(session, 2, word="浏览器")})
    with committing(session):
        auth.create_user(session, "qian", PASSWORD, Role.REGULATOR, "440100", "钱科长", made)
    return made


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_clerk_draws_a_plan_and_the_public_sees_it(browser, live_server, department, width):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width])
    page = context.new_page()
    sign_in(page, live_server, "qian", PASSWORD)
    page.get_by_role("link", name="双随机抽查").click()
    year = clock.today().year
    page.get_by_label("检查事项").fill("广告发布检查")
    page.get_by_label("抽查地区（地区代码前缀）").fill("4401")
    page.get_by_label("名称关键词（可选，如“餐饮”）").fill("浏览器")
    page.get_by_label("开始日期").fill(f"{year}-01-01")
    page.get_by_label("结束日期").fill(f"{year}-12-31")
    page.get_by_role("button", name="制定计划").click()
    expect(page.get_by_role("status")).to_contain_text("已制定抽查计划")
    assert _fits(page)
    page.get_by_role("button", name="抽取").first.click()
    drawn = page.get_by_role("list", name="抽中的主体")
    expect(drawn).to_contain_text("广州市浏览器")
    expect(drawn).to_contain_text("信用风险高（D类）")
    assert _fits(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"draw-{width}.png"), full_page=True)
    form = page.get_by_role("form").filter(has_text="检查结果说明").first
    form.get_by_label("检查结果", exact=True).select_option(label="责令整改")
    form.get_by_label("检查日期").fill(clock.today().isoformat())
    form.get_by_role("button", name="录入").click()
    expect(page.get_by_role("status")).to_contain_text("已录入")
    page.get_by_role("link", name="公开页面").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("抽查公示：广告发布检查")
    table = page.get_by_role("table", name="抽中的主体")
    expect(table).to_contain_text("责令整改")
    expect(page.locator("body")).not_to_contain_text("D类")
    expect(page.locator("body")).not_to_contain_text("检查员")
    assert _fits(page)
    page.screenshot(path=str(SHOTS / f"public-{width}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_credit_office_chooses_a_department_and_acts_for_it(
    browser, live_server, session, width
):
    market_department(session)
    with committing(session):
        auth.create_department(session, "gz-wjw", "广州市卫生健康委员会", "440100")
        auth.create_user(session, "liu", PASSWORD, Role.CREDIT_OFFICE, "440100", "刘敏")
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width])
    page = context.new_page()
    sign_in(page, live_server, "liu", PASSWORD)
    page.get_by_role("link", name="双随机抽查").click()
    expect(page.get_by_text("请先选择办理部门，再为其制定抽查计划")).to_be_visible()
    chooser = page.get_by_role("form", name="选择办理部门")
    chooser.get_by_label("办理部门").select_option(label="广州市卫生健康委员会")
    chooser.get_by_role("button", name="切换部门").click()
    expect(page.get_by_role("heading", name="制定抽查计划：广州市卫生健康委员会")).to_be_visible()
    chosen = chooser.get_by_label("办理部门").locator("option:checked")
    expect(chosen).to_have_text("广州市卫生健康委员会")
    assert _fits(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"chooser-plans-{width}.png"), full_page=True)
    page.get_by_role("link", name="检查人员库与回避关系").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("检查人员库：广州市卫生健康委员会")
    page.get_by_label("姓名").fill("周医生")
    page.get_by_label("执法证号").fill("卫执001")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已登记检查人员 周医生")
    expect(page.get_by_role("heading", level=1)).to_have_text("检查人员库：广州市卫生健康委员会")
    expect(page.get_by_role("list", name="检查人员")).to_contain_text("周医生")
    assert _fits(page)
    page.screenshot(path=str(SHOTS / f"chooser-inspectors-{width}.png"), full_page=True)
    page.get_by_role("link", name="返回抽查计划").click()
    year = clock.today().year
    page.get_by_label("检查事项").fill("医疗机构依法执业检查")
    page.get_by_label("抽查地区（地区代码前缀）").fill("4401")
    page.get_by_label("开始日期").fill(f"{year}-01-01")
    page.get_by_label("结束日期").fill(f"{year}-12-31")
    page.get_by_role("button", name="制定计划").click()
    expect(page.get_by_role("status")).to_contain_text("已制定抽查计划")
    plans = page.get_by_role("list", name="抽查计划")
    expect(plans).to_contain_text("医疗机构依法执业检查")
    expect(plans).to_contain_text("广州市卫生健康委员会")
    context.close()
