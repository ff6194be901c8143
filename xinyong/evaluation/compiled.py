"""An evaluation model as SQL: per indicator, one grouped query over records giving each
subject's points; per run, one query turning the points into scores and grades. Nothing here
loops over subjects; the same expressions score one subject's records for its explanation.

Dates are compared with cut-off days computed here (a decay step of 2 years: decided after the
day two years before the evaluation), so the SQL is the same on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Numeric,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
)

from xinyong import clock
from xinyong.db import UtcDateTime
from xinyong.evaluation.models import EvaluationContribution
from xinyong.policy.schemas.evaluation import EvaluationModel, Indicator, Reads
from xinyong.records.as_of import state_as_of
from xinyong.records.models import Record
from xinyong.subjects.models import Subject, SubjectProfile

POINTS = Numeric(12, 2)
MAX_YEARS_COUNTED = 50  # years_founded without a cap: years counted at most


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def number(value: Decimal | int) -> ColumnElement[Any]:
    return literal(Decimal(value), POINTS)


@dataclass(frozen=True)
class Moment:
    """What a run reads as of: the moment (records received and in the state they had then)
    and its day in China; `now`: the records' own columns, no history to undo. With `bound`,
    the dates are bind parameters (`values()` gives them), so that one statement built once
    serves every later explanation: building SQL costs more than running it here."""

    at: datetime
    day: date
    now: bool
    bound: bool = False

    @classmethod
    def of(cls, at: datetime, *, now: bool) -> Moment:
        """The moment `at`, its day in China."""
        return cls(at, at.astimezone(clock.SHANGHAI).date(), now)

    def when(self) -> Any:
        return bindparam("at", type_=UtcDateTime) if self.bound else self.at

    def today(self) -> Any:
        return bindparam("day", type_=Date) if self.bound else self.day

    def before(self, years: int) -> Any:
        """The day `years` before the moment's day."""
        if self.bound:
            return bindparam(f"cut_{years}", type_=Date)
        return years_before(self.day, years)

    def values(self) -> dict[str, Any]:
        cuts = {f"cut_{n}": years_before(self.day, n) for n in range(1, MAX_YEARS_COUNTED + 1)}
        return {"at": self.at, "day": self.day, **cuts}


def covered(model: EvaluationModel, low: int, high: int) -> ColumnElement[bool]:
    """The subjects the model grades, among ids [low, high)."""
    return and_(
        Subject.subject_type.in_(sorted(t.value for t in model.subject_types)),
        Subject.merged_into.is_(None),
        Subject.id >= low,
        Subject.id < high,
    )


def read_records(reads: Reads, moment: Moment) -> list[ColumnElement[bool]]:
    """The conditions on `records` for the records an indicator (or an override) reads."""
    status, objection, version = state_as_of(None if moment.now else moment.when())
    where = [
        Record.item_code.in_(reads.items),
        version,
        Record.received_at <= moment.when(),
        status.in_(reads.statuses),
        or_(Record.decision_date.is_(None), Record.decision_date <= moment.today()),
    ]
    if reads.skip_in_objection:
        where.append(objection.is_(False))
    if reads.severities:
        where.append(Record.severity.in_(reads.severities))
    if reads.field:
        where.append(Record.payload[reads.field].as_string().in_(reads.values))
    return where


def record_points(indicator: Indicator, moment: Moment) -> ColumnElement[Any]:
    """One record's points: by its severity, times the decay step its decision date is in."""
    base: ColumnElement[Any] = number(indicator.points)
    if indicator.by_severity:
        base = case(
            *((Record.severity == s, number(p)) for s, p in indicator.by_severity.items()),
            else_=number(indicator.points),
        )
    if not indicator.decay:
        return base
    factor = case(
        *(
            (Record.decision_date > moment.before(step.years), number(step.factor))
            for step in indicator.decay
        ),
        else_=number(0),
    )
    return base * factor


def in_decay(indicator: Indicator, moment: Moment) -> list[ColumnElement[bool]]:
    """Records older than the last decay step count nothing: not read at all."""
    if not indicator.decay:
        return []
    return [Record.decision_date > moment.before(indicator.decay[-1].years)]


