"""SQLite's name search index holds each subject's type and region levels (its facets) beside
the name's pieces, so that a search filtered by type or district intersects index lists instead
of confirming every row a common fragment matches (issue 15's filtered-search figure).

`subject_search` gets a second column `facets` (`codes.search_facets`, registered on every
connection as `xinyong_search_facets`); the contentless FTS5 table is made afresh from
`subjects`, and its triggers also follow changes of type and region. PostgreSQL is unchanged:
the same facets in its GIN array were measured at 1M subjects and gained nothing (its slow
filtered searches are common fragments, where the cost is the size of the lists, not the
filter; decision 0004).

Revision ID: 0020_search_facets
Revises: 0019_report_authorisations
Create Date: 2026-12-04 19:00:00
"""

from alembic import op

revision = "0020_search_facets"
down_revision = "0019_report_authorisations"
branch_labels = None
depends_on = None

_PIECES = "xinyong_name_pieces({row}.name_key)"
_FACETS = "xinyong_search_facets({row}.subject_type, {row}.region_code)"


def _sqlite_index(columns: dict[str, str], watched: str) -> list[str]:
    """The contentless FTS5 table made afresh from `subjects` with these columns (name → SQL
    of a row), and its triggers, the update one on the `watched` columns of `subjects`."""
    names = ", ".join(columns)

    def values(row: str) -> str:
        return ", ".join(sql.format(row=row) for sql in columns.values())

    return [
        "DROP TRIGGER subject_search_delete",
        "DROP TRIGGER subject_search_update",
        "DROP TRIGGER subject_search_insert",
        "DROP TABLE subject_search",
        f"CREATE VIRTUAL TABLE subject_search USING fts5({names}, "
        "content='', tokenize='unicode61 remove_diacritics 0')",
        f"INSERT INTO subject_search (rowid, {names}) SELECT id, {values('subjects')} FROM subjects",
        f"""CREATE TRIGGER subject_search_insert AFTER INSERT ON subjects BEGIN
             INSERT INTO subject_search (rowid, {names}) VALUES (new.id, {values("new")});
           END""",
        f"""CREATE TRIGGER subject_search_update AFTER UPDATE OF {watched} ON subjects BEGIN
             INSERT INTO subject_search (subject_search, rowid, {names})
               VALUES ('delete', old.id, {values("old")});
             INSERT INTO subject_search (rowid, {names}) VALUES (new.id, {values("new")});
           END""",
        f"""CREATE TRIGGER subject_search_delete AFTER DELETE ON subjects BEGIN
             INSERT INTO subject_search (subject_search, rowid, {names})
               VALUES ('delete', old.id, {values("old")});
           END""",
    ]


SQLITE_UP = _sqlite_index(
    {"pieces": _PIECES, "facets": _FACETS}, "name_key, subject_type, region_code"
)
SQLITE_DOWN = _sqlite_index({"pieces": _PIECES}, "name_key")  # as migration 0003 made it


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
