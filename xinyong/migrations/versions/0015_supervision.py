"""分级分类监管 and 双随机、一公开 (issue 16): supervision_inspectors, supervision_avoidances (回避),
supervision_plans, supervision_draws (one per plan, seed and inputs), supervision_drawn (the
subjects a draw took, with their class and inspectors) and supervision_results.

Revision ID: 0015_supervision
Revises: 0014_evaluation
Create Date: 2026-12-04 02:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015_supervision"
down_revision = "0014_evaluation"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UtcDateTime = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "supervision_inspectors",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("department_id", BigId, sa.ForeignKey("departments.id"), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("badge_number", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("department_id", "badge_number"),
    )
    op.create_table(
        "supervision_avoidances",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "inspector_id", BigId, sa.ForeignKey("supervision_inspectors.id"), nullable=False
        ),
        sa.Column("subject_id", BigId, sa.ForeignKey("subjects.id"), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("ended_at", UtcDateTime),
    )
    op.create_index(
        "ix_supervision_avoidances_inspector",
        "supervision_avoidances",
        ["inspector_id", "subject_id"],
    )
    op.create_table(
        "supervision_plans",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("department_id", BigId, sa.ForeignKey("departments.id"), nullable=False),
        sa.Column("matter", sa.String(500), nullable=False),
        sa.Column("region_prefix", sa.String(6), nullable=False),
        sa.Column("subject_types", JSON, nullable=False),
        sa.Column("name_keyword", sa.String(64)),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("inspectors_per_subject", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "supervision_draws",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "plan_id", BigId, sa.ForeignKey("supervision_plans.id"), nullable=False, unique=True
        ),
        sa.Column("seed", sa.String(64), nullable=False),
        sa.Column("drawn_at", UtcDateTime, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("inputs", JSON, nullable=False),
    )
    op.create_table(
        "supervision_drawn",
        sa.Column("draw_id", BigId, sa.ForeignKey("supervision_draws.id"), primary_key=True),
        sa.Column("subject_id", BigId, sa.ForeignKey("subjects.id"), primary_key=True),
        sa.Column("class_code", sa.String(8), nullable=False),
        sa.Column("draw_key", sa.String(64), nullable=False),
        sa.Column("inspector_ids", JSON, nullable=False),
    )
    op.create_table(
        "supervision_results",
        sa.Column("draw_id", BigId, sa.ForeignKey("supervision_draws.id"), primary_key=True),
        sa.Column("subject_id", BigId, sa.ForeignKey("subjects.id"), primary_key=True),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("record_id", BigId, sa.ForeignKey("records.id"), nullable=False),
        sa.Column("recorded_at", UtcDateTime, nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("supervision_results")
    op.drop_table("supervision_drawn")
    op.drop_table("supervision_draws")
    op.drop_table("supervision_plans")
    op.drop_index("ix_supervision_avoidances_inspector", "supervision_avoidances")
    op.drop_table("supervision_avoidances")
    op.drop_table("supervision_inspectors")
