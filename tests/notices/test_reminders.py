"""Repair reminders (seed 001 三（二）5, 信用修复提醒机制; days in notices.yaml, a platform
choice): 5 working days before the day a penalty may be repaired and on that day, one message
to the subject and one to the deciding department, each exactly once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from tests.factories import console_client
from tests.notices.sample import MOMENT, world
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.db import committing
from xinyong.jobs import run_job
from xinyong.notifications.models import Message
from xinyong.policy.enums import Role
from xinyong.records.models import RecordEvent

FRIDAY = datetime(2026, 11, 27, 4, tzinfo=UTC)  # 1 working day before the repair day
REPAIR_DAY = datetime(2026, 11, 30, 1, tzinfo=UTC)  # Monday 2026-11-30, 09:00 in Beijing
WEEK_LATER = datetime(2026, 12, 7, 4, tzinfo=UTC)


def _run(sessions, moment) -> int:  # type: ignore[no-untyped-def]
    with clock.frozen_at(moment):
        return run_job(sessions, "repair-reminders")


def _messages(session) -> list[Message]:  # type: ignore[no-untyped-def]
    session.rollback()
    return list(session.scalars(select(Message).order_by(Message.id)))


def test_five_working_days_before_and_on_the_day_each_once(session, sessions):
    """seed 001 三（二）5: 信用修复提醒机制 — 5 working days before (Monday 2026-11-23 for Monday
    2026-11-30, 国家发展改革委令第36号: a general penalty's shortest period is 3 months) and on
    the day; a second run, and the days between, send nothing."""
    w = world(session)
    assert _run(sessions, MOMENT) == 4  # both companies: the subject and its department each
    sent = _messages(session)
    mine = [m for m in sent if m.recipient_key in (w.company.id, w.department.id)]
    subject = next(m for m in mine if m.recipient_kind == "subject")
    department = next(m for m in mine if m.recipient_kind == "department")
    assert subject.recipient_key == w.company.id and "2026-11-30" in subject.subject
    assert "穗市监罚〔2026〕7号" in subject.subject and "将于" in subject.subject
    assert department.recipient_key == w.department.id and "还有 5 个工作日" in department.body
    assert _run(sessions, MOMENT) == 0
    assert _run(sessions, FRIDAY) == 0
    assert _run(sessions, REPAIR_DAY) == 4
    today = [m for m in _messages(session)[len(sent) :] if m.recipient_kind == "department"]
    assert all("今日届满" in m.body and "自 2026-11-30 起" in m.subject for m in today)
    assert _run(sessions, REPAIR_DAY) == 0
    assert _run(sessions, WEEK_LATER) == 0
    events = session.scalars(select(RecordEvent.event).where(RecordEvent.record_id == w.record_id))
    assert sorted(events) == ["repair.reminded:0", "repair.reminded:5"]


def test_a_missed_day_is_caught_up_once_and_a_late_day_reminder_stops(session, sessions):
    """A job that did not run on the 5-day mark sends that reminder on its next run before the
    day; the day's own reminder is sent at most `late_days` late (notices.yaml)."""
    world(session)
    assert _run(sessions, FRIDAY) == 4  # the 5-day reminder, four days late
    assert _run(sessions, WEEK_LATER) == 0  # 7 days after the day: past late_days (5)


def test_a_repaired_record_is_not_reminded(session, sessions):
    from xinyong.records import service as records
    from xinyong.records.models import Record, RecordStatus

    w = world(session)
    with clock.frozen_at(MOMENT), committing(session):
        record = session.get(Record, w.record_id)
        records.change_status(session, record, RecordStatus.REPAIRED, "user:1", "已修复")
    assert _run(sessions, MOMENT) == 2  # only the other company's


def test_the_departments_reminder_list_shows_its_records_whose_repair_opens_soon(app, session):
    w = world(session)
    with clock.frozen_at(MOMENT), committing(session):
        auth.create_user(
            session, "liu", "a-strong-password", Role.DATA_PROVIDER, "440100", "刘", w.department
        )
    with clock.frozen_at(MOMENT):
        page = console_client(app, "liu").get("/admin/notices/reminders")
    assert page.status_code == 200
    assert "2026-11-30" in page.text and "穗市监罚〔2026〕7号" in page.text
    assert "穗市监罚〔2026〕8号" not in page.text  # another department's
    with clock.frozen_at(datetime(2026, 10, 1, 4, tzinfo=UTC)):
        early = console_client(app, "liu").get("/admin/notices/reminders")
    assert "穗市监罚〔2026〕7号" not in early.text and "近期没有" in early.text
