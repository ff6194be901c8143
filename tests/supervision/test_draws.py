"""Drawing a plan (issue 16): candidates in scope with their class from the run in force,
per-class counts, the stored seed and inputs, a re-run that agrees, one draw per plan, 回避."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.supervision.sample import clerk, companies, graded, market_department, plan, staff
from xinyong import clock
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.errors import DomainError, PermissionDenied
from xinyong.policy.enums import Role, SubjectType
from xinyong.supervision import draws, inspectors
from xinyong.supervision.models import DrawnSubject

pytestmark = pytest.mark.usefixtures("received")


def _drawn(session, draw_id: int) -> dict[int, tuple[str, list[int]]]:
    rows = session.scalars(select(DrawnSubject).where(DrawnSubject.draw_id == draw_id))
    return {r.subject_id: (r.class_code, r.inspector_ids) for r in rows}


def _draw(session, department, plan_id, seed=None):
    with committing(session):
        return draws.run(session, clerk(department), plan_id, seed)


def test_classes_come_from_the_grades_and_each_class_draws_its_ratio(session):
    """国市监信发〔2022〕6号 classes A–D at the 林甸县 example ratios (5/20/60/100%); a subject
    with no grade is in the policy's ungraded class (B for 市场监管)."""
    department = market_department(session)
    staff(session, department, 4)
    a, b, c, d = (companies(session, n) for n in (40, 20, 10, 3))
    ungraded = companies(session, 10)
    graded(session, {s: g for ids, g in ((a, "A"), (b, "B"), (c, "C"), (d, "D")) for s in ids})
    made = _draw(session, department, plan(session, department))
    classes = made.inputs["classes"]
    assert {k: (v["candidates"], v["drawn"]) for k, v in classes.items()} == {
        "A": (40, 2), "B": (30, 6), "C": (10, 6), "D": (3, 3),
    }  # fmt: skip
    drawn = _drawn(session, made.id)
    assert set(d) <= set(drawn)  # D at 100%
    assert {s for s, (k, _) in drawn.items() if k == "B"} <= set(b) | set(ungraded)
    assert all(len(set(i)) == 2 for _k, i in drawn.values())
    assert len(made.seed) == 32 and made.inputs["candidates"] == 83


def test_the_same_seed_on_the_same_inputs_gives_the_same_draw_and_verify_agrees(session):
    department = market_department(session, "gz-qy-scjg")
    staff(session, department, 5)
    ids = companies(session, 60, word="餐饮")
    graded(session, {s: "C" for s in ids[:20]})
    first = _draw(session, department, plan(session, department, name_keyword="餐饮"), "fixed-seed")
    again = _draw(session, department, plan(session, department, name_keyword="餐饮"), "fixed-seed")
    assert _drawn(session, first.id) == _drawn(session, again.id)
    assert first.inputs["candidates_digest"] == again.inputs["candidates_digest"]
    with clock.frozen_at(clock.now() + timedelta(hours=1)):
        companies(session, 5, word="餐饮")  # registered after the draw: not its candidates
    with committing(session):
        checked = draws.verify(session, clerk(department), first.id)
    assert (
        checked.same_inputs
        and checked.same_result
        and checked.drawn == len(_drawn(session, first.id))
    )


def test_the_scope_limits_candidates_by_type_region_and_word(session):
    department = market_department(session, "gz-th-scjg")
    staff(session, department, 2)
    companies(session, 4, word="药房")
    companies(session, 3, word="药房", kind=SubjectType.INDIVIDUAL_BUSINESS)
    companies(session, 6, word="五金")
    made = _draw(session, department, plan(session, department, name_keyword="药房"))
    assert made.inputs["candidates"] == 4
    both = ["enterprise", "individual_business"]
    made = _draw(
        session, department, plan(session, department, name_keyword="药房", subject_types=both)
    )
    assert made.inputs["candidates"] == 7
    assert set(made.inputs["runs"]) == {"enterprise", "individual_business"}
    made = _draw(
        session, department, plan(session, department, name_keyword="药房", region_prefix="4403")
    )
    assert made.inputs["candidates"] == 0


def test_a_plan_is_drawn_once(session):
    department = market_department(session, "gz-by-scjg")
    staff(session, department, 2)
    companies(session, 3, word="一次")
    plan_id = plan(session, department, name_keyword="一次")
    _draw(session, department, plan_id)
    with pytest.raises(DomainError) as refused:
        _draw(session, department, plan_id)
    assert refused.value.code == "supervision.already_drawn"


def test_a_draw_committed_meanwhile_refuses_the_second_in_chinese(session, sessions, monkeypatch):
    """Two clerks drawing one plan at once: the second finds no draw when it looks, then the
    database's one-draw-per-plan rule refuses it — with the same Chinese reason, not an error."""
    department = market_department(session, "gz-hz-scjg")
    staff(session, department, 2)
    companies(session, 2, word="并发")
    plan_id = plan(session, department, name_keyword="并发")
    reading, raced = draws.candidates, []

    def meanwhile(*args, **kwargs):  # another clerk's draw commits while this one reads
        found = reading(*args, **kwargs)
        if not raced:
            raced.append(True)
            with sessions() as other, committing(other):
                draws.run(other, clerk(department), plan_id, "other-clerk")
        return found

    monkeypatch.setattr(draws, "candidates", meanwhile)
    with pytest.raises(DomainError) as refused:
        _draw(session, department, plan_id, "first-clerk")
    assert refused.value.code == "supervision.already_drawn"


def test_a_linked_inspector_is_not_drawn_for_the_subject(session):
    """回避: with three inspectors, two per subject and one linked, the other two go."""
    department = market_department(session, "gz-hz-scjg")
    first, second, third = staff(session, department, 3)
    ids = companies(session, 12, word="回避")
    graded(session, {s: "D" for s in ids})
    with committing(session):
        for subject_id in ids:
            inspectors.link(
                session, clerk(department), first, subject_id, "近亲属任该企业法定代表人"
            )
    made = _draw(session, department, plan(session, department, name_keyword="回避"))
    drawn = _drawn(session, made.id)
    assert len(drawn) == 12
    assert all(sorted(i) == sorted([second, third]) for _k, i in drawn.values())


def test_too_few_inspectors_is_refused_with_a_reason(session):
    department = market_department(session, "gz-ns-scjg")
    staff(session, department, 1)
    graded(session, {s: "D" for s in companies(session, 2, word="人手")})
    with pytest.raises(DomainError) as refused:
        _draw(session, department, plan(session, department, name_keyword="人手"))
    assert refused.value.code == "supervision.too_few_inspectors"


def test_staff_without_the_role_learn_nothing_of_which_plans_exist(session):
    department = market_department(session, "gz-ids-scjg")
    plan_id = plan(session, department, name_keyword="无此")
    window = Principal(Role.SERVICE_WINDOW, None, "440100", "user:window")
    for wanted in (plan_id, plan_id + 999):
        with committing(session), pytest.raises(PermissionDenied):
            draws.run(session, window, wanted)
