"""Migration 0007 adds the outbox and takes it away again, on a database of its own."""

from alembic import command
from sqlalchemy import inspect

from tests.cases.test_migration import fresh_engine  # noqa: F401  (the fixture)
from xinyong.db import alembic_config, migrate


def test_the_outbox_comes_with_0007_and_goes_with_its_downgrade(fresh_engine):  # noqa: F811
    migrate(fresh_engine, "0007_outbox")
    assert "outbox" in inspect(fresh_engine).get_table_names()
    indexes = {i["name"] for i in inspect(fresh_engine).get_indexes("outbox")}
    assert indexes == {"ix_outbox_case", "ix_outbox_pending", "ix_outbox_recipient"}
    command.downgrade(alembic_config(fresh_engine), "0006_cases")
    tables = inspect(fresh_engine).get_table_names()
    assert "outbox" not in tables and "cases" in tables
