"""Database helpers for bulk work."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from xinyong import codes
from xinyong.db import refresh_statistics, table_of, transaction
from xinyong.policy.enums import SubjectType
from xinyong.subjects.models import Subject
from xinyong.subjects.service import SubjectIn, register_many


def test_statistics_count_the_transactions_own_rows_on_postgresql(sessions):
    with transaction(sessions) as session:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("PostgreSQL planner statistics; SQLite has nothing to refresh")
        register_many(
            session,
            [
                SubjectIn(
                    SubjectType.ENTERPRISE,
                    f"广州市测试{n}有限公司",
                    uscc=codes.make_uscc("91440101" + codes.make_org_code(f"{n:08d}")),
                )
                for n in range(1, 301)
            ],
        )
        refresh_statistics(session, table_of(Subject))
        tuples = session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'subjects'"))
        assert tuples == 300


def test_database_files_are_created_for_the_owner_alone(tmp_path):
    """issue 11 (Low): the SQLite file, its -wal and -shm, and the data folder are 0600/0700;
    they hold personal data and the audit log."""
    import stat

    from typer.testing import CliRunner

    from xinyong.cli import app
    from xinyong.db import make_engine

    data = tmp_path / "data"
    url = f"sqlite:///{data / 'xinyong.db'}"
    result = CliRunner().invoke(app, ["init", "--data-dir", str(data), "--database-url", url])
    assert result.exit_code == 0, result.output
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS probe (x)"))
        conn.execute(text("INSERT INTO probe VALUES (1)"))
        modes = {
            path.name: stat.S_IMODE(path.stat().st_mode)
            for path in data.iterdir()
            if path.name.startswith("xinyong.db")
        }
    engine.dispose()
    assert set(modes) >= {"xinyong.db", "xinyong.db-wal", "xinyong.db-shm"}
    assert set(modes.values()) == {0o600}
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
