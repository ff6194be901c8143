"""Running a model: every covered subject graded with a handful of set-based statements per
range of subject ids, each range in its own transaction (a long run never holds the database's
write lock for long), the run marked finished only when every range is in. A run that did not
finish is never read (`finished_at` is None), so a crash leaves nothing half-done that counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, literal, select, text
from sqlalchemy.orm import Session, sessionmaker

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.principal import Principal
from xinyong.auth.service import staff_names
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
    on_range: Callable[[int, int], None] | None = None,
) -> Ran:
    """Grade every subject `model` covers as of `as_of` (now when None), as a new run."""
    with transaction(sessions) as session:
        run_id = start(session, model, actor, as_of)
    return complete(sessions, run_id, on_range)


def start(
    session: Session, model: EvaluationModel, actor: str, as_of: datetime | None = None
) -> int:
    """A new run of `model`, not yet graded (`complete` grades it)."""
    now = clock.now()
    if as_of is not None and as_of > now:
        raise DomainError("评价时点不能晚于现在", "evaluation.future")
    run = EvaluationRun(
        model_code=model.code,
        model_version=model.version,
        as_of=as_of or now,
        started_at=now,
        subjects=0,
        actor=actor,
    )
    session.add(run)
    session.flush()
    return run.id


def request(
    session: Session, viewer: Principal, model_code: str, as_of: datetime | None = None
) -> int:
    """Staff ask for a run now (it is graded after the answer: `complete`); audited."""
    permissions.require(session, viewer, "evaluation.run")
    model = model_named(model_code)
    run_id = start(session, model, viewer.actor, as_of)
    detail = {"model": model.code, "as_of": as_of.isoformat() if as_of else None}
    audit.write(session, viewer.actor, "evaluation.run", "evaluation_run", run_id, detail)
    return run_id


def complete(
    sessions: sessionmaker[Session],
    run_id: int,
    on_range: Callable[[int, int], None] | None = None,
) -> Ran:
    """Grade a started run, range by range, and mark it finished."""
    with transaction(sessions) as session:
        run = session.get_one(EvaluationRun, run_id)
        model = model_named(run.model_code)
        if run.model_version != model.version:
            raise DomainError(
                f"评价模型“{model.code}”已改为第 {model.version} 版，请重新发起评价",
                "evaluation.model_changed",
            )
        # A run about the moment it started reads the records' own columns; one about the
        # past undoes what happened since (records.as_of).
        moment = Moment.of(run.as_of, now=run.as_of >= run.started_at)
        started = run.started_at
        top = session.scalar(select(func.max(Subject.id))) or 0
    for low in range(1, top + 1, RANGE):
        with transaction(sessions) as session:
            _grade_range(session, model, run_id, moment, low, low + RANGE)
        if on_range is not None:
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
    if session.get_bind().dialect.name == "postgresql":
        # JIT compiles each of these large one-off statements afresh: it took half of a run's
        # time at 1M subjects (16 s of a 200,000-subject range, 8 s without).
        session.execute(text("SET LOCAL jit = off"))
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
    """Every model of the policy, one run each (`xinyong evaluate`)."""
    return [evaluate(sessions, m, actor, as_of) for m in load_policy().evaluation_models.values()]


def evaluate_due(session: Session) -> int:
    """The nightly job: each model not yet run today gets a run (so a repair or an objection
    decided yesterday counts in today's grades); returns the subjects graded. The runs take
    their own transactions, range by range, beside the job's."""
    today = clock.today()
    sessions = sessionmaker(bind=session.get_bind())
    graded = 0
    for model in load_policy().evaluation_models.values():
        latest = session.scalar(
            select(func.max(EvaluationRun.as_of)).where(
                EvaluationRun.model_code == model.code, EvaluationRun.finished_at.is_not(None)
            )
        )
        if latest is None or latest.astimezone(clock.SHANGHAI).date() < today:
            graded += evaluate(sessions, model, "job:evaluate").subjects
    return graded


@dataclass(frozen=True)
class RunRow:
    run_id: int
    model_name: str
    as_of: datetime
    started_at: datetime
    finished_at: datetime | None
    subjects: int
    actor: str


def recent(session: Session, viewer: Principal, limit: int = 10) -> list[RunRow]:
    """The latest runs of every model, newest first."""
    permissions.require(session, viewer, "evaluation.run")
    names = {m.code: m.name for m in load_policy().evaluation_models.values()}
    found = list(
        session.scalars(select(EvaluationRun).order_by(EvaluationRun.id.desc()).limit(limit))
    )
    staff = staff_names(session, {r.actor for r in found})
    return [
        RunRow(
            r.id,
            names.get(r.model_code, r.model_code),
            r.as_of,
            r.started_at,
            r.finished_at,
            r.subjects,
            staff.get(r.actor, r.actor),
        )
        for r in found
    ]


def models() -> list[tuple[str, str]]:
    """(code, name) of every model of the policy."""
    return [(m.code, m.name) for m in load_policy().evaluation_models.values()]
