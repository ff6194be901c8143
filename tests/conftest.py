"""Test fixtures: one real database per run — SQLite by default, PostgreSQL when
XINYONG_TEST_DATABASE_URL is set (CI runs the whole suite on both)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from xinyong import clock, models
from xinyong.auth import audit
from xinyong.auth.service import load_regions
from xinyong.config import Settings, use_settings
from xinyong.db import make_engine, migrate, session_factory, transaction
from xinyong.overview import forget_counts
from xinyong.policy import use_policy

TEST_SECRET = "test-secret-not-for-production"

# Property tests check what is true, not how fast: on a loaded two-core machine (CI runs
# helpers and both databases) a first call can pass Hypothesis's 200 ms deadline and fail.
hypothesis_settings.register_profile("xinyong", deadline=None)
hypothesis_settings.load_profile("xinyong")


def _database_url(tmp: Path) -> str:
    url = os.environ.get("XINYONG_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp / 'test.db'}"


@pytest.fixture(autouse=True)
def shipped_policy() -> Iterator[None]:
    """Every test starts and ends on the shipped policy alone, whatever folder a test (or an
    app it built with `Settings(policy_dir=...)`) made active."""
    use_policy(None)
    yield
    use_policy(None)


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("data")
    return use_settings(
        Settings(
            data_dir=data_dir,
            database_url=_database_url(data_dir),
            secret_key=TEST_SECRET,
            jobs_interval_minutes=0,  # tests run jobs themselves
        )
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.effective_database_url)
    if engine.dialect.name == "postgresql":
        # A PostgreSQL that cannot be reached fails the run: it is never silently skipped.
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate(engine)
    with transaction(session_factory(engine)) as session:
        load_regions(session)
    yield engine
    engine.dispose()


KEEP_TABLES = {"regions", "alembic_version"}


@pytest.fixture
def sessions(engine: Engine, settings: Settings) -> Iterator[sessionmaker[Session]]:
    """A session factory on a database emptied of everything but reference data after each test
    (the audit log too, through its documented maintenance path, with its anchors)."""
    use_settings(settings)
    yield session_factory(engine)
    forget_counts()
    with engine.begin() as conn, audit.maintenance(conn):
        for table in reversed(models.Base.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                conn.execute(table.delete())
    settings.audit_anchor_path.unlink(missing_ok=True)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session


@pytest.fixture
def app(sessions, settings):  # type: ignore[no-untyped-def]
    from xinyong.app import create_app

    return create_app(settings)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        yield client


@pytest.fixture
def received() -> Iterator[datetime]:
    """The clock frozen at the collection tests' receipt time (see tests/factories.py)."""
    from tests.factories import RECEIVED

    with clock.frozen_at(RECEIVED):
        yield RECEIVED


@pytest.fixture
def department(sessions: sessionmaker[Session]) -> str:
    """A providing department (its code), for tests that send files."""
    from tests.factories import AUTHORITY_USCC
    from xinyong.auth.service import create_department

    with transaction(sessions) as session:
        return create_department(
            session, "scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
        ).code
