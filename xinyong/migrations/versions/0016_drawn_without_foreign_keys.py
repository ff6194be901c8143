"""A draw's subjects without foreign keys (decision 0016, amended): on PostgreSQL each row's
check locked its subject and cost more than writing the row, 1.7 s of a draw of 219,000.

Revision ID: 0016_drawn_without_foreign_keys
Revises: 0015_supervision
"""

from __future__ import annotations

from alembic import op

revision = "0016_drawn_without_foreign_keys"
down_revision = "0015_supervision"
branch_labels = None
depends_on = None

KEYS = [
    ("fk_supervision_drawn_draw_id_supervision_draws", "supervision_draws", "draw_id"),
    ("fk_supervision_drawn_subject_id_subjects", "subjects", "subject_id"),
]


def upgrade() -> None:
    with op.batch_alter_table("supervision_drawn") as batch_op:
        for name, _table, _column in KEYS:
            batch_op.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("supervision_drawn") as batch_op:
        for name, table, column in KEYS:
            batch_op.create_foreign_key(name, table, [column], ["id"])
