"""What every `xinyong` command module shares: the operator's audit name and principal, the
database option, and the sessions a command opens on the settings' database and policy."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from xinyong.config import get_settings
from xinyong.db import make_engine, session_factory

OPERATOR = "cli"  # the audit log's actor for what an operator does on the command line

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url", envvar="XINYONG_DATABASE_URL", help="数据库地址，默认数据目录下的 SQLite"
    ),
]


def operator():  # type: ignore[no-untyped-def]
    """The platform acting on the command line: the administrator's rights over the city the
    settings name, under the actor `cli`."""
    from xinyong.auth.principal import Principal
    from xinyong.policy.enums import Role

    return Principal(Role.PLATFORM_ADMIN, None, get_settings().city_code, OPERATOR, "命令行")


def operator_sessions(database_url: str | None) -> sessionmaker[Session]:
    """Sessions on `database_url` (else the settings'), with the settings' policy in force."""
    from xinyong.policy import use_policy

    settings = get_settings()
    use_policy(settings.policy_dir)
    return session_factory(make_engine(database_url or settings.effective_database_url))
