"""What the public sees of a subject's 公共信用综合评价, where a model's `visible_to.public` makes
it public (no shipped model does: the results are shared, not public, 发改办财金〔2019〕885号):
the grade and score the run in force now gave it, each dimension's score, the model's name and
source and the run's date. Never the indicators, the records behind them, the overrides, the
grade history or an earlier run (`as_of`): those stay with staff and the subject itself
(`explain`, which the rest of `visible_to` governs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.evaluation import results
from xinyong.evaluation.explain import CENT, models_for, scored_dimensions
from xinyong.evaluation.models import EvaluationResult, EvaluationRun
from xinyong.policy import load_policy
from xinyong.policy.schemas.evaluation import EvaluationModel
from xinyong.subjects.models import Subject


@dataclass(frozen=True)
class PublicDimension:
    name: str
    score: Decimal
    full: Decimal


@dataclass(frozen=True)
class PublicGrade:
    model_name: str
    model_source: str
    evaluated_on: date  # the day in China the run read the records as of
    grade: str
    grade_label: str
    score: Decimal
    dimensions: list[PublicDimension]


def public_model(subject_type: str) -> EvaluationModel | None:
    """The model that grades this type (the first, as `explain` takes it), if it is public."""
    models = models_for(subject_type)
    return models[0] if models and models[0].visible_to.public else None


def public_grade(session: Session, subject_id: int) -> PublicGrade | None:
    """The subject's grade in its public model's run in force now; None when no model of its
    type is public or that run did not grade it. There is no `as_of`: the public sees now."""
    if not any(m.visible_to.public for m in load_policy().evaluation_models.values()):
        return None  # as shipped: nothing to read
    subject = session.get(Subject, subject_id)
    if subject is None or subject.merged_into is not None:
        return None
    model = public_model(subject.subject_type)
    run_id = results.run_in_force(session, model.code) if model else None
    result = session.get(EvaluationResult, (run_id, subject_id)) if run_id else None
    if model is None or result is None:
        return None
    run = session.get_one(EvaluationRun, result.run_id)
    score = Decimal(result.score).quantize(CENT)
    return PublicGrade(
        model_name=model.name,
        model_source=model.source,
        evaluated_on=run.as_of.astimezone(clock.SHANGHAI).date(),
        grade=result.grade,
        grade_label=model.band(result.grade).label,
        score=score,
        dimensions=[
            PublicDimension(d.name, d.score, d.full)
            for d in scored_dimensions(session, model, result)
        ],
    )
