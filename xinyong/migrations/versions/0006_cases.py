"""the case engine: cases, case_steps, case_reminders; list_cases moved into cases

- Every listing case becomes a `cases` row of kind `listing` with the same id: its own fields
  (list type, document number, reason, legal basis, notice time, statement period, statement,
  listing day, close reason) go to `details`; a case still in its statement period keeps it as
  the running deadline (`due`, working days). Reminders are not planned for moved cases.
- Its steps are rebuilt from its audit entries (actor, time, detail), which have them all;
  a case without any gets its opening step only.
- Downgrade moves listing cases back and refuses while cases of another kind exist.

Revision ID: 0006_cases
Revises: 0005_audit
Create Date: 2026-12-02 15:00:00
"""

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006_cases"
down_revision = "0005_audit"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
MOMENT = sa.DateTime(timezone=True)
KIND = "listing"

# audit action → (state before, state after) of the listing steps; drop is from either
STEPS = {
    "lists.propose": ("propose", None, "proposed"),
    "lists.notify": ("notify", "proposed", "notified"),
    "lists.statement": ("statement", "notified", "notified"),
    "lists.enter": ("enter", "notified", "listed"),
    "lists.drop": ("drop", None, "dropped"),
    "lists.remove": ("remove", "listed", "removed"),
}
DETAILS = (
    "list_type",
    "document_number",
    "reason",
    "legal_basis",
    "notified_at",
    "statement_due",
    "statement",
    "listed_on",
    "close_reason",
)

