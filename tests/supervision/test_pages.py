"""The pages and the API of 双随机抽查 (issue 16): a department plans, draws and records results
in the console; the public page (一公开) shows the seed and the drawn subjects with their results
but no supervision class (国市监信发〔2022〕6号: an internal reference), no inspector and no
person's name (a 个体工商户 registered under its operator's name is masked)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, console_client, csrf_of
from tests.supervision.sample import clerk, companies, graded, market_department, plan, staff
from xinyong import codes
from xinyong.auth import service as auth
from xinyong.db import committing
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.service import SubjectIn, register_many
from xinyong.supervision import draws, results
from xinyong.supervision.models import Inspector, Plan

pytestmark = pytest.mark.usefixtures("received")  # 2024-03-20


@pytest.fixture
def drawn(session):
    """A 市场监管局 draw of a company and an unnamed 个体工商户 (王小明), both D; one result."""
    department = market_department(session, "gz-pub-scjg")
    staff(session, department, 2)
    (company,) = companies(session, 1, word="公示")
    person_shop = SubjectIn(
        SubjectType.INDIVIDUAL_BUSINESS, "王小明",
        uscc=codes.make_uscc("92440106" + codes.make_org_code("MDP00001")), region_code="440106",
    )  # fmt: skip
    with committing(session):
        (shop,) = register_many(session, [person_shop])
    graded(session, {company: "D"})
    graded(session, {shop: "D"}, "individual_business")
    both = ["enterprise", "individual_business"]
    plan_id = plan(session, department, subject_types=both, name_keyword="")
    with committing(session):
        made = draws.run(session, clerk(department), plan_id)
        found = results.Found("rectify", date(2024, 3, 18), "未按规定公示即时信息")
        results.record(session, clerk(department), made.id, company, found)
    return department, made, company, shop


def test_the_public_page_shows_the_draw_and_results_but_no_class_inspector_or_person(
    client, session, drawn
):
    _department, made, _company, _shop = drawn
    page = client.get(f"/supervision/draws/{made.id}")
    assert page.status_code == 200
    text = page.text
    assert made.seed in text and "广州市公示" in text
    assert "广东省广州市（4401）" in text and "地区代码" not in text  # the scope by its name
    assert "责令整改" in text  # the outcome's label
    assert "王小明" not in text and "（个人姓名不公示）" in text
    assert "信用风险" not in text and "D类" not in text and "高风险" not in text
    assert "检查员" not in text
    listed = client.get("/supervision/draws").text
    assert f"/supervision/draws/{made.id}" in listed
    answer = client.get(f"/api/v1/supervision/published/{made.id}").json()
    assert "classes" not in answer["inputs"] and "inspectors" not in answer["inputs"]
    assert all(s["class_code"] is None and s["inspectors"] == [] for s in answer["subjects"])
    assert "王小明" not in page.text


def test_a_department_plans_draws_and_records_in_the_console(app, session):
    department = market_department(session, "gz-con-scjg")
    staff(session, department, 2)
    ids = companies(session, 2, word="控制台")
    graded(session, {s: "D" for s in ids})
    with committing(session):
        auth.create_user(session, "zhao", PASSWORD, Role.REGULATOR, "440100", "赵科长", department)
    browser = console_client(app, "zhao")
    home = browser.get("/admin/supervision")
    assert home.status_code == 200 and "双随机抽查" in home.text
    form = {
        "csrf": csrf_of(home.text), "matter": "广告发布检查", "region_prefix": "4401",
        "subject_types": ["enterprise"], "name_keyword": "控制台", "starts_on": "2024-01-01",
        "ends_on": "2024-12-31", "inspectors_per_subject": "2",
    }  # fmt: skip
    made = browser.post("/admin/supervision/plans", data=form)
    assert made.status_code == 200 and "已制定抽查计划" in made.text
    assert "广东省广州市（4401）" in made.text  # the plan's scope by its region's name
    plan_id = re.search(r"/admin/supervision/plans/(\d+)/draw", made.text)[1]
    shown = browser.post(
        f"/admin/supervision/plans/{plan_id}/draw", data={"csrf": csrf_of(made.text), "seed": ""}
    )
    assert shown.status_code == 200 and "信用风险高（D类）" in shown.text and "检查员" in shown.text
    draw_id = re.search(r"/admin/supervision/draws/(\d+)/results", shown.text)[1]
    entered = browser.post(
        f"/admin/supervision/draws/{draw_id}/results",
        data={
            "csrf": csrf_of(shown.text), "subject_id": str(ids[0]), "outcome": "passed",
            "inspected_on": "2024-03-19", "note": "",
        },
    )  # fmt: skip
    assert entered.status_code == 200 and "已录入" in entered.text
    checked = browser.post(
        f"/admin/supervision/draws/{draw_id}/verify", data={"csrf": csrf_of(entered.text)}
    )
    assert "复核一致" in checked.text
    api = browser.get(f"/api/v1/supervision/draws/{draw_id}/verify").json()
    assert api["same_inputs"] and api["same_result"]


def test_the_public_cannot_read_a_draw_s_classes(client, drawn):
    _department, made, _company, _shop = drawn
    assert client.get(f"/api/v1/supervision/draws/{made.id}").status_code == 401


# --- the credit office acts for a department of its region ---------------------------------


@pytest.fixture
def region(session):
    """广州's 市场监管局 and 卫健委 (each with its own clerk), 深圳's 市场监管局, and 广州's credit
    office, whose account has no department: it acts for a department it chooses."""
    market = market_department(session, "gz-ch-scjg")
    with committing(session):
        health = auth.create_department(session, "gz-ch-wjw", "广州市卫生健康委员会", "440100")
        shenzhen = auth.create_department(session, "sz-ch-scjg", "深圳市市场监督管理局", "440300")
        auth.create_user(session, "office", PASSWORD, Role.CREDIT_OFFICE, "440100", "刘敏")
        auth.create_user(session, "sun", PASSWORD, Role.REGULATOR, "440100", "孙科长", market)
    return market, health, shenzhen


def _plan_form(page: str, department_id: int | None = None) -> dict:
    form = {
        "csrf": csrf_of(page), "matter": "医疗机构依法执业检查", "region_prefix": "4401",
        "subject_types": ["enterprise"], "starts_on": "2024-01-01", "ends_on": "2024-12-31",
        "inspectors_per_subject": "1",
    }  # fmt: skip
    if department_id is not None:
        form["department_id"] = str(department_id)
    return form


def _inspectors_of(session, department_id: int) -> list[str]:
    query = select(Inspector.name).where(Inspector.department_id == department_id)
    return list(session.scalars(query))


def _plans_of(session, department_id: int) -> list[str]:
    return list(session.scalars(select(Plan.matter).where(Plan.department_id == department_id)))


def test_the_credit_office_chooses_a_department_of_its_region_and_acts_for_it(app, session, region):
    market, health, shenzhen = region
    office = console_client(app, "office")
    first = office.get("/admin/supervision/inspectors")
    assert first.status_code == 200 and "请先选择办理部门" in first.text
    chooser = re.search(r'<select name="department_id"[^>]*>(.*?)</select>', first.text, re.S)[1]
    assert market.name in chooser and health.name in chooser
    assert shenzhen.name not in chooser  # another region's: not offered
    pool = office.get("/admin/supervision/inspectors", params={"department_id": health.id})
    assert pool.status_code == 200 and f"检查人员库：{health.name}" in pool.text
    assert f'name="department_id" value="{health.id}"' in pool.text  # kept in the forms
    added = office.post(
        "/admin/supervision/inspectors",
        data={"csrf": csrf_of(pool.text), "name": "周医生", "badge_number": "卫执001",
              "department_id": str(health.id)},
    )  # fmt: skip
    assert added.status_code == 200 and "已登记检查人员 周医生" in added.text
    assert f"检查人员库：{health.name}" in added.text  # back on the chosen department's pool
    assert _inspectors_of(session, health.id) == ["周医生"]
    plans_page = office.get("/admin/supervision", params={"department_id": health.id})
    assert f"制定抽查计划：{health.name}" in plans_page.text
    made = office.post("/admin/supervision/plans", data=_plan_form(plans_page.text, health.id))
    assert made.status_code == 200 and "已制定抽查计划" in made.text
    assert _plans_of(session, health.id) == ["医疗机构依法执业检查"]


def test_without_a_chosen_department_the_credit_office_is_asked_to_choose(app, session, region):
    office = console_client(app, "office")
    page = office.get("/admin/supervision")
    assert page.status_code == 200 and "请先选择办理部门，再为其制定抽查计划" in page.text
    assert 'aria-label="制定抽查计划"' not in page.text


def test_a_department_of_another_region_is_refused_in_chinese(app, session, region):
    _market, _health, shenzhen = region
    office = console_client(app, "office")
    shown = office.get("/admin/supervision/inspectors", params={"department_id": shenzhen.id})
    assert shown.status_code == 403 and "只能管理本地区的抽查计划和检查人员" in shown.text
    assert 'aria-label="登记检查人员"' not in shown.text
    home = office.get("/admin/supervision")
    added = office.post(
        "/admin/supervision/inspectors",
        data={"csrf": csrf_of(home.text), "name": "越界", "badge_number": "X1",
              "department_id": str(shenzhen.id)},
    )  # fmt: skip
    assert added.status_code == 403 and "只能管理本地区的抽查计划和检查人员" in added.text
    made = office.post("/admin/supervision/plans", data=_plan_form(home.text, shenzhen.id))
    assert made.status_code == 403 and "只能管理本地区的抽查计划和检查人员" in made.text
    listed = office.get("/admin/supervision", params={"department_id": shenzhen.id})
    assert listed.status_code == 403 and "只能查看本地区的抽查计划" in listed.text
    assert _inspectors_of(session, shenzhen.id) == [] and _plans_of(session, shenzhen.id) == []


@pytest.mark.parametrize("value", ["999999999", "abc", "-1", str(2**70)])
def test_an_id_that_names_no_department_is_said_not_found(app, session, region, value):
    office = console_client(app, "office")
    shown = office.get("/admin/supervision/inspectors", params={"department_id": value})
    assert shown.status_code == 404 and "部门不存在" in shown.text
    home = office.get("/admin/supervision", params={"department_id": value})
    assert home.status_code == 404 and "部门不存在" in home.text
    form = _plan_form(home.text) | {"department_id": value}
    made = office.post("/admin/supervision/plans", data=form)
    assert made.status_code == 404 and "部门不存在" in made.text


def test_a_regulator_gets_no_chooser_and_cannot_act_for_another_department(app, session, region):
    market, health, _shenzhen = region
    (own,) = staff(session, market, 1)
    (company,) = companies(session, 1, word="回避")
    clerk_browser = console_client(app, "sun")
    pool = clerk_browser.get("/admin/supervision/inspectors")
    assert pool.status_code == 200 and f"检查人员库：{market.name}" in pool.text
    assert 'name="department_id"' not in pool.text  # neither a chooser nor a hidden field
    token = csrf_of(pool.text)
    edited = {"csrf": token, "name": "冒名", "badge_number": "M1", "department_id": str(health.id)}
    added = clerk_browser.post("/admin/supervision/inspectors", data=edited)
    assert added.status_code == 403 and "只能管理本部门的抽查计划和检查人员" in added.text
    linked = clerk_browser.post(
        f"/admin/supervision/inspectors/{own}/avoidances",
        data={"csrf": token, "subject_id": str(company), "reason": "近亲属",
              "department_id": str(health.id)},
    )  # fmt: skip
    assert linked.status_code == 403 and "只能管理本部门" in linked.text
    home = clerk_browser.get("/admin/supervision")
    assert '<select name="department_id"' not in home.text
    made = clerk_browser.post("/admin/supervision/plans", data=_plan_form(home.text, health.id))
    assert made.status_code == 403 and "只能管理本部门的抽查计划和检查人员" in made.text
    assert _inspectors_of(session, health.id) == [] and _plans_of(session, health.id) == []
    own_link = clerk_browser.post(
        f"/admin/supervision/inspectors/{own}/avoidances",
        data={"csrf": token, "subject_id": str(company), "reason": "近亲属"},
    )
    assert own_link.status_code == 200 and "已登记回避" in own_link.text


def test_an_inspector_of_another_department_is_not_reached_through_the_chosen_one(
    app, session, region
):
    market, health, _shenzhen = region
    (theirs,) = staff(session, market, 1)
    office = console_client(app, "office")
    page = office.get("/admin/supervision/inspectors", params={"department_id": health.id})
    stopped = office.post(
        f"/admin/supervision/inspectors/{theirs}/active",
        data={"csrf": csrf_of(page.text), "active": "0", "department_id": str(health.id)},
    )
    assert stopped.status_code == 404 and "检查人员不存在" in stopped.text


@pytest.mark.parametrize(
    ("prefix", "shown"),
    [("440106", "广东省广州市天河区（440106）"), ("440", "地区代码 440")],
    ids=["a district", "not a region"],
)
def test_a_draw_s_scope_is_shown_by_the_region_s_name(client, session, prefix, shown):
    department = market_department(session, "gz-scope-scjg")
    staff(session, department, 1)
    companies(session, 1, word="范围")
    with committing(session):
        made = draws.run(
            session, clerk(department), plan(session, department, region_prefix=prefix)
        )
    assert shown in client.get(f"/supervision/draws/{made.id}").text
