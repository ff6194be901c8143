"""A case's running deadline: set from a transition's policy, counted in working or natural
days by `xinyong.workdays` (the one working-day helper), stopped and resumed, and the
reminders planned for it (written when the deadline is set, so finding the due ones is one
indexed query, whatever the calendar)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from xinyong import clock, workdays
from xinyong.cases.models import Case, CaseReminder
from xinyong.policy.schemas import Deadline

Counting = Literal["working", "natural"]


def after(start: date, counting: Counting, days: int) -> workdays.Deadline:
    """The last day of `days` days counted after `start` (`start` itself not counted)."""
    if counting == "working":
        return workdays.add_working_days(start, days)
    return workdays.Deadline(start + timedelta(days=days), provisional=False)


def before(due: date, counting: Counting, days: int) -> date:
    """The day `days` days before `due` (a working day, when counting working days)."""
    if counting == "working":
        return workdays.working_days_before(due, days)
    return due - timedelta(days=days)


def left(start: date, due: date, counting: Counting) -> int:
    """Days of the deadline still to run after `start`."""
    if counting == "working":
        return workdays.working_days_between(start, due)
    return max((due - start).days, 0)


def start(session: Session, case: Case, rule: Deadline, days: int | None) -> workdays.Deadline:
    """Set the case's deadline from the transition's `rule`, counted from today; `days` is the
    length when the rule says it comes from another policy file (`days_from`)."""
    if (rule.days is None) == (days is None):
        origin = "comes from the policy" if rule.days else f"needs `days` ({rule.days_from})"
        raise ValueError(f"case {case.id}: the deadline {origin}")
    length = rule.days or days
    assert length is not None
    deadline = after(clock.today(), rule.count, length)
    case.due, case.due_count, case.suspended_on = deadline.on, rule.count, None
    plan_reminders(session, case, rule.remind_before)
    return deadline


def answer_due(rule: Deadline, days: int | None) -> date:
    """The last day to answer the applicant, counted from today (the case's opening)."""
    length = rule.days or days
    if length is None:
        raise ValueError(f"the answer deadline needs `days` ({rule.days_from})")
    return after(clock.today(), rule.count, length).on


def end(session: Session, case: Case) -> None:
    """The case has no deadline running any more (a step moved it on without a new one)."""
    case.due, case.due_count, case.suspended_on = None, None, None
    _drop_planned(session, case)


def resume(session: Session, case: Case) -> int:
    """Restart a stopped deadline: what was left of it when it stopped runs from today. Returns
    the days excluded (working or natural, as the deadline counts)."""
    assert case.due is not None and case.suspended_on is not None
    counting: Counting = "natural" if case.due_count == "natural" else "working"
    today = clock.today()
    remaining = left(case.suspended_on, case.due, counting)
    new_due = after(today, counting, remaining).on if remaining else max(today, case.due)
    excluded = left(case.suspended_on, today, counting)
    if case.answer_due is not None:  # the time stopped is not counted against it either
        remaining_answer = left(case.suspended_on, case.answer_due, counting)
        case.answer_due = (
            after(today, counting, remaining_answer).on
            if remaining_answer
            else (max(today, case.answer_due))
        )
    offsets = session.scalars(
        select(CaseReminder.before_days)
        .where(CaseReminder.case_id == case.id, CaseReminder.due == case.due)
        .distinct()
    ).all()
    case.due, case.suspended_on = new_due, None
    case.suspended_days = (case.suspended_days or 0) + excluded
    plan_reminders(session, case, sorted(offsets, reverse=True))
    return excluded


def plan_reminders(session: Session, case: Case, offsets: list[int]) -> None:
    """Plan one reminder per offset before the case's deadline, replacing the ones of an
    earlier deadline that were not taken yet."""
    _drop_planned(session, case)
    assert case.due is not None
    counting: Counting = "natural" if case.due_count == "natural" else "working"
    for offset in offsets:
        session.add(
            CaseReminder(
                case_id=case.id,
                due=case.due,
                before_days=offset,
                remind_on=before(case.due, counting, offset),
            )
        )


def _drop_planned(session: Session, case: Case) -> None:
    session.execute(
        delete(CaseReminder).where(CaseReminder.case_id == case.id, CaseReminder.taken_at.is_(None))
    )
