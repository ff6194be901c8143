"""The supervision tables: each department's inspectors (执法人员) and their 回避 links to
subjects, inspection plans, draws (one per plan, with the seed and inputs that let anyone re-run
it), the subjects each draw took with their inspectors, and the results recorded for them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, Json, UtcDateTime


class Inspector(Base):
    __tablename__ = "supervision_inspectors"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    name: Mapped[str] = mapped_column(String(64))
    badge_number: Mapped[str] = mapped_column(String(64))  # 执法证号
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("department_id", "badge_number"),)


class Avoidance(Base):
    """回避: the inspector is never drawn for the subject while the link holds (`ended_at`
    None). It follows the subject through a merge: the conflict is with the entity."""

    __tablename__ = "supervision_avoidances"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("supervision_inspectors.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_supervision_avoidances_inspector", "inspector_id", "subject_id"),)


class Plan(Base):
    """A department's inspection plan: the matter (检查事项), the scope (region prefix, subject
    types, a word in the name), the period, and how many inspectors go to each subject."""

    __tablename__ = "supervision_plans"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    matter: Mapped[str] = mapped_column(String(500))
    region_prefix: Mapped[str] = mapped_column(String(6))
    subject_types: Mapped[list[str]] = mapped_column(Json)
    name_keyword: Mapped[str | None] = mapped_column(String(64))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    inspectors_per_subject: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))


class Draw(Base):
    """The one draw of a plan (a second would let a department pick the draw it liked): the
    seed, the moment its candidates were read as of, and its inputs (candidates and draws per
    class, ratios, the evaluation runs read, the candidates' digest, the policy's version and
    digest) — what re-running it needs and what is published."""

    __tablename__ = "supervision_draws"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("supervision_plans.id"), unique=True)
    seed: Mapped[str] = mapped_column(String(64))
    drawn_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    inputs: Mapped[dict[str, Any]] = mapped_column(Json)


class DrawnSubject(Base):
    """A subject a draw took: its class then, its draw key and the inspectors drawn for it.
    Kept as drawn when subjects are merged. The ids refer to supervision_draws and subjects
    without foreign keys: the rows are written once, in the draw's transaction, from what it
    read, and on PostgreSQL each row's check (a lock on its subject) cost more than the row
    (decision 0016)."""

    __tablename__ = "supervision_drawn"

    draw_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    class_code: Mapped[str] = mapped_column(String(8))
    draw_key: Mapped[str] = mapped_column(String(64))
    inspector_ids: Mapped[list[int]] = mapped_column(Json)


class InspectionResult(Base):
    """What the inspectors found at a drawn subject, and the 行政监督检查 record it became."""

    __tablename__ = "supervision_results"

    draw_id: Mapped[int] = mapped_column(ForeignKey("supervision_draws.id"), primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(32))
    inspected_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
