"""The repair reminders job (seed 001 三（二）5, 信用修复提醒机制): for each published penalty or
list entry whose shortest publication period ends — so repair may be applied for — in the
working days notices.yaml names (5 before, and the day itself), one message to the subject
and one to the deciding department's reminder list, each exactly once.

Set-based: one query per shortest period narrows the records by decision date (see
`service.decided_between`), each record's own day is then checked here. What was sent is
remembered as a record event `repair.reminded:<days>` written in the same transaction as the
messages, so a second run, or a second server running the jobs, sends nothing twice. A
reminder whose day passed while the job did not run is sent late (up to `late_days` for the
day itself); one before the day is skipped once the day has come (that day's reminder goes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.orm import Session

from xinyong import clock, workdays
from xinyong.catalog import get_item
from xinyong.notices.models import Notice
from xinyong.notices.service import KIND, decided_between, reminder_span, repair_date
from xinyong.notifications.models import ChannelName, RecipientKind
from xinyong.notifications.service import notify
from xinyong.policy import load_policy
from xinyong.policy.schemas.notices import RepairReminders
from xinyong.records.models import Record, RecordEvent, RecordStatus
from xinyong.subjects.models import Subject

EVENT = "repair.reminded"
ACTOR = "job:repair-reminders"


@dataclass(frozen=True)
class Due:
    record_id: int
    subject_id: int
    department_id: int | None
    subject_name: str
    item_name: str
    document_number: str
    repair_from: date
    days: int  # working days before the repair day (0: the day itself)
    notice: str | None


def send_repair_reminders(session: Session) -> int:
    """Write today's repair reminders; returns how many messages were written."""
    rule = load_policy().notices.reminders
    today = clock.today()
    due = _due(session, rule, today)
    written = 0
    for reminder in due:
        written += _send(session, rule, reminder)
    if due:
        session.execute(
            insert(RecordEvent),
            [
                {
                    "record_id": r.record_id,
                    "at": clock.now(),
                    "event": f"{EVENT}:{r.days}",
                    "from_status": RecordStatus.VALID.value,
                    "to_status": RecordStatus.VALID.value,
                    "actor": ACTOR,
                    "reason": f"可于 {r.repair_from.isoformat()} 起申请信用修复",
                }
                for r in due
            ],
        )
    return written


def _due(session: Session, rule: RepairReminders, today: date) -> list[Due]:
    first, last = reminder_span(today)
    ranges = [
        and_(Record.item_code.in_(codes), Record.decision_date.between(lo, hi))
        for codes, lo, hi in decided_between(first, last)
    ]
    if not ranges:
        return []
    rows = session.execute(
        select(
            Record.id,
            Record.item_code,
            Record.subject_id,
            Record.department_id,
            Record.severity,
            Record.decision_date,
            Record.document_number,
            Subject.name,
            Notice.number,
        )
        .join(Subject, Subject.id == Record.subject_id)
        .outerjoin(Notice, and_(Notice.record_id == Record.id, Notice.kind == KIND))
        .where(
            or_(*ranges),
            Record.is_current,
            Record.status == RecordStatus.VALID.value,
            Record.publish_from <= today,
            or_(Record.publish_until.is_(None), Record.publish_until > today),
        )
        .order_by(Record.id)
    ).all()
    candidates = []
    for row in rows:
        item = get_item(row.item_code)
        opens = repair_date(item, row.severity, row.decision_date)
        days = _reminder_today(rule, opens, today) if opens else None
        if opens is not None and days is not None:
            candidates.append(
                Due(
                    row.id,
                    row.subject_id,
                    row.department_id,
                    row.name,
                    item.name,
                    row.document_number or "",
                    opens,
                    days,
                    row.number,
                )
            )
    return _not_yet_sent(session, candidates)


def _reminder_today(rule: RepairReminders, opens: date, today: date) -> int | None:
    """Which reminder is due today for a repair day `opens`: the nearest one whose day has
    come (a reminder before the day only until the day; the day's own up to `late_days`)."""
    if opens <= today:
        late = (today - opens).days
        return 0 if 0 in rule.before_working_days and late <= rule.late_days else None
    come = [d for d in rule.before_working_days if d > 0]
    come = [d for d in come if workdays.working_days_before(opens, d) <= today]
    return min(come) if come else None


def _not_yet_sent(session: Session, candidates: list[Due]) -> list[Due]:
    if not candidates:
        return []
    sent = set(
        session.execute(
            select(RecordEvent.record_id, RecordEvent.event).where(
                RecordEvent.record_id.in_({c.record_id for c in candidates}),
                RecordEvent.event.like(f"{EVENT}:%"),
            )
        ).all()
    )
    return [c for c in candidates if (c.record_id, f"{EVENT}:{c.days}") not in sent]


def _when(due: Due) -> str:
    if due.days > 0:  # counted from today: a reminder sent late says how long is really left
        return f"还有 {workdays.working_days_between(clock.today(), due.repair_from)} 个工作日"
    return "今日届满" if due.repair_from == clock.today() else "已届满"


def _send(session: Session, rule: RepairReminders, due: Due) -> int:
    today = due.days == 0
    words = {
        "subject": due.subject_name,
        "item": due.item_name,
        "document_number": due.document_number,
        "repair_from": due.repair_from.isoformat(),
        "notice": f"（{due.notice}）" if due.notice else "",
        "when": _when(due),
    }
    title = rule.subject_title_today if today else rule.subject_title
    notify(
        session,
        ChannelName.SITE,
        RecipientKind.SUBJECT,
        due.subject_id,
        title.format(**words),
        rule.subject_body.format(**words),
    )
    if due.department_id is None:
        return 1
    title = rule.department_title_today if today else rule.department_title
    notify(
        session,
        ChannelName.SITE,
        RecipientKind.DEPARTMENT,
        due.department_id,
        title.format(**words),
        rule.department_body.format(**words),
    )
    return 2
