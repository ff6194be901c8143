"""the overdue queue's second deadline: index cases (department_id, answer_due)

The queue asks `due < today OR answer_due < today` per deciding department. With only
`ix_cases_department_due` the `answer_due` half of the OR has no index, so the planner reads
every open case of the region (p95 2,760 ms against 1,226 ms for the same SQL at 100,000 cases,
benchmarks/bench_cases.py). With both halves indexed each can be an index range scan.

Revision ID: 0010_cases_answer_due
Revises: 0009_subject_cases
Create Date: 2026-12-03 11:00:00
"""

from alembic import op

revision = "0010_cases_answer_due"
down_revision = "0009_subject_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_department_answer_due", ["department_id", "answer_due"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_department_answer_due")
