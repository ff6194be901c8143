"""Reading grades: the run of a model in force at a moment (its latest finished run with an
`as_of` at or before it) and the grades it gave, as SQL other parts join (supervision's
classes), so that no caller reads the results tables itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.evaluation.models import EvaluationResult, EvaluationRun


def run_in_force(session: Session, model_code: str, at: datetime | None = None) -> int | None:
    """The id of the model's run in force at `at` (now when None); None before its first run."""
    return session.scalar(
        select(EvaluationRun.id)
        .where(
            EvaluationRun.model_code == model_code,
            EvaluationRun.finished_at.is_not(None),
            EvaluationRun.as_of <= (at or clock.now()),
        )
        .order_by(EvaluationRun.as_of.desc(), EvaluationRun.id.desc())
        .limit(1)
    )


def grades(run_id: int) -> Select[int, str]:
    """(subject_id, grade) of every subject the run graded, to join on subject ids."""
    return select(EvaluationResult.subject_id, EvaluationResult.grade).where(
        EvaluationResult.run_id == run_id
    )


def grades_of(session: Session, run_id: int, subject_ids: list[int]) -> dict[int, str]:
    """The grades the run gave these subjects (those it did not grade are left out)."""
    rows = session.execute(grades(run_id).where(EvaluationResult.subject_id.in_(subject_ids)))
    return {subject_id: grade for subject_id, grade in rows}


def run_as_of(session: Session, run_id: int) -> datetime:
    """The moment a run graded as of (what a grade shown elsewhere is dated by)."""
    return session.scalars(select(EvaluationRun.as_of).where(EvaluationRun.id == run_id)).one()
