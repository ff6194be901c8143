"""Who a plan may draw: the subjects in its scope as they stood at the draw (registered by then,
verified, not ended, not merged), each in the supervision class its grade places it in — the
department's own sector evaluation (行业信用评价) where the scheme names one and it graded the
subject, else the general model's grade of its type, else the scheme's ungraded class — less
those the department's draws of the year have already taken as often as their class allows
(`per_year`). One set-based query; `draws` draws from it and `verify` reads it again."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, null, select
from sqlalchemy.orm import Session

from xinyong.clock import SHANGHAI
from xinyong.db import plain_rows
from xinyong.evaluation.results import grades, run_in_force
from xinyong.policy import load_policy
from xinyong.policy.schemas.supervision import Scheme
from xinyong.subjects.models import Subject
from xinyong.subjects.status import ENDED
from xinyong.supervision import drawing
from xinyong.supervision.models import Draw, DrawnSubject, Plan


class Candidates(NamedTuple):
    classes: dict[str, list[int]]  # class → ids, ascending
    digest: str  # drawing.candidates_digest of them
    reached: dict[str, int]  # class → subjects left out, drawn `per_year` times this year


def runs_for(session: Session, plan: Plan, scheme: Scheme, at: datetime) -> dict[str, int | None]:
    """The evaluation run in force at `at` of each model grading the plan's subject types, and
    of the scheme's sector model."""
    supervision = load_policy().supervision
    models = {supervision.model_for(t) for t in plan.subject_types}
    if scheme.sector_model:
        models.add(scheme.sector_model)
    return {model: run_in_force(session, model, at) for model in sorted(models)}


def candidates(
    session: Session, plan: Plan, scheme: Scheme, runs: dict[str, int | None], at: datetime
) -> Candidates:
    query = _classed(plan, scheme, runs).where(*in_scope(plan, at)).order_by(Subject.id)
    reached: Counter[str] = Counter()
    if session.scalar(select(exists(_drawn_this_year(plan, at)))):
        cap = {klass.code: klass.per_year for klass in scheme.classes}
        times = _times_this_year(plan, at)
        query = query.outerjoin(times, times.c.subject_id == Subject.id).add_columns(times.c.n)
        lines = []
        for subject_id, code, n in plain_rows(session, query):
            if n is not None and n >= cap[code]:
                reached[code] += 1
            else:
                lines.append((subject_id, code))
    else:  # the year's first draw: nothing to count
        lines = plain_rows(session, query)
    classes: dict[str, list[int]] = {klass.code: [] for klass in scheme.classes}
    for subject_id, code in lines:
        classes[code].append(subject_id)
    return Candidates(classes, drawing.candidates_digest(lines), dict(reached))


def _classed(plan: Plan, scheme: Scheme, runs: dict[str, int | None]) -> Select[Any]:
    """Subject ids with their class code as SQL: a CASE over the sector grade, falling back to
    one over the general grade, falling back to the ungraded class."""
    supervision = load_policy().supervision
    query = select(Subject.id)
    general: list[ColumnElement[Any]] = []
    for model, run_id in runs.items():
        if run_id is None or model == scheme.sector_model:
            continue
        types = [t for t in plan.subject_types if supervision.model_for(t) == model]
        given = grades(run_id).subquery()
        query = query.outerjoin(
            given, and_(given.c.subject_id == Subject.id, Subject.subject_type.in_(types))
        )
        general.append(given.c.grade)
    grade = func.coalesce(*general) if len(general) > 1 else general[0] if general else null()
    by_grade = {g: klass.code for klass in scheme.classes for g in klass.grades}
    code: ColumnElement[Any] = case(by_grade, value=grade, else_=literal(scheme.ungraded))
    sector_run = runs.get(scheme.sector_model) if scheme.sector_model else None
    if sector_run is not None:
        sector = grades(sector_run).subquery()
        query = query.outerjoin(sector, sector.c.subject_id == Subject.id)
        by_sector = {g: klass.code for klass in scheme.classes for g in klass.sector_grades}
        code = case(by_sector, value=sector.c.grade, else_=code)
    return query.add_columns(code)


def in_scope(plan: Plan, at: datetime) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        Subject.subject_type.in_(plan.subject_types),
        Subject.region_code.startswith(plan.region_prefix),
        Subject.merged_into.is_(None),
        Subject.verified.is_(True),
        Subject.status.not_in(sorted(ENDED)),
        Subject.created_at <= at,
    ]
    if plan.name_keyword:
        where.append(Subject.name.contains(plan.name_keyword, autoescape=True))
    return where


def _drawn_this_year(plan: Plan, at: datetime) -> Select[Any]:
    """The subjects the plan's department drew from 1 January (Beijing time) until `at`."""
    new_year = datetime(at.astimezone(SHANGHAI).year, 1, 1, tzinfo=SHANGHAI)
    return (
        select(DrawnSubject.subject_id)
        .join(Draw, Draw.id == DrawnSubject.draw_id)
        .join(Plan, Plan.id == Draw.plan_id)
        .where(
            Plan.department_id == plan.department_id,
            Draw.drawn_at >= new_year,
            Draw.drawn_at < at,  # a verification re-reads as of its draw: not itself, none later
        )
    )


def _times_this_year(plan: Plan, at: datetime) -> Any:
    drawn = _drawn_this_year(plan, at).subquery()
    return (
        select(drawn.c.subject_id, func.count().label("n")).group_by(drawn.c.subject_id).subquery()
    )
