"""The shipped enterprise model on hand-built subjects (issue 16): each indicator's points,
caps, decay, holds, bands and overrides, determinism, as-of and repair — and that a run is
set-based (its statements do not grow with the subjects)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from tests.factories import demo_row, penalty, statements, store
from xinyong import codes
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.evaluation.models import EvaluationResult
from xinyong.evaluation.runs import evaluate, model_named
from xinyong.policy.enums import SubjectType
from xinyong.records.models import Record
from xinyong.subjects.models import Subject, SubjectProfile
from xinyong.subjects.service import SubjectIn, register_many

pytestmark = pytest.mark.usefixtures("received")  # the clock: 2024-03-20

START = Decimal(800)  # every dimension at 80% of its full points: 0.8 × 1000


@pytest.fixture
def model():
    return model_named("enterprise")


_numbers = itertools.count()


def _companies(session, count: int) -> list[int]:
    made = [
        SubjectIn(
            SubjectType.ENTERPRISE,
            f"广州市评价{n}号有限公司",
            uscc=codes.make_uscc("91440106" + codes.make_org_code(f"EM{n:06d}")),
        )
        for n in itertools.islice(_numbers, count)
    ]
    with committing(session):
        return register_many(session, made)


def _scores(sessions, model) -> dict[int, tuple[Decimal, str]]:
    ran = evaluate(sessions, model, "user:test")
    with sessions() as session:
        rows = session.execute(
            select(
                EvaluationResult.subject_id, EvaluationResult.score, EvaluationResult.grade
            ).where(EvaluationResult.run_id == ran.run_id)
        )
        return {s: (Decimal(score).quantize(Decimal("0.01")), g) for s, score, g in rows}


def _penalise(session, subject_id: int, number: int, decided: date, severity="general") -> int:
    record_id = store(session, subject_id, penalty(number, decided))
    with committing(session):
        session.execute(update(Record).where(Record.id == record_id).values(severity=severity))
    return record_id


def test_a_subject_with_no_records_scores_every_base(session, sessions, model):
    (plain,) = _companies(session, 1)
    assert _scores(sessions, model)[plain] == (START, "B")


def test_penalties_score_by_severity_and_age_and_stop_after_three_years(session, sessions, model):
    recent, older, oldest, serious = _companies(session, 4)
    _penalise(session, recent, 1, date(2023, 12, 1))  # under a year: -20 × 1
    _penalise(session, older, 2, date(2022, 9, 1))  # 1–2 years: -20 × 0.6
    _penalise(session, oldest, 3, date(2020, 12, 1))  # over 3 years: not read
    _penalise(session, serious, 4, date(2023, 12, 1), "serious")  # -60
    scores = _scores(sessions, model)
    assert scores[recent][0] == START - 20
    assert scores[older][0] == START - 12
    assert scores[oldest][0] == START
    assert scores[serious] == (START - 60, "C")


def test_an_indicator_stops_at_its_cap_and_a_dimension_at_zero(session, sessions, model):
    (many,) = _companies(session, 1)
    for n in range(15):
        _penalise(session, many, 10 + n, date(2024, 1, 2), "serious")  # 15 × -60, cap -200
    assert _scores(sessions, model)[many][0] == START - 200


def test_the_serious_dishonesty_list_caps_the_grade(session, sessions, model):
    (listed,) = _companies(session, 1)
    record_id = _penalise(session, listed, 30, date(2024, 1, 2))
    with committing(session):  # the same record counted as a list entry: 严重失信主体名单
        session.execute(update(Record).where(Record.id == record_id).values(item_code="yzsxmd"))
    score, grade = _scores(sessions, model)[listed]
    assert score == START - 150 and grade == "D"  # 650 would be C; the override says D


def test_years_since_founding_count_up_to_the_cap(session, sessions, model):
    young, old = _companies(session, 2)
    record_id = _penalise(session, young, 40, date(2024, 1, 2), "minor")  # -5, a record to cite
    with committing(session):
        for subject_id, founded in ((young, date(2021, 3, 21)), (old, date(1990, 1, 1))):
            session.add(
                SubjectProfile(
                    subject_id=subject_id,
                    founded_on=founded,
                    item_code="scztdj",
                    record_id=record_id,
                    updated_at=datetime(2024, 3, 20, tzinfo=UTC),
                )
            )
    scores = _scores(sessions, model)
    assert scores[young][0] == START - 5 + 2  # two full years (the third ends tomorrow)
    assert scores[old][0] == START + 10  # capped at 10


def test_the_same_inputs_give_the_same_scores(session, sessions, model):
    subjects = _companies(session, 3)
    _penalise(session, subjects[0], 50, date(2023, 6, 1))
    assert _scores(sessions, model) == _scores(sessions, model)


def test_a_repaired_record_no_longer_counts_in_the_next_run(session, sessions, model):
    (fixed,) = _companies(session, 1)
    record_id = _penalise(session, fixed, 60, date(2023, 12, 1))
    assert _scores(sessions, model)[fixed][0] == START - 20
    with committing(session):
        session.execute(update(Record).where(Record.id == record_id).values(status="repaired"))
    assert _scores(sessions, model)[fixed][0] == START


def test_a_run_as_of_the_past_reads_only_what_was_received_then(session, sessions, model):
    (later,) = _companies(session, 1)
    _penalise(session, later, 70, date(2023, 12, 1))  # received 2024-03-20
    before = evaluate(sessions, model, "user:test", as_of=datetime(2024, 3, 1, tzinfo=UTC))
    with sessions() as s:
        score = s.scalar(
            select(EvaluationResult.score).where(
                EvaluationResult.run_id == before.run_id, EvaluationResult.subject_id == later
            )
        )
    assert Decimal(score) == START


def test_a_run_is_set_based_whatever_the_number_of_subjects(session, sessions, model, engine):
    few = _companies(session, 2)
    _penalise(session, few[0], 80, date(2023, 12, 1))
    with statements(engine) as small:
        evaluate(sessions, model, "user:test")
    more = _companies(session, 40)
    for n, subject_id in enumerate(more):
        _penalise(session, subject_id, 100 + n, date(2023, 12, 1))
    with statements(engine) as large:
        evaluate(sessions, model, "user:test")
    assert len(large) == len(small) < 40


# One recent record of the indicator's first item: the points it gives alone (after decay 1).
SINGLE = {
    "enforcement": -15,
    "serious_dishonesty": -150,
    "judgement_debtor": -100,
    "broken_commitments": -30,
    "commitments": 5,
    "licences": 3,
    "awards": 10,
    "tax_a": 20,
    "contract_honouring": 10,
    "inspection_problems": -10,
}


@pytest.mark.parametrize("code", sorted(SINGLE))
def test_every_indicator_scores_one_record_of_its_own(session, sessions, model, code):
    indicator = next(i for i in model.indicators() if i.code == code)
    assert indicator.reads is not None
    (company,) = _companies(session, 1)
    subject = session.get_one(Subject, company)
    row = demo_row(indicator.reads.items[0], subject, date(2024, 1, 10))
    if indicator.reads.field:  # e.g. an inspection that found a problem
        row[indicator.reads.field] = indicator.reads.values[0]
    store(session, company, row, item_code=indicator.reads.items[0])
    dimension = next(d for d in model.dimensions if indicator in d.indicators)
    base, full = model.base(dimension), model.full_points(dimension)
    expected = START - base + min(max(base + SINGLE[code], 0), full)
    assert _scores(sessions, model)[company][0] == expected


def test_a_run_about_the_future_is_refused(sessions, model):
    with pytest.raises(DomainError) as refused:
        evaluate(sessions, model, "user:test", as_of=datetime(2030, 1, 1, tzinfo=UTC))
    assert refused.value.code == "evaluation.future"
