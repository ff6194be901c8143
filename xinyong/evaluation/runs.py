"""Running a model: every covered subject graded with a handful of set-based statements per
range of subject ids, each range in its own transaction (a long run never holds the database's
write lock for long), the run marked finished only when every range is in. A run that did not
finish is never read (`finished_at` is None), so a crash leaves nothing half-done that counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import Session, sessionmaker

from xinyong import clock
from xinyong.db import table_of, transaction
from xinyong.errors import DomainError
from xinyong.evaluation.compiled import Moment, indicator_points, scores
from xinyong.evaluation.models import EvaluationContribution, EvaluationResult, EvaluationRun
from xinyong.policy import load_policy
from xinyong.policy.schemas.evaluation import EvaluationModel
from xinyong.subjects.models import Subject

RANGE = 200_000  # subject ids per transaction


@dataclass(frozen=True)
class Ran:
    run_id: int
    model_code: str
    subjects: int
    grades: dict[str, int]  # grade → subjects
    seconds: float


def model_named(code: str) -> EvaluationModel:
    models = load_policy().evaluation_models
    if code not in models:
        known = "、".join(sorted(models)) or "无"
        raise DomainError(f"没有评价模型“{code}”（现有：{known}）", "evaluation.unknown_model")
    return models[code]


def evaluate(
    sessions: sessionmaker[Session],
    model: EvaluationModel,
    actor: str,
    as_of: datetime | None = None,
    on_range: object = None,
) -> Ran:
    """Grade every subject `model` covers as of `as_of` (now when None), as a new run."""
    started = clock.now()
    moment = Moment(
        at=as_of or started,
        day=(as_of or started).astimezone(clock.SHANGHAI).date(),
        now=as_of is None,
    )
    with transaction(sessions) as session:
        run = EvaluationRun(
            model_code=model.code,
            model_version=model.version,
            as_of=moment.at,
            started_at=started,
            subjects=0,
            actor=actor,
        )
        session.add(run)
        session.flush()
        run_id = run.id
        top = session.scalar(select(func.max(Subject.id))) or 0
    for low in range(1, top + 1, RANGE):
        with transaction(sessions) as session:
            _grade_range(session, model, run_id, moment, low, low + RANGE)
        if callable(on_range):
            on_range(min(low + RANGE - 1, top), top)
    with transaction(sessions) as session:
        grades = dict(
            session.execute(
                select(EvaluationResult.grade, func.count())
                .where(EvaluationResult.run_id == run_id)
                .group_by(EvaluationResult.grade)
            ).all()
        )
        done = session.get_one(EvaluationRun, run_id)
        done.subjects, done.finished_at = sum(grades.values()), clock.now()
        seconds = (done.finished_at - started).total_seconds()
    return Ran(run_id, model.code, sum(grades.values()), grades, seconds)


def _grade_range(
    session: Session, model: EvaluationModel, run_id: int, moment: Moment, low: int, high: int
) -> None:
    contributions = table_of(EvaluationContribution)
    for indicator in model.indicators():
        points = indicator_points(model, indicator, moment, low, high).subquery()
        session.execute(
            insert(contributions).from_select(
                ["run_id", "subject_id", "indicator", "points"],
                select(literal(run_id), points.c[0], literal(indicator.code), points.c[1]),
            )
        )
    session.execute(
        insert(table_of(EvaluationResult)).from_select(
            ["run_id", "subject_id", "score", "grade"], scores(model, run_id, moment, low, high)
        )
    )


def evaluate_all(
    sessions: sessionmaker[Session], actor: str, as_of: datetime | None = None
) -> list[Ran]:
    """Every model of the policy, one run each (the nightly job, `xinyong evaluate`)."""
    return [evaluate(sessions, m, actor, as_of) for m in load_policy().evaluation_models.values()]
