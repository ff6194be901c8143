"""Engine, sessions and migrations for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    JSON,
    BigInteger,
    ColumnElement,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Select,
    Table,
    TypeDecorator,
    any_,
    create_engine,
    event,
    false,
    func,
    select,
    text,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from xinyong.codes import name_pieces, region_prefix, search_facets
from xinyong.errors import DomainError

# SQLite's default page cache is 2 MiB, so index inserts into a big table go to the OS for
# nearly every page; a connection gets 64 MiB, one doing bulk work 128 MiB.
SQLITE_CACHE_KIB = 64 * 1024
SQLITE_BULK_CACHE_KIB = 128 * 1024
SQLITE_BUSY_MILLIS = 10_000  # how long a write waits for SQLite's one writer before failing
RETRY_BUSY_SECONDS = 60  # the Retry-After of work refused as busy: a big batch takes minutes
# Connections kept open per process: a server's worker runs up to this many requests at once
# (16 connections under load, plus the checks' writer). Beyond the pool each request opened and
# closed its own connection: a PostgreSQL backend started, or a SQLite page cache begun cold,
# per request (a fifth of a check's time in the profile, issue 14).
POOL_SIZE = 20

# SQLite only auto-increments INTEGER PRIMARY KEY, so big ids map to INTEGER there.
BigId = BigInteger().with_variant(Integer, "sqlite")
Json = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both backends (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: take the time from xinyong.clock")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class DatabaseUrlError(DomainError):
    """The database URL cannot be used (bad syntax, missing folder, unknown driver)."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the platform's connection settings; refuses unusable URLs clearly."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUrlError(f"数据库地址无法解析：{url}", "db.url") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(
            f"不支持的数据库：{parsed.get_backend_name()}（仅支持 sqlite 和 postgresql）",
            "db.backend",
        )
    kwargs.setdefault("pool_size", POOL_SIZE)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed.database, url, **kwargs)
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    # No pre-ping: it costs a round trip per request (a quarter of a page's throughput on two
    # cores). A connection found dead fails its one request and the pool drops every pooled
    # connection, so the platform recovers from a database restart by itself.
    return create_engine(url, pool_recycle=3600, **kwargs)


def _sqlite_engine(database: str | None, url: str, **kwargs: Any) -> Engine:
    if database and database != ":memory:" and not Path(database).parent.is_dir():
        raise DatabaseUrlError(
            f"数据目录不存在：{Path(database).parent}（请先运行 xinyong init）", "db.data_dir"
        )
    if database and database != ":memory:" and not database.startswith("file:"):
        _owner_only(Path(database))
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MILLIS}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()
        # The triggers that keep the subject name index call these (migrations 0003 and 0020).
        dbapi_connection.create_function("xinyong_name_pieces", 1, name_pieces, deterministic=True)
        dbapi_connection.create_function(
            "xinyong_search_facets", 2, search_facets, deterministic=True
        )

    return engine


def _owner_only(database: Path) -> None:
    """The database holds personal data and the audit log: its file is the owner's alone,
    created so before SQLite opens it (SQLite gives its -wal and -shm the file's mode)."""
    database.touch(mode=0o600, exist_ok=True)
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(0o600)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits at the end of the block, or rolls back on error."""
    with factory() as session, session.begin():
        yield session


def prepare_bulk_work(session: Session) -> None:
    """For a transaction that adds many rows. PostgreSQL: plan every query afresh (a prepared
    statement's cached generic plan, made while a table was small, would go on scanning it
    whole once it holds a million rows). SQLite: a page cache that holds the indexes' hot pages
    of a few million records."""
    if session.get_bind().dialect.name == "postgresql":
        plan_afresh(session)
    else:
        session.execute(text(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}"))


def hold_exclusive(session: Session, key: int, wait_seconds: float) -> bool:
    """Take a database-wide lock held until the session's transaction ends, waiting at most
    `wait_seconds` for another transaction holding it; False when the wait ran out. Call it
    first in the transaction. PostgreSQL: the advisory lock `key`. SQLite, which has one
    writer at a time anyway: the write lock itself (the key is not needed)."""
    millis = max(int(wait_seconds * 1000), 1)
    try:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text(f"SET LOCAL lock_timeout = {millis}"))
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            session.execute(text("SET LOCAL lock_timeout = DEFAULT"))
        else:
            session.execute(text(f"PRAGMA busy_timeout = {millis}"))
            try:
                # any write takes SQLite's write lock, even one that changes nothing
                session.execute(text("UPDATE alembic_version SET version_num = version_num"))
            finally:
                session.execute(text(f"PRAGMA busy_timeout = {SQLITE_BUSY_MILLIS}"))
    except OperationalError as error:
        if is_lock_timeout(error):
            return False
        raise
    return True


def is_lock_timeout(error: OperationalError) -> bool:
    """A wait for a lock ran out (SQLite: another writer; PostgreSQL: lock_timeout)."""
    if getattr(error.orig, "sqlstate", None) == "55P03":
        return True
    return "database is locked" in str(error.orig)


def plan_afresh(session: Session) -> None:
    """PostgreSQL: plan the transaction's queries for their actual values. A prepared
    statement's generic plan cannot tell a common name fragment or key set from a rare one."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


