"""Numbered notices served on a subject with a department's decision (两书同达)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, UtcDateTime


class Notice(Base):
    """One notice of one kind on one record (a penalty, a list entry): issued once, printed as
    often as needed. The activation code it carries is kept only as its HMAC (activation_codes)."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # repair_notice
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    issued_by: Mapped[str] = mapped_column(String(64))
    activation_code_id: Mapped[int | None] = mapped_column(ForeignKey("activation_codes.id"))

    __table_args__ = (UniqueConstraint("kind", "record_id"),)
