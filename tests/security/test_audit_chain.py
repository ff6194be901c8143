"""The audit log as an attacker with write access to the database meets it (issue 11 items 4, 5)."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError

from xinyong import clock
from xinyong.auth import audit
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry, Role
from xinyong.db import committing, table_of, transaction

THREADS = 6
WRITES_EACH = 25
LOGINS_EACH = 4
PASSWORD = "a-strong-password"


def _write(session, count, actor="user:1"):
    with committing(session):
        for n in range(count):
            audit.write(session, actor, "record.view", "record", n, {"n": n})


def _ids(session):
    return list(session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


def _plain_sha256(prev_hash, entry):
    """The chain's hash as it was before keying: anyone can recompute it."""
    body = json.dumps(
        [
            prev_hash,
            entry.at.isoformat(),
            entry.actor,
            entry.action,
            entry.target_type,
            entry.target_id,
            entry.detail,
            entry.note,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def test_concurrent_writers_keep_one_unbroken_chain(sessions):
    """issue 11 item 4: threads writing at once on one database all succeed and the chain
    verifies (the previous hash is read under the write lock, not before it)."""
    errors: list[Exception] = []
    start = threading.Barrier(THREADS)

    def writer() -> None:
        start.wait()
        for n in range(WRITES_EACH):
            try:
                with transaction(sessions) as session:
                    audit.write(session, "user:1", "record.view", "record", n)
            except Exception as exc:  # every failure is the finding
                errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sessions() as session:
        report = audit.verify(session)
    assert report.ok, report.problems
    assert report.entries == THREADS * WRITES_EACH


def test_concurrent_logins_all_succeed_and_the_chain_verifies(app, session):
    """issue 11 item 4, through HTTP: one account logging in from several browsers at once
    (each login audited, identical entries within one second) never answers 500, and the
    chain verifies afterwards."""
    with committing(session):
        auth.create_user(session, "liu", PASSWORD, Role.CREDIT_OFFICE, "440100")
    statuses: list[int] = []
    start = threading.Barrier(THREADS)

    def browser() -> None:
        client = TestClient(app, raise_server_exceptions=False)  # a 500 is an answer here
        start.wait()
        for _ in range(LOGINS_EACH):
            csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/admin/login").text)
            form = {"username": "liu", "password": PASSWORD, "csrf": csrf.group(1)}
            response = client.post("/admin/login", data=form, follow_redirects=False)
            statuses.append(response.status_code)

    threads = [threading.Thread(target=browser) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) == {303}, statuses
    report = audit.verify(session)
    assert report.ok, report.problems


def test_deleting_the_last_entries_after_an_anchor_is_detected(session, engine):
    """issue 11 item 5: truncation is caught by the anchor exported outside the database."""
    _write(session, 5)
    with committing(session):
        audit.anchor(session)
    kept = _ids(session)[2]
    with engine.begin() as conn, audit.maintenance(conn):
        conn.execute(delete(table_of(AuditEntry)).where(AuditEntry.id > kept))
    report = audit.verify(session)
    assert not report.ok
    assert any("截断" in problem for problem in report.problems), report.problems


def test_deleting_the_whole_log_after_an_anchor_is_detected(session, engine):
    """issue 11 item 5: an empty log does not verify once an anchor says it held entries."""
    _write(session, 3)
    with committing(session):
        audit.anchor(session)
    with engine.begin() as conn, audit.maintenance(conn):
        conn.execute(delete(table_of(AuditEntry)))
    report = audit.verify(session)
    assert not report.ok
    assert any("全部删除" in problem for problem in report.problems), report.problems


def test_entry_forged_with_plain_sha256_is_detected(session):
    """issue 11 item 5: an entry added by hand with a recomputed SHA-256 does not fit the
    keyed chain."""
    _write(session, 3)
    last = session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    forged = AuditEntry(
        at=last.at,
        actor="user:9",
        action="record.view",
        target_type="record",
        target_id="7",
        detail={},
        note=None,
        prev_hash=last.entry_hash,
    )
    forged.entry_hash = _plain_sha256(last.entry_hash, forged)
    with committing(session):
        session.add(forged)
    report = audit.verify(session)
    assert not report.ok and report.first_broken_id == forged.id


def test_rewritten_chain_is_detected(session, engine):
    """issue 11 item 5: an edited entry whose hash and every later hash are recomputed (the
    whole chain rewritten with plain SHA-256) is detected, and so is its anchor's head."""
    _write(session, 4)
    with committing(session):
        audit.anchor(session)
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    session.expunge_all()
    prev = entries[0].entry_hash
    with engine.begin() as conn, audit.maintenance(conn):
        for entry in entries[1:]:
            if entry is entries[1]:
                entry.actor = "user:2"
            new_hash = _plain_sha256(prev, entry)
            conn.execute(
                update(table_of(AuditEntry))
                .where(AuditEntry.id == entry.id)
                .values(actor=entry.actor, prev_hash=prev, entry_hash=new_hash)
            )
            prev = new_hash
    report = audit.verify(session)
    assert not report.ok and report.first_broken_id == entries[1].id
    assert any("锚点" in problem for problem in report.problems), report.problems


def test_the_database_refuses_update_and_delete_on_the_log(session):
    """issue 11 item 5: the log is append-only in the database itself (triggers)."""
    _write(session, 2)
    first = _ids(session)[0]
    with pytest.raises(DBAPIError), committing(session):
        session.execute(
            update(table_of(AuditEntry)).where(AuditEntry.id == first).values(actor="x")
        )
    with pytest.raises(DBAPIError), committing(session):
        session.execute(delete(table_of(AuditEntry)).where(AuditEntry.id == first))
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == 2
    assert audit.verify(session).ok


def test_a_tampered_anchor_line_is_reported(session, settings):
    """issue 11 item 5: each anchor line is keyed, so lowering its count is seen."""
    _write(session, 3)
    with committing(session):
        audit.anchor(session)
    path = settings.audit_anchor_path
    line = json.loads(path.read_text().splitlines()[-1])
    line["count"] = 1
    path.write_text(json.dumps(line) + "\n")
    report = audit.verify(session)
    assert not report.ok
    assert any("锚点" in problem and "不符" in problem for problem in report.problems)


def test_entries_chained_before_keying_still_verify(session, engine):
    """issue 11 item 5, migration: plain-SHA-256 entries written before the chain was keyed
    (chain version 1) verify, the first keyed entry seals them, and a plain entry after a
    keyed one is refused."""
    prev = audit.GENESIS
    rows = []
    at = clock.now().replace(microsecond=0)
    for n in range(3):
        row = AuditEntry(
            at=at,
            actor="system",
            action="user.create",
            target_type="user",
            target_id=str(n),
            detail={"n": n},
            note=None,
            prev_hash=prev,
        )
        row.entry_hash = prev = _plain_sha256(prev, row)
        rows.append(row)
    with engine.begin() as conn:
        conn.execute(
            insert(table_of(AuditEntry)),
            [
                {
                    c: getattr(r, c)
                    for c in (
                        "at",
                        "actor",
                        "action",
                        "target_type",
                        "target_id",
                        "detail",
                        "note",
                        "prev_hash",
                        "entry_hash",
                    )
                }
                | {"chain_version": 1}
                for r in rows
            ],
        )
    _write(session, 2)
    report = audit.verify(session)
    assert report.ok and report.entries == 5, report.problems

    last = session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    late = AuditEntry(
        at=last.at,
        actor="system",
        action="user.create",
        target_type="user",
        target_id="9",
        detail={},
        note=None,
        prev_hash=last.entry_hash,
        chain_version=1,
    )
    late.entry_hash = _plain_sha256(last.entry_hash, late)
    with committing(session):
        session.add(late)
    report = audit.verify(session)
    assert not report.ok and report.first_broken_id == late.id


def test_a_log_written_before_migration_0005_still_verifies_after_it(tmp_path, sessions):
    """issue 11 item 5, migration: a database at 0004 holding a plain SHA-256 chain is
    upgraded; its entries verify, new keyed entries follow them, and the log is then
    append-only (SQLite file: a database of its own, whichever backend the suite runs on)."""
    from sqlalchemy import text

    from xinyong.db import make_engine, migrate, session_factory

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0004")
    prev = audit.GENESIS
    with engine.begin() as conn:
        for n in range(3):
            row = SimpleNamespace(
                at=clock.now().replace(microsecond=0),
                actor="system",
                action="user.create",
                target_type="user",
                target_id=str(n),
                detail={"n": n},
                note=None,
            )
            entry_hash = _plain_sha256(prev, row)
            conn.execute(
                text(
                    "INSERT INTO audit_log (at, actor, action, target_type, target_id, detail,"
                    " note, prev_hash, entry_hash) VALUES (:at, :actor, :action, :target_type,"
                    " :target_id, :detail, :note, :prev, :hash)"
                ),
                vars(row)
                | {
                    "detail": json.dumps(row.detail),
                    "prev": prev,
                    "hash": entry_hash,
                    "at": row.at.replace(tzinfo=None),
                },
            )
            prev = entry_hash
    migrate(engine)
    anchors = tmp_path / "anchors.log"
    with session_factory(engine)() as session:
        assert audit.verify(session, anchors).ok
        _write(session, 2)
        report = audit.verify(session, anchors)
        assert report.ok and report.entries == 5, report.problems
        with pytest.raises(DBAPIError), committing(session):
            session.execute(delete(table_of(AuditEntry)))
    engine.dispose()