SQLITE_ANALYSIS_ROWS = 0  # no limit: every row (see refresh_statistics)


def refresh_statistics(session: Session, *tables: Table) -> None:
    """PostgreSQL plans from table statistics that autovacuum gathers only after commit. A
    batch that grows a table from nothing to a million rows gathers them itself (ANALYZE counts
    the transaction's own rows), or the planner goes on choosing plans fit for an empty table:
    e.g. reading every current record to find 500 keys. A table another batch is analysing
    (the lock is held to its commit) is left alone rather than waited for.

    SQLite has no statistics at all until ANALYZE runs: without them its planner prefers any
    index on an equality, e.g. a district (100,000 subjects) over an exact name (one), which
    made a filtered search 10× slower at a million subjects. A full ANALYZE of the searched
    tables takes ≈ 3 s at that size; a sampled one (`analysis_limit`) is much faster but
    estimates a district at a thousand subjects instead of ninety thousand, and misleads the
    planner the same way."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_ROWS}"))
        for table in tables:
            session.execute(text(f"ANALYZE {table.name}"))
        return
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        try:
            with session.begin_nested():
                session.execute(text("SET LOCAL lock_timeout = '100ms'"))
                session.execute(text(f"ANALYZE {table.name}"))
                session.execute(text("SET LOCAL lock_timeout = DEFAULT"))
        except OperationalError:
            continue


# Name-search structures made by migrations 0003 and 0020 in each database's own terms; the
# models do not describe them, so schema comparisons leave them out.
SEARCH_OBJECTS = frozenset(
    {
        "subject_search",
        "subject_search_config",
        "subject_search_data",
        "subject_search_docsize",
        "subject_search_idx",
        "ix_subjects_name_grams",
        "ix_subjects_name_prefix",
    }
)


def described_by_models(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic `include_name` hook: everything but the search structures."""
    return name not in SEARCH_OBJECTS


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema with Alembic (the only way the schema changes)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


@contextmanager
def committing(session: Session) -> Iterator[Session]:
    """Commit the session's work at the end of the block, or roll it back on error.

    Unlike `session.begin()` it also works when a read has already begun a transaction."""
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()


def table_of(model: type[Base]) -> Table:
    """The Core table of a model, for bulk statements that skip the ORM's per-row work."""
    return cast(Table, model.__table__)


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """Reserve `count` primary keys for a bulk insert without RETURNING (much faster in bulk).

    PostgreSQL draws them from the table's sequence; SQLite, which has one writer at a time,
    continues after the largest id, under the write lock."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sequence = f"{table.name}_id_seq"
        rows = session.execute(
            text("SELECT nextval(:seq) FROM generate_series(1, :n)"), {"seq": sequence, "n": count}
        )
        return [row[0] for row in rows]
    # Take the write lock before reading the largest id: concurrent writers then queue on the
    # lock (busy_timeout) instead of drawing the same ids.
    session.execute(text(f"UPDATE {table.name} SET id = id WHERE 0"))
    start = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(start, start + count))


def plain_rows(session: Session, query: Select[Any]) -> list[tuple[Any, ...]]:
    """All rows of `query` as the driver gives them: for a million rows of ints and short text,
    building SQLAlchemy's Row objects costs as much as the query. No type conversion — only
    for columns whose driver value is the value (integers, text)."""
    result = session.connection().execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def bulk_insert(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    json_text: frozenset[str] = frozenset(),
) -> None:
    """Insert many rows in the session's transaction by the fastest path of each database:
    COPY on PostgreSQL, the driver's executemany on SQLite (with SQLAlchemy's own value
    conversions, so rows read back exactly as ORM-written ones). Columns in `json_text` hold
    JSON already serialised (it is hashed before storing, so it is not serialised twice)."""
    if not rows:
        return
    columns = list(rows[0].keys())
    driver = session.connection().connection.driver_connection
    assert driver is not None  # a pooled connection always has its driver's
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(columns)
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([row[c] for c in columns])
        return
    dialect = session.get_bind().dialect
    converted = [
        (i, convert)
        for i, c in enumerate(columns)
        if c not in json_text and (convert := table.c[c].type.bind_processor(dialect))
    ]
    cells_of = itemgetter(*columns)
    values = []
    for row in rows:
        cells = list(cells_of(row)) if len(columns) > 1 else [row[columns[0]]]
        for i, convert in converted:
            if cells[i] is not None:
                cells[i] = convert(cells[i])
        values.append(cells)
    marks = ", ".join("?" * len(columns))
    driver.executemany(  # type: ignore[union-attr]
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", values
    )


def one_of(session: Session, column: Any, values: Sequence[Any]) -> Any:
    """`column IN values` for thousands of values. PostgreSQL gets one array parameter
    (`= ANY(...)`): thousands of separate parameters cost more to send and parse than the
    lookup itself."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(sql_cast(list(values), ARRAY(column.type)))
    return column.in_(values)


def in_region(column: Any, region_code: str | None) -> ColumnElement[bool]:
    """`column` holds a region code inside `region_code` (`codes.region_covers` as SQL)."""
    if not region_code:
        return false()
    prefix = region_prefix(region_code)
    return column.startswith(prefix) if len(prefix) < 6 else column == region_code
