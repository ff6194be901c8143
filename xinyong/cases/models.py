"""Cases of every kind in one table, their transition log and their planned reminders.

A case = common typed columns that the engine and its queues need (kind, subject, deciding
department, state, deadline, suspension, the record it is about or made) + the kind's own
fields as JSON `details`, as records keep their item's fields (decision 0002, 0007). Each kind
maps a subclass (single-table inheritance on `kind`) that names its details as attributes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ClassVar, Generic, TypeVar, cast, overload

from sqlalchemy import Date, ForeignKey, Index, Integer, LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, Json, UtcDateTime

T = TypeVar("T")


class Case(Base):
    """One matter going through the states its kind's policy declares (`policy/cases/`)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))  # who decides
    # The record the case is about (a repair, an objection) or made (a list entry): the
    # archive asks "is a case open on this record?" by this indexed column.
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    state: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    due: Mapped[date | None] = mapped_column(Date)  # the running deadline's last day
    # The last day the applicant must have its answer by, whatever step the case is at (the
    # kind's `answer_within`, e.g. 10 working days for a repair); moved on by a suspension.
    answer_due: Mapped[date | None] = mapped_column(Date)
    due_count: Mapped[str | None] = mapped_column(String(8))  # "working" or "natural"
    suspended_on: Mapped[date | None] = mapped_column(Date)  # the deadline is stopped since
    suspended_days: Mapped[int] = mapped_column(Integer, default=0)  # excluded so far
    details: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)

    # What the kind's code relies on; the engine checks the policy declares them (kinds.py).
    required_states: ClassVar[frozenset[str]] = frozenset()
    required_transitions: ClassVar[frozenset[str]] = frozenset()

    __mapper_args__ = {  # noqa: RUF012  (SQLAlchemy reads it; typed by its base)
        "polymorphic_on": "kind",
        "polymorphic_abstract": True,
    }
    __table_args__ = (
        Index("ix_cases_subject", "subject_id", "kind"),
        Index("ix_cases_department_due", "department_id", "due"),
        # The overdue queue's other half (`answer_due < today`), migration 0010.
        Index("ix_cases_department_answer_due", "department_id", "answer_due"),
        Index("ix_cases_record", "record_id"),
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CaseStep(Base):
    """One transition taken, by whom and when: the case's own history (the audit log has the
    same step in its tamper-evident chain)."""

    __tablename__ = "case_steps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    transition: Mapped[str] = mapped_column(String(32))  # or suspend / resume
    from_state: Mapped[str | None] = mapped_column(String(32))  # None: the case was opened
    to_state: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))  # the audit log's actor string
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)

    __table_args__ = (Index("ix_case_steps_case", "case_id", "id"),)


class CaseFile(Base):
    """A file handed in with a case (proof of performance, a signed 承诺书, evidence), kept
    whole with its SHA-256 so what was decided on can be shown later exactly as it was."""

    __tablename__ = "case_files"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    material: Mapped[str] = mapped_column(String(32))  # the policy's material code
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(64))  # the actor string

    __table_args__ = (Index("ix_case_files_case", "case_id"),)


class CaseReminder(Base):
    """A reminder planned when a deadline is set, on the day its offset falls; a notifier
    takes the due ones once (`taken_at`). Planned rows of a deadline that changed are deleted."""

    __tablename__ = "case_reminders"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    due: Mapped[date] = mapped_column(Date)  # the deadline it reminds of
    before_days: Mapped[int] = mapped_column(SmallInteger)
    remind_on: Mapped[date] = mapped_column(Date)
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_case_reminders_remind_on", "remind_on"),
        Index("ix_case_reminders_case", "case_id"),
    )


class Detail(Generic[T]):
    """A field of a case's JSON `details`, read and written like an attribute (dates and
    times as ISO text in the JSON). A field the kind may leave unset is `Detail[X | None]`;
    an unset one reads as None."""

    def __init__(self, parse: Callable[[Any], Any] | None = None) -> None:
        self.parse = parse
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, case: None, owner: type) -> Detail[T]: ...
    @overload
    def __get__(self, case: Case, owner: type) -> T: ...
    def __get__(self, case: Case | None, owner: type) -> Detail[T] | T:
        if case is None:
            return self
        value = (case.details or {}).get(self.name)
        return cast(T, self.parse(value) if value is not None and self.parse else value)

    def __set__(self, case: Case, value: T) -> None:
        stored = value.isoformat() if isinstance(value, date | datetime) else value
        case.details = {**(case.details or {}), self.name: stored}
