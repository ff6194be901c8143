"""The reminders job: each case reminder that has fallen due becomes, in the same
transaction that takes it, a message on the deciding department's reminder list and, where
the deadline's policy says the subject is told (`tell_subject`), one to the subject. A
reminder is taken once, so running the job again sends nothing twice.

The words come from the case kind's policy — its noun, the step that set the deadline and the
deadline's label — so a new kind (repair, objection) is reminded of without code here."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.cases import kinds, queues
from xinyong.cases.models import CaseStep
from xinyong.cases.queues import Reminder
from xinyong.notifications.models import ChannelName, RecipientKind
from xinyong.notifications.service import notify
from xinyong.policy.schemas import CaseKind, Transition

OTHERWISE = "办理期限"


def send_reminders(session: Session) -> int:
    """Write the messages of every reminder due today; returns how many were written."""
    taken = queues.take_reminders(session)
    started = _deadline_steps(session, taken)
    written = 0
    for reminder in taken:
        kind = kinds.kind(reminder.kind)
        step = _deadline_step(kind, reminder, started.get(reminder.case_id))
        title = reminder_title(kind, step, reminder)
        notify(
            session,
            ChannelName.SITE,
            RecipientKind.DEPARTMENT,
            reminder.department_id,
            title,
            _department_body(kind, step, reminder),
            case_id=reminder.case_id,
        )
        written += 1
        if step is not None and step.deadline is not None and step.deadline.tell_subject:
            body = f"您的{title}。如有疑问，请联系承办部门。"
            notify(
                session,
                ChannelName.SITE,
                RecipientKind.SUBJECT,
                reminder.subject_id,
                title,
                body,
                case_id=reminder.case_id,
            )
            written += 1
    return written


def reminder_title(kind: CaseKind, step: Transition | None, reminder: Reminder) -> str:
    """第 12 号列入案件的陈述申辩期将于 2026-10-09 届满"""
    period = _period(step)
    return f"第 {reminder.case_id} 号{kind.noun}的{period}将于 {reminder.due.isoformat()} 届满"


def _period(step: Transition | None) -> str:
    if step is None or step.deadline is None:
        return OTHERWISE
    return step.deadline.label or f"{step.label}期限"


def _department_body(kind: CaseKind, step: Transition | None, reminder: Reminder) -> str:
    counting = step.deadline.count if step is not None and step.deadline else "working"
    unit = "个工作日" if counting == "working" else "日"
    left = "今日届满" if reminder.before_days == 0 else f"还有 {reminder.before_days} {unit}"
    state = kind.state(reminder.state).label
    return (
        f"{kind.name}：第 {reminder.case_id} 号{kind.noun}，当前状态“{state}”，"
        f"{_period(step)}于 {reminder.due.isoformat()} 届满（{left}）。请在期限内办理。"
    )


def _deadline_steps(session: Session, taken: Iterable[Reminder]) -> dict[int, str]:
    """Per case, the latest logged step whose transition sets a deadline (the one running)."""
    reminders = list(taken)
    if not reminders:
        return {}
    names = {
        t.name
        for code in {r.kind for r in reminders}
        for t in kinds.kind(code).transitions
        if t.deadline is not None
    }
    rows = session.execute(
        select(CaseStep.case_id, CaseStep.transition)
        .where(
            CaseStep.case_id.in_({r.case_id for r in reminders}),
            CaseStep.transition.in_(names),
        )
        .order_by(CaseStep.id)
    )
    return {case_id: transition for case_id, transition in rows}  # the last one wins


def _deadline_step(kind: CaseKind, reminder: Reminder, logged: str | None) -> Transition | None:
    """The step that set the running deadline: the logged one, else the kind's first step
    into the case's state that sets one."""
    found = kind.transition(logged) if logged else None
    if found is not None and found.deadline is not None:
        return found
    return next(
        (t for t in kind.transitions if t.to == reminder.state and t.deadline is not None), None
    )
