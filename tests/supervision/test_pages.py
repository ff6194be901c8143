"""The pages and the API of 双随机抽查 (issue 16): a department plans, draws and records results
in the console; the public page (一公开) shows the seed and the drawn subjects with their results
but no supervision class (国市监信发〔2022〕6号: an internal reference), no inspector and no
person's name (a 个体工商户 registered under its operator's name is masked)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.factories import PASSWORD, console_client, csrf_of
from tests.supervision.sample import clerk, companies, graded, market_department, plan, staff
from xinyong import codes
from xinyong.auth import service as auth
from xinyong.db import committing
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.service import SubjectIn, register_many
from xinyong.supervision import draws, results

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