def capped(total: ColumnElement[Any], indicator: Indicator) -> ColumnElement[Any]:
    if indicator.cap is None:
        return total
    cap = number(indicator.cap)
    if indicator.cap < 0:
        return case((total < cap, cap), else_=total)
    return case((total > cap, cap), else_=total)


def full_years(founded: Any, moment: Moment, most: int) -> ColumnElement[Any]:
    """Full years between `founded` and the moment's day, counted up to `most`: one comparison
    per year, the same SQL on both databases."""
    return sum(
        (case((founded <= moment.before(n), 1), else_=0) for n in range(1, most + 1)),
        start=literal(0),
    )


def years_counted(indicator: Indicator) -> int:
    if indicator.cap is None or indicator.points == 0:
        return MAX_YEARS_COUNTED
    return min(MAX_YEARS_COUNTED, int(-(-abs(indicator.cap) // abs(indicator.points))))


def indicator_points(
    model: EvaluationModel, indicator: Indicator, moment: Moment, low: int, high: int
) -> Select[Any]:
    """(subject_id, points) for every covered subject in [low, high) the indicator gives
    anything, after its cap and rounded to the cent."""
    if indicator.measure == "years_founded":
        years = full_years(SubjectProfile.founded_on, moment, years_counted(indicator))
        points = func.round(capped(years * number(indicator.points), indicator), 2)
        return (
            select(SubjectProfile.subject_id, points)
            .join(Subject, Subject.id == SubjectProfile.subject_id)
            .where(covered(model, low, high), SubjectProfile.founded_on <= moment.today())
            .where(points != 0)
        )
    assert indicator.reads is not None
    if indicator.measure == "any":
        total: ColumnElement[Any] = number(indicator.points)
    else:
        total = func.sum(record_points(indicator, moment))
    points = func.round(capped(total, indicator), 2)
    return (
        select(Record.subject_id, points)
        .join(Subject, Subject.id == Record.subject_id)
        .where(covered(model, low, high), *read_records(indicator.reads, moment))
        .where(*in_decay(indicator, moment))
        .group_by(Record.subject_id)
        .having(points != 0)
    )


def held(raw: ColumnElement[Any], full: Decimal) -> ColumnElement[Any]:
    """A dimension held between 0 and its full points."""
    return case((raw < number(0), number(0)), (raw > number(full), number(full)), else_=raw)


def scores(model: EvaluationModel, run_id: int, moment: Moment, low: int, high: int) -> Select[Any]:
    """(run_id, subject_id, score, grade) for every covered subject in [low, high): the bases,
    the run's stored points per dimension, each dimension held, summed; then the band, and the
    overrides that lower it."""
    c = EvaluationContribution
    stored = (
        select(
            c.subject_id,
            *(
                func.sum(
                    case((c.indicator.in_([i.code for i in d.indicators]), c.points), else_=0)
                ).label(d.code)
                for d in model.dimensions
            ),
        )
        .where(c.run_id == run_id, c.subject_id >= low, c.subject_id < high)
        .group_by(c.subject_id)
        .subquery()
    )
    dimensions = [
        held(number(model.base(d)) + func.coalesce(stored.c[d.code], 0), model.full_points(d))
        for d in model.dimensions
    ]
    score = func.round(sum(dimensions[1:], start=dimensions[0]), 2).label("score")
    flags = [
        Subject.id.in_(
            select(Record.subject_id).where(*read_records(Reads(items=o.items), moment))
        ).label(f"flag_{o.code}")
        for o in model.overrides
    ]
    inner = (
        select(Subject.id.label("subject_id"), score, *flags)
        .select_from(Subject)
        .outerjoin(stored, stored.c.subject_id == Subject.id)
        .where(covered(model, low, high))
        .subquery()
    )
    rank: ColumnElement[Any] = case(
        *((inner.c.score >= number(b.min), i) for i, b in enumerate(model.bands[:-1])),
        else_=len(model.bands) - 1,
    )
    for override in model.overrides:
        at_most = model.rank(override.at_most)
        rank = case((and_(inner.c[f"flag_{override.code}"], rank < at_most), at_most), else_=rank)
    grade = case(*((rank == i, b.grade) for i, b in enumerate(model.bands)))
    return select(literal(run_id), inner.c.subject_id, inner.c.score, grade)
