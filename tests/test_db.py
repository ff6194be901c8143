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
