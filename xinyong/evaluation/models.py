"""Evaluation runs and their results: one row per subject per run (score, grade) and one per
subject and indicator that scored (its points), so that any run's grades can be explained and
every run is kept (grade history, `as_of`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, UtcDateTime

Points = Numeric(12, 2)


class EvaluationRun(Base):
    __tablename__ = "evaluation_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    model_code: Mapped[str] = mapped_column(String(32))
    model_version: Mapped[int] = mapped_column(Integer)
    # The moment the records were read as of (the run's `as_of`; now, for a nightly run).
    as_of: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # None: not complete
    subjects: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(64))  # who asked: a user, the scheduler, the CLI

    __table_args__ = (Index("ix_evaluation_runs_model_as_of", "model_code", "as_of"),)


class EvaluationResult(Base):
    __tablename__ = "evaluation_results"

    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id"), primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    score: Mapped[Decimal] = mapped_column(Points)
    grade: Mapped[str] = mapped_column(String(8))

    __table_args__ = (Index("ix_evaluation_results_subject", "subject_id", "run_id"),)


class RecognisedEvaluation(Base):
    """Another platform's evaluation of a subject we share (互认, seed 000 四(四)): shown beside
    ours with its source, never mixed into our scores."""

    __tablename__ = "recognised_evaluations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    platform: Mapped[str] = mapped_column(String(100))  # e.g. 深圳市公共信用信息平台
    model_name: Mapped[str] = mapped_column(String(200))
    grade: Mapped[str] = mapped_column(String(16))
    score: Mapped[Decimal | None] = mapped_column(Points)
    evaluated_on: Mapped[date] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    imported_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("subject_id", "platform", "model_name", "evaluated_on"),
        Index("ix_recognised_evaluations_subject", "subject_id", "evaluated_on"),
    )


class EvaluationContribution(Base):
    """What one indicator gave one subject in one run (after its cap); indicators that gave
    nothing have no row."""

    __tablename__ = "evaluation_contributions"

    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id"), primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(32), primary_key=True)
    points: Mapped[Decimal] = mapped_column(Points)
