"""Checks (核查) and what departments did with them (反馈)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, Json, UtcDateTime


class CheckBatch(Base):
    """One call: who asked, about which matter, when and as of when (a single check is a batch
    of one). What is common to a hundred thousand answers is stored once."""

    __tablename__ = "check_batches"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    matter: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    actor: Mapped[str] = mapped_column(String(64))
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    as_of: Mapped[datetime] = mapped_column(UtcDateTime)
    size: Mapped[int] = mapped_column(Integer)
    hits: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_check_batches_department", "department_id", "asked_at"),)


class Check(Base):
    """One answer as given: the lists and measures that applied then."""

    __tablename__ = "checks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("check_batches.id"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))
    identifier: Mapped[str] = mapped_column(String(255))  # as asked (ID numbers masked)
    lists: Mapped[list[Any]] = mapped_column(Json)
    measures: Mapped[list[Any]] = mapped_column(Json)
    # ",C01,J02,": the codes of the measures that applied, for counting hits per measure
    measure_codes: Mapped[str] = mapped_column(String(255))
    hit: Mapped[bool] = mapped_column(Boolean)


class CheckFeedback(Base):
    __tablename__ = "check_feedback"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    measure_code: Mapped[str] = mapped_column(String(32))
    applied: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)


class CheckReceipt(Base):
    """The printed 联合奖惩核查结果 of a check: numbered like a credit report and kept as first
    printed, so a reprint gives the same file and its number verifies (decision 0017)."""

    __tablename__ = "check_receipts"

    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id"), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    issued_by: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
