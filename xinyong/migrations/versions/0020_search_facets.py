"""The name search index holds each subject's type and region levels (its facets) beside the
name's pieces, so that a search filtered by type or district intersects index lists instead of
confirming every row a common fragment matches (issue 15's filtered-search figure).

- SQLite: `subject_search` gets a second column `facets` (`codes.search_facets`, registered on
  every connection as `xinyong_search_facets`); the contentless FTS5 table is made afresh from
  `subjects`, and its triggers also follow changes of type and region.
- PostgreSQL: `xinyong_search_grams(name_key, subject_type, region_code)` — the name's grams
  and the same facets (every gram has two characters, every facet more) — with a GIN index
  replaces the index on `xinyong_name_grams(name_key)`.

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

POSTGRES_UP = [
    # Not STRICT: a subject without a region still has its name's grams and its type.
    """CREATE FUNCTION xinyong_search_grams(name text, subject_type text, region text)
       RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
         SELECT coalesce(xinyong_name_grams(name), '{}')
           || CASE WHEN subject_type <> '' THEN ARRAY['t' || replace(subject_type, '_', '')]
                ELSE '{}'::text[] END
           || CASE WHEN region ~ '^[0-9]{6}$'
                THEN ARRAY['r' || left(region, 2), 'r' || left(region, 4), 'r' || region]
                ELSE '{}'::text[] END
       $$""",
    "CREATE INDEX ix_subjects_search_grams ON subjects "
    "USING gin (xinyong_search_grams(name_key, subject_type, region_code))",
    # As for the grams alone (migration 0003): the default 100 most common entries mislead the
    # planner about common pieces.
    "ALTER INDEX ix_subjects_search_grams ALTER COLUMN 1 SET STATISTICS 2000",
    "DROP INDEX ix_subjects_name_grams",
]
POSTGRES_DOWN = [
    "CREATE INDEX ix_subjects_name_grams ON subjects USING gin (xinyong_name_grams(name_key))",
    "ALTER INDEX ix_subjects_name_grams ALTER COLUMN 1 SET STATISTICS 2000",
    "DROP INDEX ix_subjects_search_grams",
    "DROP FUNCTION xinyong_search_grams(text, text, text)",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UP if sqlite else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWN if sqlite else POSTGRES_DOWN:
        op.execute(statement)
