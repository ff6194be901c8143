"""The record status transition table: every declared change applies with its event, every
other change is refused in Chinese, and the expiry job goes through the same table."""

import itertools
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import COMPANY_USCC, penalty, store
from xinyong import clock
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.policy.enums import SubjectType
from xinyong.publication.expiry import expire_due
from xinyong.records import status
from xinyong.records.models import Record, RecordEvent, RecordStatus
from xinyong.subjects.service import SubjectIn, register

ALLOWED = {(t.before, t.after) for t in status.TRANSITIONS}
REFUSED = [pair for pair in itertools.product(RecordStatus, repeat=2) if pair not in ALLOWED]


@pytest.fixture
def company(session):
    with committing(session):
        return register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )


def _record_in(session, subject_id, wanted: RecordStatus, number: int = 1) -> Record:
    """A stored record brought to `wanted` through the table (from 有效 in one step)."""
    record = session.get_one(Record, store(session, subject_id, penalty(number, date(2026, 1, 5))))
    if wanted is not RecordStatus.VALID:
        with committing(session):
            status.change(session, record, wanted, "user:1", "准备")
    return record


def test_every_transition_has_a_reason_and_none_is_declared_twice():
    assert len(ALLOWED) == len(status.TRANSITIONS)
    assert all(t.why.strip() for t in status.TRANSITIONS)


@pytest.mark.parametrize(("before", "after"), sorted(ALLOWED), ids=lambda s: s.value)
def test_each_allowed_transition_changes_the_status_with_an_event(session, company, before, after):
    record = _record_in(session, company.id, before)
    with committing(session):
        event = status.change(session, record, after, "user:7", "决定")
    assert record.status == after
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        before.value,
        after.value,
        "user:7",
        "决定",
    )


@pytest.mark.parametrize(("before", "after"), REFUSED, ids=lambda s: s.value)
def test_a_refused_transition_is_a_chinese_domain_error_and_changes_nothing(
    session, company, before, after
):
    record = _record_in(session, company.id, before)
    events = len(session.scalars(select(RecordEvent.id)).all())
    with pytest.raises(DomainError) as refused, committing(session):
        status.change(session, record, after, "user:7", "决定")
    assert refused.value.code == "record.status_transition"
    assert refused.value.message == (f"记录状态不能从“{before.label}”变为“{after.label}”")
    session.expire_all()
    assert session.get_one(Record, record.id).status == before
    assert len(session.scalars(select(RecordEvent.id)).all()) == events


def test_a_set_based_change_is_refused_before_anything_is_written(session, company):
    record = _record_in(session, company.id, RecordStatus.REVOKED)
    with pytest.raises(DomainError, match="已撤销"), committing(session):
        status.apply(
            session, Record.id == record.id, RecordStatus.REVOKED, RecordStatus.VALID, "x", "y"
        )


def test_apply_changes_only_the_matching_records_in_the_before_status(session, company):
    valid = [_record_in(session, company.id, RecordStatus.VALID, n) for n in (1, 2, 3)]
    revoked = _record_in(session, company.id, RecordStatus.REVOKED, 4)
    ids = [r.id for r in valid] + [revoked.id]
    with committing(session):
        changed = status.apply(
            session,
            Record.id.in_(ids[1:]),
            RecordStatus.VALID,
            RecordStatus.EXPIRED,
            "job:test",
            "到期",
        )
    assert changed == 2
    session.expire_all()
    got = [session.get_one(Record, i).status for i in ids]
    assert got == ["valid", "expired", "expired", "revoked"]
    actors = session.scalars(select(RecordEvent.actor).where(RecordEvent.actor == "job:test"))
    assert len(actors.all()) == 2


def test_expiry_goes_through_the_transition_table(session, company, monkeypatch):
    """Without 有效 → 已过公示期 in the table, the expiry job may not end a window."""
    record = _record_in(session, company.id, RecordStatus.VALID)
    monkeypatch.delitem(status._ALLOWED, (RecordStatus.VALID, RecordStatus.EXPIRED))
    later = clock.now().replace(year=2030)
    with pytest.raises(DomainError, match="已过公示期"), committing(session):
        expire_due(session, later)
    monkeypatch.undo()
    with committing(session):
        assert expire_due(session, later) == 1
    session.expire_all()
    assert session.get_one(Record, record.id).status == RecordStatus.EXPIRED
