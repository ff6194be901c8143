"""Alembic environment: the engine comes from xinyong.db.migrate (or XINYONG_DATABASE_URL)."""

from alembic import context

from xinyong import models
from xinyong.config import get_settings
from xinyong.db import described_by_models, make_engine

config = context.config
engine = config.attributes.get("engine") or make_engine(get_settings().effective_database_url)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=models.Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=described_by_models,
    )
    context.run_migrations()
