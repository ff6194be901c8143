"""A listing case: one subject going through the listing procedure of one list type."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, UtcDateTime


class CaseStatus(StrEnum):
    PROPOSED = "proposed"
    NOTIFIED = "notified"
    LISTED = "listed"
    REMOVED = "removed"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return CASE_LABELS[self]


CASE_LABELS = {
    CaseStatus.PROPOSED: "拟列入",
    CaseStatus.NOTIFIED: "已告知",
    CaseStatus.LISTED: "已列入",
    CaseStatus.REMOVED: "已移出",
    CaseStatus.DROPPED: "不予列入",
}


class ListCase(Base):
    """Every step is dated here and written to the audit log; once listed, the entry itself is
    the record `record_id` (published, expired, repaired or removed like any record)."""

    __tablename__ = "list_cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    list_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    document_number: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    statement_due: Mapped[date | None] = mapped_column(Date)
    statement: Mapped[str | None] = mapped_column(Text)  # what the subject said in its defence
    listed_on: Mapped[date | None] = mapped_column(Date)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    close_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_list_cases_subject", "subject_id", "list_type"),)

    @property
    def status_label(self) -> str:
        return CaseStatus(self.status).label

    @property
    def next_steps(self) -> list[tuple[str, str]]:
        """(action, Chinese label) of the steps the procedure allows from here."""
        return NEXT_STEPS[CaseStatus(self.status)]


NEXT_STEPS = {
    CaseStatus.PROPOSED: [("notify", "告知"), ("drop", "不予列入")],
    CaseStatus.NOTIFIED: [("statement", "记录陈述申辩"), ("enter", "列入"), ("drop", "不予列入")],
    CaseStatus.LISTED: [("remove", "移出")],
    CaseStatus.REMOVED: [],
    CaseStatus.DROPPED: [],
}
