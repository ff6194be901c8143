"""keyed audit chain, append-only audit log, failed logins, session generations

- audit_log.chain_version: existing entries keep their plain SHA-256 (version 1) and still
  verify; new entries are keyed HMACs (version 2) that seal them (docs/decisions/0005).
- Triggers refuse UPDATE and DELETE on audit_log (and TRUNCATE on PostgreSQL). A later
  migration that rebuilds audit_log in SQLite batch mode must create them again.
- login_failures counts failed logins for throttling; users.session_generation ends sessions.

Revision ID: 0005_audit
Revises: 0004
Create Date: 2026-12-02 07:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_audit"
down_revision = "0004"
branch_labels = None
depends_on = None

REFUSAL = "audit_log is append-only"

SQLITE_UP = [
    f"""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
         SELECT RAISE(ABORT, '{REFUSAL}');
       END""",
    f"""CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
         SELECT RAISE(ABORT, '{REFUSAL}');
       END""",
]
SQLITE_DOWN = ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"]

POSTGRESQL_UP = [
    f"""CREATE FUNCTION xinyong_audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege';
        END $$""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
         FOR EACH ROW EXECUTE FUNCTION xinyong_audit_log_refuse()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
         FOR EACH STATEMENT EXECUTE FUNCTION xinyong_audit_log_refuse()""",
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER audit_log_no_truncate ON audit_log",
    "DROP TRIGGER audit_log_no_change ON audit_log",
    "DROP FUNCTION xinyong_audit_log_refuse()",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("chain_version", sa.SmallInteger(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index("ix_login_failures_address", ["address", "at"], unique=False)
        batch_op.create_index("ix_login_failures_username", ["username", "at"], unique=False)
    _run(POSTGRESQL_UP if op.get_bind().dialect.name == "postgresql" else SQLITE_UP)


def downgrade() -> None:
    _run(POSTGRESQL_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN)
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_username")
        batch_op.drop_index("ix_login_failures_address")
    op.drop_table("login_failures")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("chain_version")
