"""The audit log is append-only and hash-chained, so any edit or deletion is detected.

The database refuses edits (triggers): these tests make them as its owner would, through the
maintenance path, and the chain still shows them."""

from sqlalchemy import delete, update

from xinyong.auth import audit
from xinyong.auth.models import AuditEntry
from xinyong.db import committing, table_of


def _write_three(session):
    with committing(session):
        for n in range(3):
            audit.write(session, "user:1", "record.view", "record", n, {"n": n})


def test_chain_verifies(session):
    _write_three(session)
    report = audit.verify(session)
    assert report.ok and report.entries == 3


def test_each_entry_links_to_previous(session):
    _write_three(session)
    entries = session.query(AuditEntry).order_by(AuditEntry.id).all()
    assert entries[0].prev_hash == audit.GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]


def test_edited_entry_is_detected(session, engine):
    _write_three(session)
    second = session.query(AuditEntry).order_by(AuditEntry.id).all()[1]
    with engine.begin() as conn, audit.maintenance(conn):
        conn.execute(
            update(table_of(AuditEntry)).where(AuditEntry.id == second.id).values(actor="user:2")
        )
    session.expire_all()
    report = audit.verify(session)
    assert not report.ok and report.first_broken_id == second.id


def test_deleted_entry_is_detected(session, engine):
    _write_three(session)
    first = session.query(AuditEntry).order_by(AuditEntry.id).first()
    with engine.begin() as conn, audit.maintenance(conn):
        conn.execute(delete(table_of(AuditEntry)).where(AuditEntry.id == first.id))
    report = audit.verify(session)
    assert not report.ok
