"""What is late and what is coming: overdue and due-soon cases per principal, and the
reminders that fall due — each one set-based query, whatever the number of cases.

A principal sees the cases of a kind where its role may do the kind's `view_action`, inside
its scope (`permissions.departments_where`). Open cases are not public: a page that shows
these lists audits the view, as `xinyong.lists.service.recent_cases` does.

Reminders are planned rows (`case_reminders`) handed over once: `take_reminders` marks the
due ones taken in the caller's transaction, so a notifier (issue 13's outbox) that writes its
messages in the same transaction sends each exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, false, func, or_, select, update
from sqlalchemy.orm import Session

from xinyong import clock, workdays
from xinyong.auth import permissions
from xinyong.auth.principal import Principal
from xinyong.cases import kinds
from xinyong.cases.models import Case, CaseReminder


def overdue(
    session: Session, principal: Principal, as_of: date | None = None, limit: int = 500
) -> Sequence[Case]:
    """Open cases whose running deadline, or whose deadline to answer the applicant, ended
    before `as_of` (default today), the longest overdue first; a stopped deadline is not
    overdue."""
    day = as_of or clock.today()
    late = or_(Case.due < day, Case.answer_due < day)
    query = _open(principal).where(late)
    latest = func.coalesce(Case.due, Case.answer_due)
    return session.scalars(query.order_by(latest, Case.id).limit(limit)).all()


def due_soon(
    session: Session,
    principal: Principal,
    as_of: date | None = None,
    working_days: int = 2,
    limit: int = 500,
) -> Sequence[Case]:
    """Open cases due from `as_of` to `working_days` working days after it: the deciding
    department's reminder list."""
    day = as_of or clock.today()
    last = workdays.add_working_days(day, working_days).on
    query = _running(principal).where(Case.due >= day, Case.due <= last)
    return session.scalars(query.order_by(Case.due, Case.id).limit(limit)).all()


@dataclass(frozen=True)
class Reminder:
    """A deadline to remind of: the case's deciding department and, for a notifier that
    tells the subject too, the subject."""

    reminder_id: int
    case_id: int
    kind: str
    state: str
    subject_id: int
    department_id: int
    due: date
    before_days: int


def take_reminders(session: Session, as_of: date | None = None) -> list[Reminder]:
    """The planned reminders that have fallen due by `as_of` on open, running cases, marked
    taken (in the caller's transaction) so the next call does not return them again."""
    day = as_of or clock.today()
    query = (
        select(
            CaseReminder.id,
            Case.id,
            Case.kind,
            Case.state,
            Case.subject_id,
            Case.department_id,
            CaseReminder.due,
            CaseReminder.before_days,
        )
        .join(Case, Case.id == CaseReminder.case_id)
        .where(
            CaseReminder.remind_on <= day,
            CaseReminder.taken_at.is_(None),
            CaseReminder.due == Case.due,
            Case.closed_at.is_(None),
            Case.suspended_on.is_(None),
        )
        .order_by(CaseReminder.remind_on, CaseReminder.id)
    )
    found = [Reminder(*row) for row in session.execute(query)]
    if found:
        session.execute(
            update(CaseReminder)
            .where(CaseReminder.id.in_([r.reminder_id for r in found]))
            .values(taken_at=clock.now()),
            execution_options={"synchronize_session": False},
        )
    return found


def _running(principal: Principal):  # type: ignore[no-untyped-def]
    return _open(principal).where(Case.due.is_not(None))


def _open(principal: Principal):  # type: ignore[no-untyped-def]
    return select(Case).where(
        Case.closed_at.is_(None), Case.suspended_on.is_(None), visible_to(principal)
    )


def visible_to(principal: Principal) -> ColumnElement[bool]:
    """SQL: the case is of a kind whose cases the principal may see, in its scope (an
    applicant: its own subject's)."""
    clauses = [
        and_(
            Case.kind == code,
            permissions.departments_where(principal, kind.view_action, Case.department_id)
            if principal.role is not None
            else permissions.subjects_where(principal, kind.view_action, Case.subject_id),
        )
        for code, kind in kinds.all_kinds().items()
        if permissions.may(principal, kind.view_action)
    ]
    return or_(*clauses) if clauses else false()