list_cases = sa.table(
    "list_cases",
    sa.column("id", ID),
    sa.column("list_type", sa.String),
    sa.column("subject_id", ID),
    sa.column("department_id", ID),
    sa.column("document_number", sa.String),
    sa.column("reason", sa.Text),
    sa.column("legal_basis", sa.Text),
    sa.column("status", sa.String),
    sa.column("proposed_at", MOMENT),
    sa.column("notified_at", MOMENT),
    sa.column("statement_due", sa.Date),
    sa.column("statement", sa.Text),
    sa.column("listed_on", sa.Date),
    sa.column("record_id", ID),
    sa.column("closed_at", MOMENT),
    sa.column("close_reason", sa.Text),
)
cases = sa.table(
    "cases",
    sa.column("id", ID),
    sa.column("kind", sa.String),
    sa.column("subject_id", ID),
    sa.column("department_id", ID),
    sa.column("record_id", ID),
    sa.column("state", sa.String),
    sa.column("opened_at", MOMENT),
    sa.column("closed_at", MOMENT),
    sa.column("due", sa.Date),
    sa.column("due_count", sa.String),
    sa.column("suspended_on", sa.Date),
    sa.column("suspended_days", sa.Integer),
    sa.column("details", JSON),
)
case_steps = sa.table(
    "case_steps",
    sa.column("case_id", ID),
    sa.column("transition", sa.String),
    sa.column("from_state", sa.String),
    sa.column("to_state", sa.String),
    sa.column("at", MOMENT),
    sa.column("actor", sa.String),
    sa.column("note", sa.Text),
    sa.column("data", JSON),
)
audit_log = sa.table(
    "audit_log",
    sa.column("id", ID),
    sa.column("at", MOMENT),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("target_type", sa.String),
    sa.column("target_id", sa.String),
    sa.column("detail", JSON),
    sa.column("note", sa.Text),
)


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", ID, nullable=False),
        sa.Column("department_id", ID, nullable=False),
        sa.Column("record_id", ID, nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("opened_at", MOMENT, nullable=False),
        sa.Column("closed_at", MOMENT, nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("due_count", sa.String(length=8), nullable=True),
        sa.Column("suspended_on", sa.Date(), nullable=True),
        sa.Column("suspended_days", sa.Integer(), nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_cases_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_cases_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_cases_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_department_due", ["department_id", "due"], unique=False)
        batch_op.create_index("ix_cases_record", ["record_id"], unique=False)
        batch_op.create_index("ix_cases_subject", ["subject_id", "kind"], unique=False)

    op.create_table(
        "case_reminders",
        sa.Column("id", ID, nullable=False),
        sa.Column("case_id", ID, nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("before_days", sa.SmallInteger(), nullable=False),
        sa.Column("remind_on", sa.Date(), nullable=False),
        sa.Column("taken_at", MOMENT, nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_reminders_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_reminders")),
    )
    with op.batch_alter_table("case_reminders", schema=None) as batch_op:
        batch_op.create_index("ix_case_reminders_case", ["case_id"], unique=False)
        batch_op.create_index("ix_case_reminders_remind_on", ["remind_on"], unique=False)

    op.create_table(
        "case_steps",
        sa.Column("id", ID, nullable=False),
        sa.Column("case_id", ID, nullable=False),
        sa.Column("transition", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_steps_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_steps")),
    )
    with op.batch_alter_table("case_steps", schema=None) as batch_op:
        batch_op.create_index("ix_case_steps_case", ["case_id", "id"], unique=False)

    _move_listing_cases_in()

    with op.batch_alter_table("list_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_cases_subject"))
    op.drop_table("list_cases")


def downgrade() -> None:
    bind = op.get_bind()
    others = bind.scalar(sa.select(sa.func.count()).select_from(cases).where(cases.c.kind != KIND))
    if others:
        raise RuntimeError(f"{others} cases of kinds other than listing would be lost")
    op.create_table(
        "list_cases",
        sa.Column("id", ID, nullable=False),
        sa.Column("list_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", ID, nullable=False),
        sa.Column("department_id", ID, nullable=False),
        sa.Column("document_number", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposed_at", MOMENT, nullable=False),
        sa.Column("notified_at", MOMENT, nullable=True),
        sa.Column("statement_due", sa.Date(), nullable=True),
        sa.Column("statement", sa.Text(), nullable=True),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("record_id", ID, nullable=True),
        sa.Column("closed_at", MOMENT, nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_list_cases_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_list_cases_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_list_cases_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_cases")),
    )
    with op.batch_alter_table("list_cases", schema=None) as batch_op:
        batch_op.create_index("ix_list_cases_subject", ["subject_id", "list_type"], unique=False)

    _move_listing_cases_out()

    with op.batch_alter_table("case_steps", schema=None) as batch_op:
        batch_op.drop_index("ix_case_steps_case")
    op.drop_table("case_steps")
    with op.batch_alter_table("case_reminders", schema=None) as batch_op:
        batch_op.drop_index("ix_case_reminders_remind_on")
        batch_op.drop_index("ix_case_reminders_case")
    op.drop_table("case_reminders")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_subject")
        batch_op.drop_index("ix_cases_record")
        batch_op.drop_index("ix_cases_department_due")
    op.drop_table("cases")


# --- moving the rows --------------------------------------------------------------------


def _move_listing_cases_in() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(list_cases).order_by(list_cases.c.id)).mappings().all()
    if not rows:
        return
    entries = bind.execute(
        sa.select(audit_log)
        .where(audit_log.c.target_type == "list_case", audit_log.c.action.in_(list(STEPS)))
        .order_by(audit_log.c.id)
    ).mappings()
    audited: dict[str, list[Any]] = {}
    for entry in entries:
        audited.setdefault(entry["target_id"], []).append(entry)
    moved, steps = [], []
    for row in rows:
        notified = row["status"] == "notified"
        details = {key: _text(row[key]) for key in DETAILS if row[key] is not None}
        moved.append(
            {
                "id": row["id"],
                "kind": KIND,
                "subject_id": row["subject_id"],
                "department_id": row["department_id"],
                "record_id": row["record_id"],
                "state": row["status"],
                "opened_at": row["proposed_at"],
                "closed_at": row["closed_at"],
                "due": row["statement_due"] if notified else None,
                "due_count": "working" if notified else None,
                "suspended_on": None,
                "suspended_days": 0,
                "details": details,
            }
        )
        steps += _steps(row, audited.get(str(row["id"]), []))
    op.bulk_insert(cases, moved)
    op.bulk_insert(case_steps, steps)
    _continue_ids("cases")


def _steps(row: Any, entries: list[Any]) -> list[dict[str, Any]]:
    if not entries:
        opening = {"at": row["proposed_at"], "actor": "migration:0006", "detail": {}, "note": None}
        entries = [opening | {"action": "lists.propose"}]
    found, state = [], None
    for entry in entries:
        name, before, after = STEPS[entry["action"]]
        found.append(
            {
                "case_id": row["id"],
                "transition": name,
                "from_state": before if before is not None or name == "propose" else state,
                "to_state": after,
                "at": entry["at"],
                "actor": entry["actor"],
                "note": entry["note"],
                "data": entry["detail"] or {},
            }
        )
        state = after
    return found


def _move_listing_cases_out() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(cases).where(cases.c.kind == KIND).order_by(cases.c.id)
    ).mappings()
    moved = []
    for row in rows:
        details = row["details"] or {}
        moved.append(
            {
                "id": row["id"],
                "list_type": details.get("list_type", ""),
                "subject_id": row["subject_id"],
                "department_id": row["department_id"],
                "document_number": details.get("document_number", ""),
                "reason": details.get("reason", ""),
                "legal_basis": details.get("legal_basis", ""),
                "status": row["state"],
                "proposed_at": row["opened_at"],
                "notified_at": _moment(details.get("notified_at")),
                "statement_due": _day(details.get("statement_due")),
                "statement": details.get("statement"),
                "listed_on": _day(details.get("listed_on")),
                "record_id": row["record_id"],
                "closed_at": row["closed_at"],
                "close_reason": details.get("close_reason"),
            }
        )
    if moved:
        op.bulk_insert(list_cases, moved)
        _continue_ids("list_cases")


def _continue_ids(table: str) -> None:
    """PostgreSQL: the table's sequence continues after the ids moved in with their rows."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    return value.isoformat() if isinstance(value, date) else value


def _moment(value: str | None) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value).astimezone(UTC)
    return moment.replace(tzinfo=None) if op.get_bind().dialect.name == "sqlite" else moment


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
