"""Why a subject has its grade: the run in force at a moment, each dimension's base, what each
indicator gave and the records behind it, the hold at 0 or at full points, and the overrides
that lowered the grade — which add up to the score. Shown to staff and to the subject itself as
the model's `visible_to` says, never to the public (a public model's grade is shown by
`published`, without this detail); every look is audited."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.permissions import Target
from xinyong.auth.principal import Principal
from xinyong.catalog import get_item
from xinyong.errors import NotFound, PermissionDenied
from xinyong.evaluation import recognition
from xinyong.evaluation.compiled import Moment, in_decay, read_records, record_points
from xinyong.evaluation.models import EvaluationContribution, EvaluationResult, EvaluationRun
from xinyong.evaluation.recognition import Shown
from xinyong.evaluation.runs import model_named
from xinyong.policy import load_policy
from xinyong.policy.loader import on_forget
from xinyong.policy.schemas.evaluation import EvaluationModel, Indicator, Override, Reads
from xinyong.records.models import Record
from xinyong.subjects.models import Subject
from xinyong.subjects.service import subject_target

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Behind:
    record_id: int
    item_name: str
    decision_date: date | None
    document_number: str | None
    points: Decimal  # before the indicator's cap


@dataclass(frozen=True)
class Part:
    code: str
    name: str
    points: Decimal  # after the cap, as the run stored it
    cap: Decimal | None
    source: str
    records: list[Behind]


@dataclass(frozen=True)
class DimensionPart:
    code: str
    name: str
    weight: Decimal
    base: Decimal
    full: Decimal
    indicators: list[Part]
    hold: Decimal  # what holding the dimension between 0 and full points added (≤ 0 or ≥ 0)
    score: Decimal


@dataclass(frozen=True)
class Applied:
    code: str
    reason: str
    at_most: str


@dataclass(frozen=True)
class Past:
    run_id: int
    as_of: datetime
    score: Decimal
    grade: str


@dataclass(frozen=True)
class Explanation:
    subject_id: int
    model: EvaluationModel
    run_id: int
    as_of: datetime
    score: Decimal
    grade: str
    grade_label: str
    band_grade: str  # the grade the score alone gives
    dimensions: list[DimensionPart]
    overrides: list[Applied]
    history: list[Past]  # this model's runs of the subject, newest first
    recognised: list[Shown]  # other platforms' grades of it (互认), with their source


def models_for(subject_type: str) -> list[EvaluationModel]:
    return [
        m
        for m in load_policy().evaluation_models.values()
        if subject_type in {t.value for t in m.subject_types}
    ]


def explain(
    session: Session,
    viewer: Principal,
    subject_id: int,
    as_of: datetime | None = None,
    model_code: str | None = None,
) -> Explanation:
    """The explanation of the subject's grade in the run in force at `as_of` (now when None)."""
    missing = NotFound(f"没有该主体的信用评价：{subject_id}", "evaluation.not_found")
    # By role first: who may not look at grades at all learns nothing of which ids exist. A
    # model public by its `visible_to` opens only its grade, of now, to the public
    # (`evaluation.published`), never the records behind it or an earlier run.
    permissions.require(session, viewer, "evaluation.view")
    subject = session.get(Subject, subject_id)
    if subject is None or subject.merged_into is not None:
        raise missing
    choices = [model_named(model_code)] if model_code else models_for(subject.subject_type)
    if not choices:
        raise missing
    model = choices[0]
    target = subject_target(session, subject)
    permissions.require(session, viewer, "evaluation.view", target, unseen=missing)
    _require_visible(viewer, model, subject.id)
    moment = as_of or clock.now()
    found = session.execute(
        select(EvaluationRun, EvaluationResult)
        .join(EvaluationResult, EvaluationResult.run_id == EvaluationRun.id)
        .where(
            EvaluationRun.model_code == model.code,
            EvaluationRun.finished_at.is_not(None),
            EvaluationRun.as_of <= moment,
            EvaluationResult.subject_id == subject.id,
        )
        .order_by(EvaluationRun.as_of.desc(), EvaluationRun.id.desc())
        .limit(1)
    ).first()
    if found is None:
        raise missing
    run, result = found
    explanation = _explain(session, model, run, result)
    audit.write(
        session,
        viewer.actor,
        "evaluation.view",
        "subject",
        subject.id,
        {"model": model.code, "run_id": run.id, "grade": result.grade},
    )
    return explanation


def scored_dimensions(
    session: Session,
    model: EvaluationModel,
    result: EvaluationResult,
    behind: Callable[[Indicator], list[Behind]] = lambda _indicator: [],
) -> list[DimensionPart]:
    """Each dimension of the result as the run stored it (one read of its contributions):
    base, what each indicator gave, the hold, the score; `behind` names the records behind an
    indicator (none by default: the public sees no records)."""
    stored = dict(
        session.execute(
            select(EvaluationContribution.indicator, EvaluationContribution.points).where(
                EvaluationContribution.run_id == result.run_id,
                EvaluationContribution.subject_id == result.subject_id,
            )
        ).all()
    )
    dimensions = []
    for dimension in model.dimensions:
        parts = [
            Part(
                i.code,
                i.name,
                Decimal(stored.get(i.code, 0)).quantize(CENT),
                i.cap,
                i.source,
                behind(i),
            )
            for i in dimension.indicators
        ]
        base, full = model.base(dimension), model.full_points(dimension)
        raw = base + sum((p.points for p in parts), Decimal(0))
        score = min(max(raw, Decimal(0)), full)
        dimensions.append(
            DimensionPart(
                dimension.code,
                dimension.name,
                dimension.weight,
                base.quantize(CENT),
                full.quantize(CENT),
                parts,
                (score - raw).quantize(CENT),
                score.quantize(CENT),
            )
        )
    return dimensions


