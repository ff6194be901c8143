"""The expiry job ends publication on time (令第36号: publication stops automatically at the
longest period) and the scheduler and CLI run it."""

from datetime import date

from sqlalchemy import select

from tests.factories import penalty, store
from xinyong.auth.models import AuditEntry
from xinyong.jobs import Scheduler, run_job
from xinyong.records.models import Record, RecordEvent, RecordStatus


def _status(session, record_id):
    session.expire_all()
    return session.get(Record, record_id).status


def test_expire_marks_records_past_their_window_only(sessions, session, company, now):
    ended = store(session, company.id, penalty(1, date(2025, 11, 23)))  # until 2026-11-23
    running = store(session, company.id, penalty(2, date(2025, 11, 24)))  # until 2026-11-24
    never = store(session, company.id, penalty(3, date(2025, 1, 10), cf_cflb="警告", cf_nr_fk=""))
    assert run_job(sessions, "expire") == 1
    assert _status(session, ended) == RecordStatus.EXPIRED
    assert _status(session, running) == RecordStatus.VALID
    assert _status(session, never) == RecordStatus.VALID  # never published: nothing to end
    (event,) = session.scalars(select(RecordEvent).where(RecordEvent.record_id == ended))
    assert (event.from_status, event.to_status, event.actor) == ("valid", "expired", "job:expire")
    assert run_job(sessions, "expire") == 0  # idempotent
    runs = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "job.run").order_by(AuditEntry.id)
    ).all()
    assert [r.detail["changed"] for r in runs] == [1, 0]


def test_the_scheduler_runs_the_jobs_at_start(sessions, session, company, now):
    ended = store(session, company.id, penalty(1, date(2025, 11, 23)))
    scheduler = Scheduler(sessions, interval=3600)
    scheduler.start()
    scheduler.stop()
    assert _status(session, ended) == RecordStatus.EXPIRED


def test_an_unknown_job_is_a_clear_error(sessions):
    import pytest

    from xinyong.errors import DomainError

    with pytest.raises(DomainError, match="未知的任务"):
        run_job(sessions, "nope")
