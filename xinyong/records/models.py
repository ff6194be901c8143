"""Credit records of every catalog item in one table: common columns + the item's JSON payload."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, Json, UtcDateTime


class RecordStatus(StrEnum):
    VALID = "valid"
    REPAIRED = "repaired"
    REVOKED = "revoked"
    EXPIRED = "expired"
    INVALID = "invalid"  # the record says so itself (catalog `invalid_when`), e.g. a licence 注销

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    RecordStatus.VALID: "有效",
    RecordStatus.REPAIRED: "已修复",
    RecordStatus.REVOKED: "已撤销",
    RecordStatus.EXPIRED: "已过公示期",
    RecordStatus.INVALID: "无效",
}


class Record(Base):
    """One version of a record; a correction adds a row and clears is_current on the old one."""

    __tablename__ = "records"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    item_code: Mapped[str] = mapped_column(String(32))
    natural_key: Mapped[str] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    region_code: Mapped[str | None] = mapped_column(String(6))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    document_number: Mapped[str | None] = mapped_column(String(128))
    decision_date: Mapped[date | None] = mapped_column(Date)
    severity: Mapped[str | None] = mapped_column(String(16))
    amount_yuan: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    publish_from: Mapped[date | None] = mapped_column(Date)
    publish_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=RecordStatus.VALID)
    in_objection: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Keyed digest of the cells a collected version was read from (collection.unchanged).
    source_hash: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("item_code", "natural_key", "version"),
        Index("ix_records_subject", "subject_id", "item_code"),
        Index("ix_records_item_decided", "item_code", "decision_date"),
        Index("ix_records_source", "item_code", "source_hash"),
        Index(
            "ix_records_current_key",
            "item_code",
            "natural_key",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )


class RecordEvent(Base):
    """Status changes of a record (repair, withdrawal, expiry, objection), never overwritten."""

    __tablename__ = "record_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    event: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)


class RecordChange(Base):
    """The change feed partners read (`GET /api/v1/changes?since=`): one row, in commit order of
    its id, per change to whether or how a record may be shown — repaired, revoked, expired,
    marked or cleared 异议中, corrected — so that no downstream site keeps a stale record."""

    __tablename__ = "record_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)  # the cursor
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    item_code: Mapped[str] = mapped_column(String(32))
    change: Mapped[str] = mapped_column(String(32))  # repaired, revoked, objection_opened ...
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))

    __table_args__ = (Index("ix_record_changes_record", "record_id"),)
