"""Results of a draw (issue 16): each becomes a 行政监督检查 record (xzjc, 检查方式 双随机抽查)
in the same transaction, and a negative one (责令整改) lowers the subject's next evaluation."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlalchemy import select

from tests.supervision.sample import clerk, companies, graded, market_department, plan, staff
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.evaluation.models import EvaluationResult
from xinyong.evaluation.runs import evaluate, model_named
from xinyong.records.models import Record
from xinyong.supervision import draws, results
from xinyong.supervision.models import DrawnSubject

pytestmark = pytest.mark.usefixtures("received")  # 2024-03-20
INSPECTED = date(2024, 3, 15)
_departments = itertools.count()


@pytest.fixture
def drawn(session):
    """A draw of three D-class companies by the 市场监管局; (department, draw id, subject ids)."""
    department = market_department(
        session, f"gz-r{len(session.scalars(select(Record.id)).all())}-scjg"
    )
    staff(session, department, 2)
    ids = companies(session, 3, word="抽查")
    graded(session, {s: "D" for s in ids})
    with committing(session):
        made = draws.run(session, clerk(department), plan(session, department, name_keyword="抽查"))
    taken = session.scalars(select(DrawnSubject.subject_id).where(DrawnSubject.draw_id == made.id))
    assert set(taken) >= set(ids)
    return department, made.id, ids


def _score(sessions, subject_id: int) -> float:
    ran = evaluate(sessions, model_named("enterprise"), "user:test")
    with sessions() as session:
        return float(
            session.scalar(
                select(EvaluationResult.score).where(
                    EvaluationResult.run_id == ran.run_id, EvaluationResult.subject_id == subject_id
                )
            )
        )


def test_a_result_becomes_an_inspection_record_of_the_department(session, drawn):
    department, draw_id, (subject_id, *_rest) = drawn
    with committing(session):
        found = results.Found("passed", INSPECTED, "未发现问题")
        result = results.record(session, clerk(department), draw_id, subject_id, found)
    record = session.get_one(Record, result.record_id)
    assert (record.item_code, record.subject_id, record.department_id) == (
        "xzjc", subject_id, department.id,
    )  # fmt: skip
    assert record.payload["jc_fs"] == "random" and record.payload["jc_jcjg"] == "no_problem"
    assert record.payload["jc_sx"] == "食品经营许可事项检查"


def test_a_negative_result_lowers_the_next_evaluation(session, sessions, drawn):
    """The enterprise model's inspection_problems: 责令整改 −10 within the year."""
    department, draw_id, (subject_id, *_rest) = drawn
    before = _score(sessions, subject_id)
    with committing(session):
        found = results.Found("rectify", INSPECTED, "未按规定公示年度报告，责令改正")
        results.record(session, clerk(department), draw_id, subject_id, found)
    assert _score(sessions, subject_id) == before - 10


def test_a_result_is_recorded_once_within_the_period_for_a_drawn_subject(session, drawn):
    department, draw_id, (subject_id, *_rest) = drawn
    who = clerk(department)
    with committing(session):
        results.record(session, who, draw_id, subject_id, results.Found("passed", INSPECTED))
    refusals = {
        "supervision.result_exists": (subject_id, results.Found("passed", INSPECTED)),
        "supervision.unknown_outcome": (_rest[0], results.Found("良好", INSPECTED)),
        "supervision.outside_period": (_rest[0], results.Found("passed", date(2023, 12, 1))),
        "supervision.not_drawn": (10**9, results.Found("passed", INSPECTED)),
    }
    for code, (subject, found) in refusals.items():
        with pytest.raises(DomainError) as refused, committing(session):
            results.record(session, who, draw_id, subject, found)
        assert refused.value.code == code