def _explain(
    session: Session, model: EvaluationModel, run: EvaluationRun, result: EvaluationResult
) -> Explanation:
    # A run about the moment it started read the records' own columns; explaining it later
    # reads them as they were then.
    moment = Moment.of(run.as_of, now=False)
    dimensions = scored_dimensions(
        session, model, result, lambda i: _behind(session, model, i, result.subject_id, moment)
    )
    score = Decimal(result.score).quantize(CENT)
    band = next(b for b in model.bands if score >= b.min)
    applied = [
        Applied(o.code, o.reason, o.at_most)
        for o in model.overrides
        if model.rank(o.at_most) > model.rank(band.grade)
        and _any(session, model, o, result.subject_id, moment)
    ]
    history = [
        Past(run_id, as_of, Decimal(past_score).quantize(CENT), grade)
        for run_id, as_of, past_score, grade in session.execute(
            select(
                EvaluationRun.id,
                EvaluationRun.as_of,
                EvaluationResult.score,
                EvaluationResult.grade,
            )
            .join(EvaluationResult, EvaluationResult.run_id == EvaluationRun.id)
            .where(
                EvaluationRun.model_code == model.code,
                EvaluationRun.finished_at.is_not(None),
                EvaluationResult.subject_id == result.subject_id,
            )
            .order_by(EvaluationRun.as_of.desc(), EvaluationRun.id.desc())
            .limit(20)
        )
    ]
    return Explanation(
        subject_id=result.subject_id,
        model=model,
        run_id=run.id,
        as_of=run.as_of,
        score=score,
        grade=result.grade,
        grade_label=model.band(result.grade).label,
        band_grade=band.grade,
        dimensions=dimensions,
        overrides=applied,
        history=history,
        recognised=recognition.recognised(session, result.subject_id),
    )


# Placeholders of a statement built with bound dates (Moment.bound): never read.
_BOUND = Moment(datetime(2000, 1, 1, tzinfo=UTC), date(2000, 1, 1), now=False, bound=True)


@functools.cache
def _behind_statement(model_code: str, indicator_code: str, now: bool) -> Select[Any]:
    """The records an indicator reads for one subject (`subject_id`), with their points, built
    once per policy (on_forget below) with every date a bind parameter."""
    model = model_named(model_code)
    indicator = next(i for i in model.indicators() if i.code == indicator_code)
    assert indicator.reads is not None
    moment = replace(_BOUND, now=now)
    return (
        select(
            Record.id,
            Record.item_code,
            Record.decision_date,
            Record.document_number,
            record_points(indicator, moment),
        )
        .where(Record.subject_id == bindparam("subject_id"))
        .where(*read_records(indicator.reads, moment), *in_decay(indicator, moment))
        .order_by(Record.decision_date.desc(), Record.id.desc())
        .limit(100)
    )


@functools.cache
def _override_statement(model_code: str, override_code: str, now: bool) -> Select[Any]:
    model = model_named(model_code)
    override = next(o for o in model.overrides if o.code == override_code)
    moment = replace(_BOUND, now=now)
    return (
        select(Record.id)
        .where(Record.subject_id == bindparam("subject_id"))
        .where(*read_records(Reads(items=override.items), moment))
        .limit(1)
    )


on_forget(_behind_statement.cache_clear)
on_forget(_override_statement.cache_clear)


def _behind(
    session: Session, model: EvaluationModel, indicator: Indicator, subject_id: int, moment: Moment
) -> list[Behind]:
    """The records an indicator read for the subject, each with its own points."""
    if indicator.reads is None:
        return []
    statement = _behind_statement(model.code, indicator.code, moment.now)
    rows = session.execute(statement, {"subject_id": subject_id, **moment.values()})
    each = indicator.measure == "each"
    return [
        Behind(
            record_id,
            get_item(item_code).name,
            decided,
            number,
            Decimal(points if each else 0).quantize(CENT),
        )
        for record_id, item_code, decided, number, points in rows
    ]


def _any(
    session: Session, model: EvaluationModel, override: Override, subject_id: int, moment: Moment
) -> bool:
    statement = _override_statement(model.code, override.code, moment.now)
    found = session.scalar(statement, {"subject_id": subject_id, **moment.values()})
    return found is not None


def grade_visible(viewer: Principal, model: EvaluationModel, target: Target) -> bool:
    """May `viewer` read the model's grade of the subject `target` (a credit report asks):
    the model's `visible_to` on top of the permission `evaluation.view`, as `explain` judges."""
    if model.visible_to.public:
        return True
    if not permissions.may(viewer, "evaluation.view", target):
        return False
    seen = model.visible_to
    if viewer.role is not None and viewer.role in seen.roles:
        return True
    return seen.subject and viewer.subject_id == target.subject_id


def _require_visible(viewer: Principal, model: EvaluationModel, subject_id: int) -> None:
    """The model's own rule on top of the permission: which staff roles, the subject itself."""
    seen = model.visible_to
    if viewer.role is not None and viewer.role in seen.roles:
        return
    if seen.subject and viewer.subject_id == subject_id:
        return
    raise PermissionDenied("该信用评价结果不向此账号公开", "evaluation.forbidden")
