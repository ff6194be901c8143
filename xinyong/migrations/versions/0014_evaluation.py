"""Public credit evaluation (issue 16): evaluation_runs, evaluation_results (score and grade per
subject per run), evaluation_contributions (points per subject and indicator per run) and
recognised_evaluations (other platforms' results, 互认).

Revision ID: 0014_evaluation
Revises: 0013_subject_merges
Create Date: 2026-12-04 01:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_evaluation"
down_revision = "0013_subject_merges"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UtcDateTime = sa.DateTime(timezone=True)
Points = sa.Numeric(12, 2)


def upgrade() -> None:
    op.create_table(
        "evaluation_runs",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("model_code", sa.String(32), nullable=False),
        sa.Column("model_version", sa.Integer(), nullable=False),
        sa.Column("as_of", UtcDateTime, nullable=False),
        sa.Column("started_at", UtcDateTime, nullable=False),
        sa.Column("finished_at", UtcDateTime),
        sa.Column("subjects", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
    )
    op.create_index("ix_evaluation_runs_model_as_of", "evaluation_runs", ["model_code", "as_of"])
    op.create_table(
        "evaluation_results",
        sa.Column("run_id", BigId, sa.ForeignKey("evaluation_runs.id"), primary_key=True),
        sa.Column("subject_id", BigId, sa.ForeignKey("subjects.id"), primary_key=True),
        sa.Column("score", Points, nullable=False),
        sa.Column("grade", sa.String(8), nullable=False),
    )
    op.create_index("ix_evaluation_results_subject", "evaluation_results", ["subject_id", "run_id"])
    op.create_table(
        "evaluation_contributions",
        sa.Column("run_id", BigId, sa.ForeignKey("evaluation_runs.id"), primary_key=True),
        sa.Column("subject_id", BigId, sa.ForeignKey("subjects.id"), primary_key=True),
        sa.Column("indicator", sa.String(32), primary_key=True),
        sa.Column("points", Points, nullable=False),
    )

    op.create_table(
        "recognised_evaluations",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("subject_id", BigId, sa.ForeignKey("subjects.id"), nullable=False),
        sa.Column("platform", sa.String(100), nullable=False),
        sa.Column("model_name", sa.String(200), nullable=False),
        sa.Column("grade", sa.String(16), nullable=False),
        sa.Column("score", Points),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("imported_at", UtcDateTime, nullable=False),
        sa.Column("imported_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("subject_id", "platform", "model_name", "evaluated_on"),
    )
    op.create_index(
        "ix_recognised_evaluations_subject",
        "recognised_evaluations",
        ["subject_id", "evaluated_on"],
    )


def downgrade() -> None:
    op.drop_table("recognised_evaluations")
    op.drop_table("evaluation_contributions")
    op.drop_table("evaluation_results")
    op.drop_table("evaluation_runs")
