"""Who a plan may draw (issue 16): a class's yearly frequency (`per_year`) leaves out the
subjects the department's draws of the year already took that often, and a department's own
sector evaluation (行业信用评价) places the subjects it graded before the general grade does."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from tests.supervision.sample import clerk, companies, graded, market_department, plan, staff
from xinyong import clock, codes
from xinyong.db import committing
from xinyong.policy import use_policy
from xinyong.policy.loader import PolicyError
from xinyong.supervision import draws

SHIPPED = Path(draws.__file__).resolve().parents[1] / "policy"


def _draw(session, department, plan_id, seed="s"):
    with committing(session):
        return draws.run(session, clerk(department), plan_id, seed)


def _drawn_ids(session, draw_id):
    from sqlalchemy import select

    from xinyong.supervision.models import DrawnSubject

    return set(
        session.scalars(select(DrawnSubject.subject_id).where(DrawnSubject.draw_id == draw_id))
    )


def test_a_class_is_drawn_no_more_often_in_a_year_than_its_frequency(session):
    """市场监管 example: D at 100% and twice a year, B at 20% once a year. The year's third plan
    finds no D subject; the second finds no B subject the first took; the next year all are back;
    each draw still verifies as of when it was drawn."""
    with clock.frozen_at(datetime(2026, 3, 2, 2, 0, tzinfo=UTC)):
        department = market_department(session)
        staff(session, department, 3)
        b, d = companies(session, 50), companies(session, 4)
        graded(session, {s: "D" for s in d} | {s: "B" for s in b})
        first = _draw(session, department, plan(session, department))
    with clock.frozen_at(datetime(2026, 6, 1, 2, 0, tzinfo=UTC)):
        second = _draw(session, department, plan(session, department))
    with clock.frozen_at(datetime(2026, 9, 1, 2, 0, tzinfo=UTC)):
        third = _draw(session, department, plan(session, department))
    with clock.frozen_at(datetime(2027, 1, 4, 2, 0, tzinfo=UTC)):
        next_year = _draw(session, department, plan(session, department))
    taken_b = _drawn_ids(session, first.id) & set(b)
    assert len(taken_b) == 10 and not taken_b & _drawn_ids(session, second.id)
    assert (
        second.inputs["classes"]["B"] | {"candidates": 40, "reached_per_year": 10}
        == (second.inputs["classes"]["B"])
    )
    assert set(d) <= _drawn_ids(session, second.id)  # D: the second time this year
    assert not set(d) & _drawn_ids(session, third.id)
    assert third.inputs["classes"]["D"]["reached_per_year"] == 4
    assert (
        next_year.inputs["classes"]["D"] | {"candidates": 4, "reached_per_year": 0}
        == (next_year.inputs["classes"]["D"])
    )
    with committing(session):
        for made in (first, second, third, next_year):
            checked = draws.verify(session, clerk(department), made.id)
            assert checked.same_inputs and checked.same_result


def test_another_departments_draws_do_not_count(session):
    with clock.frozen_at(datetime(2026, 3, 2, 2, 0, tzinfo=UTC)):
        one = market_department(session)
        uscc = codes.make_uscc("11440100" + codes.make_org_code("00750099"))
        other = market_department(session, "gz-hz-scjg", uscc)
        staff(session, one, 2), staff(session, other, 2)
        d = companies(session, 3)
        graded(session, {s: "D" for s in d})
        for _ in range(2):
            _draw(session, one, plan(session, one))
        made = _draw(session, other, plan(session, other))
    assert set(d) <= _drawn_ids(session, made.id)


def _sector_policy(folder: Path) -> Path:
    """The shipped policy plus a 市场监管 sector model (grades 好/中/差) named by the scheme."""
    (folder / "evaluation").mkdir(parents=True)
    model = yaml.safe_load((SHIPPED / "evaluation" / "enterprise.yaml").read_text("utf-8"))
    model |= {"code": "market_sector", "name": "市场监管行业信用评价（测试）"}
    model["bands"] = [
        {"grade": "好", "label": "好", "min": 850},
        {"grade": "中", "label": "中", "min": 700},
        {"grade": "差", "label": "差", "min": 0},
    ]
    model["overrides"] = [o | {"at_most": "差"} for o in model.get("overrides", [])]
    (folder / "evaluation" / "market_sector.yaml").write_text(
        yaml.safe_dump(model, allow_unicode=True), "utf-8"
    )
    supervision = yaml.safe_load((SHIPPED / "supervision.yaml").read_text("utf-8"))
    market = supervision["schemes"][0]
    market["sector_model"] = "market_sector"
    for klass, sector in zip(market["classes"], [["好"], ["中"], [], ["差"]], strict=True):
        klass["sector_grades"] = sector
    (folder / "supervision.yaml").write_text(
        yaml.safe_dump(supervision, allow_unicode=True), "utf-8"
    )
    return folder


def test_the_sector_grade_places_a_subject_before_the_general_one(session, tmp_path):
    use_policy(_sector_policy(tmp_path / "city"))  # reset by the root conftest
    department = market_department(session)
    staff(session, department, 3)
    both, general_only = companies(session, 6), companies(session, 5)
    graded(session, {s: "A" for s in both + general_only})  # A: low risk, 5%
    graded(session, {s: "差" for s in both}, model="market_sector")  # sector: D, 100%
    made = _draw(session, department, plan(session, department))
    classes = made.inputs["classes"]
    assert (classes["D"]["candidates"], classes["A"]["candidates"]) == (6, 5)
    assert set(both) <= _drawn_ids(session, made.id)
    assert set(made.inputs["runs"]) == {"enterprise", "market_sector"}
    with committing(session):
        assert draws.verify(session, clerk(department), made.id).same_result


def test_a_sector_grade_in_no_class_stops_the_policy(tmp_path):
    folder = _sector_policy(tmp_path / "city")
    supervision = yaml.safe_load((folder / "supervision.yaml").read_text("utf-8"))
    supervision["schemes"][0]["classes"][3]["sector_grades"] = []
    (folder / "supervision.yaml").write_text(
        yaml.safe_dump(supervision, allow_unicode=True), "utf-8"
    )
    with pytest.raises(PolicyError, match="sector grade '差' is in no class"):
        use_policy(folder)
    shutil.rmtree(folder)
