"""Migration 0006 moves listing cases into `cases` (their steps rebuilt from the audit log)
and back, on a database of its own (SQLite file, or a PostgreSQL database beside the run's)."""

import os
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.factories import AUTHORITY_USCC, COMPANY_USCC
from xinyong import clock
from xinyong.auth import audit
from xinyong.auth.service import create_department, load_regions
from xinyong.db import alembic_config, make_engine, migrate, session_factory, transaction
from xinyong.lists.models import ListCase

PROPOSED = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
NOTIFIED = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)
COLUMNS = (
    "id, list_type, subject_id, department_id, document_number, reason, legal_basis, status, "
    "proposed_at, notified_at, statement_due, statement, listed_on, record_id, closed_at, "
    "close_reason"
)


@pytest.fixture
def fresh_engine(tmp_path, settings):
    url = os.environ.get("XINYONG_TEST_DATABASE_URL")
    if not url:
        engine = make_engine(f"sqlite:///{tmp_path / 'migration.db'}")
        yield engine
        engine.dispose()
        return
    name = f"{make_url(url).database}_migration"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(url).set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}"'))
    admin.dispose()


def _cases_at_0005(engine):
    """Three listing cases as the old table held them: listed, dropped after notice, and one
    in its statement period with no audit entries."""
    migrate(engine, "0005_audit")
    factory = session_factory(engine)
    with clock.frozen_at(PROPOSED), transaction(factory) as session:
        load_regions(session)
        # The subject as the 0005 schema holds it (today's model has later columns).
        session.execute(
            text(
                "INSERT INTO subjects (id, subject_type, name, name_key, uscc, region_code,"
                " status, created_at, updated_at) VALUES (1, 'enterprise', :name, :name,"
                " :uscc, '440106', 'active', :at, :at)"
            ),
            {"name": "广州市某某科技有限公司", "uscc": COMPANY_USCC, "at": PROPOSED},
        )
        company = SimpleNamespace(id=1)
        dept = create_department(session, "gz-rsj", "广州市人社局", "440100", AUTHORITY_USCC)
        base = {"list_type": "serious_dishonesty", "subject_id": company.id, "dept": dept.id}
        rows = [
            base | {"id": 1, "status": "listed", "statement": "无异议", "listed": "2026-11-24"},
            base | {"id": 2, "status": "dropped", "statement": None, "listed": None},
            base | {"id": 3, "status": "notified", "statement": None, "listed": None},
        ]
        for row in rows:
            session.execute(
                text(
                    f"INSERT INTO list_cases ({COLUMNS}) VALUES (:id, :list_type, :subject_id,"
                    " :dept, '穗人社失信〔2026〕1号', '拖欠工资', '暂行办法', :status, :proposed,"
                    " :notified, :due, :statement, :listed, NULL, :closed, :reason)"
                ),
                row
                | {
                    "proposed": PROPOSED,
                    "notified": NOTIFIED,
                    "due": date(2026, 11, 23),
                    "listed": date.fromisoformat(row["listed"]) if row["listed"] else None,
                    "closed": NOTIFIED if row["status"] == "dropped" else None,
                    "reason": "理由成立" if row["status"] == "dropped" else None,
                },
            )
        for case_id, actions in (
            (1, ["propose", "notify", "statement", "enter"]),
            (2, ["propose", "notify", "drop"]),
        ):
            for action in actions:
                audit.write(session, "user:3", f"lists.{action}", "list_case", case_id, {"n": 1})
        audit.write(session, "user:3", "permission.refused", "list_case", 1, {})
        return [
            tuple(r) for r in session.execute(text(f"SELECT {COLUMNS} FROM list_cases ORDER BY id"))
        ]


def test_listing_cases_move_into_cases_and_back(fresh_engine):
    before = _cases_at_0005(fresh_engine)
    migrate(fresh_engine)
    factory = session_factory(fresh_engine)
    with transaction(factory) as session:
        listed, dropped, running = (session.get(ListCase, i) for i in (1, 2, 3))
        assert (listed.state, listed.statement, listed.listed_on) == (
            "listed",
            "无异议",
            date(2026, 11, 24),
        )
        assert (listed.opened_at, listed.notified_at, listed.due) == (PROPOSED, NOTIFIED, None)
        assert (dropped.state, dropped.close_reason, dropped.closed_at) == (
            "dropped",
            "理由成立",
            NOTIFIED,
        )
        assert (running.due, running.due_count, running.statement_due) == (
            date(2026, 11, 23),
            "working",
            date(2026, 11, 23),
        )
        steps = session.execute(
            text(
                "SELECT case_id, transition, from_state, to_state, actor FROM case_steps"
                " ORDER BY id"
            )
        ).all()
        assert [tuple(s) for s in steps] == [
            (1, "propose", None, "proposed", "user:3"),
            (1, "notify", "proposed", "notified", "user:3"),
            (1, "statement", "notified", "notified", "user:3"),
            (1, "enter", "notified", "listed", "user:3"),
            (2, "propose", None, "proposed", "user:3"),
            (2, "notify", "proposed", "notified", "user:3"),
            (2, "drop", "notified", "dropped", "user:3"),
            (3, "propose", None, "proposed", "migration:0006"),
        ]
        # new cases continue after the moved ids (PostgreSQL's sequence was moved on)
        new_id = session.execute(
            text(
                "INSERT INTO cases (kind, subject_id, department_id, state, opened_at,"
                " suspended_days, details) SELECT kind, subject_id, department_id, state,"
                " opened_at, 0, details FROM cases WHERE id = 1 RETURNING id"
            )
        ).scalar_one()
        assert new_id == 4
        session.execute(text("DELETE FROM cases WHERE id = 4"))
    command.downgrade(alembic_config(fresh_engine), "0005_audit")
    with fresh_engine.connect() as conn:
        after = [
            tuple(r) for r in conn.execute(text(f"SELECT {COLUMNS} FROM list_cases ORDER BY id"))
        ]
    assert _comparable(after) == _comparable(before)


MOMENTS = (8, 9, 14)  # proposed_at, notified_at, closed_at


def _comparable(rows):
    """Times as aware UTC: SQLite hands them back as text, PostgreSQL as aware datetimes."""

    def one(value):
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if isinstance(value, datetime):
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return str(value) if isinstance(value, date) else value

    return [tuple(one(v) if i in MOMENTS and v else v for i, v in enumerate(row)) for row in rows]
