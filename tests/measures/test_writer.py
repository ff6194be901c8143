"""The checks' group commit (decision 0011): concurrent checks are answered only once recorded
and audited, many in one transaction; the audit chain still verifies; a failing commit fails
every request of its group."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests.factories import COMPANY_USCC
from xinyong import clock
from xinyong.auth import audit
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import Principal
from xinyong.auth.service import create_department
from xinyong.db import committing
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.measures.models import Check, CheckBatch
from xinyong.measures.writer import CheckWriter, WriterStopped, _Waiting
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.service import SubjectIn, register

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
CALLS = 60


@pytest.fixture
def viewer(session):
    with clock.frozen_at(NOW), committing(session):
        register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        department = create_department(session, "gz-czj", "广州市财政局", "440100")
    return Principal(Role.DATA_PROVIDER, department.id, "440100", "department:gz-czj")


def _finding(sessions, viewer):
    with sessions() as session, committing(session):
        return checks.find_one(session, viewer, SubjectKey(uscc=COMPANY_USCC), "procurement")


def test_concurrent_checks_are_all_recorded_audited_and_chained(sessions, viewer):
    writer = CheckWriter(sessions)
    findings = [_finding(sessions, viewer) for _ in range(CALLS)]
    with ThreadPoolExecutor(16) as pool:
        answers = [a for (a,) in pool.map(writer.answer, findings)]
    writer.stop()
    ids = [a.check_id for a in answers]
    assert len(set(ids)) == CALLS
    with sessions() as session:
        kept = session.scalars(select(Check.id).where(Check.id.in_(ids))).all()
        assert sorted(kept) == sorted(ids)
        assert session.scalar(select(func.count()).select_from(CheckBatch)) == CALLS
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "checks.run")).all()
        assert sorted(int(e.target_id) for e in entries) == sorted(ids)
        assert all(e.target_type == "check" and e.detail["checks"] == 1 for e in entries)
        assert audit.verify(session).ok


def test_a_failing_commit_fails_every_waiting_request_and_keeps_nothing(sessions, viewer):
    good = _finding(sessions, viewer)
    # A department that does not exist: the group's insert breaks its foreign key.
    broken = type(good)(**{**good.__dict__, "department_id": 10**9})
    writer = CheckWriter(sessions, group_limit=10)
    # Queued before the thread starts (with the last call), so these three share one group.
    queued = [_Waiting(f) for f in (good, broken, good)]
    for waiting in queued:
        writer._queue.put(waiting)
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        writer.answer(broken)
    writer.stop()
    errors = [w.kept.exception(timeout=30) for w in queued]
    assert all(error is not None and "foreign key" in str(error).lower() for error in errors)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(CheckBatch)) == 0
        assert session.scalar(select(func.count()).select_from(Check)) == 0
        assert audit.verify(session).ok


def test_a_stopped_writer_refuses_rather_than_answers_unrecorded(sessions, viewer):
    writer = CheckWriter(sessions)
    writer.stop()
    with pytest.raises(WriterStopped):
        writer.answer(_finding(sessions, viewer))
