"""subject name search and the lists' record index

The name-search structures are database-specific and are not described by the models (see
`xinyong.subjects.search` and `xinyong.db.SEARCH_OBJECTS`):
- SQLite: an FTS5 table `subject_search` of each name's two-character pieces, kept by triggers
  that call `xinyong_name_pieces` (registered on every connection by `xinyong.db`);
- PostgreSQL: the immutable function `xinyong_name_grams(text)` and a GIN index on it, plus a
  byte-ordered (`COLLATE "C"`) index for name prefixes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE subject_search USING fts5("
    "pieces, content='', tokenize='unicode61 remove_diacritics 0')",
    "INSERT INTO subject_search (rowid, pieces) "
    "SELECT id, xinyong_name_pieces(name_key) FROM subjects",
    """CREATE TRIGGER subject_search_insert AFTER INSERT ON subjects BEGIN
         INSERT INTO subject_search (rowid, pieces) VALUES (new.id, xinyong_name_pieces(new.name_key));
       END""",
    """CREATE TRIGGER subject_search_update AFTER UPDATE OF name_key ON subjects BEGIN
         INSERT INTO subject_search (subject_search, rowid, pieces)
           VALUES ('delete', old.id, xinyong_name_pieces(old.name_key));
         INSERT INTO subject_search (rowid, pieces) VALUES (new.id, xinyong_name_pieces(new.name_key));
       END""",
    """CREATE TRIGGER subject_search_delete AFTER DELETE ON subjects BEGIN
         INSERT INTO subject_search (subject_search, rowid, pieces)
           VALUES ('delete', old.id, xinyong_name_pieces(old.name_key));
       END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER subject_search_delete",
    "DROP TRIGGER subject_search_update",
    "DROP TRIGGER subject_search_insert",
    "DROP TABLE subject_search",
]

POSTGRES_UP = [
    """CREATE FUNCTION xinyong_name_grams(name text) RETURNS text[]
       LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
         SELECT coalesce(array_agg(DISTINCT substr(name, i, 2)), '{}')
         FROM generate_series(1, length(name) - 1) AS i
       $$""",
    "CREATE INDEX ix_subjects_name_grams ON subjects USING gin (xinyong_name_grams(name_key))",
    # The planner picks the GIN index for rare pieces and a scan that stops at the limit for
    # common ones from these statistics; the default 100 most common pieces mislead it badly.
    "ALTER INDEX ix_subjects_name_grams ALTER COLUMN 1 SET STATISTICS 2000",
    # Byte order: serves both LIKE 'prefix%' and the prefix tier's ORDER BY, whatever the
    # database's collation.
    'CREATE INDEX ix_subjects_name_prefix ON subjects ((name_key COLLATE "C"), id)',
]
POSTGRES_DOWN = [
    "DROP INDEX ix_subjects_name_prefix",
    "DROP INDEX ix_subjects_name_grams",
    "DROP FUNCTION xinyong_name_grams(text)",
]


def upgrade() -> None:
    with op.batch_alter_table("records") as batch_op:
        batch_op.create_index(
            "ix_records_item_decided", ["item_code", "decision_date"], unique=False
        )
    for statement in SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
    with op.batch_alter_table("records") as batch_op:
        batch_op.drop_index("ix_records_item_decided")
