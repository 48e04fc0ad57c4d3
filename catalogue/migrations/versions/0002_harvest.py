"""Partner sources, harvest reports, quarantine and held deletions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("base_url", sa.Text, nullable=False),
        sa.Column("prefixes", JSONType, nullable=False),
        sa.Column("sets", JSONType, nullable=False),
        sa.Column("schedule", sa.String(100), nullable=True),
        sa.Column("granularity", sa.String(30), nullable=True),
        sa.Column("deleted_policy", sa.String(20), nullable=True),
        sa.Column("harvested_until", sa.DateTime, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("checkpoint", JSONType, nullable=True),
        sa.Column("next_run", sa.DateTime, nullable=True),
        sa.Column("delete_threshold", sa.Float, nullable=False),
        sa.Column("lease_owner", sa.String(200), nullable=True),
        sa.Column("lease_until", sa.DateTime, nullable=True),
    )
    op.create_table(
        "harvest_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("started", sa.DateTime, nullable=False),
        sa.Column("finished", sa.DateTime, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("counts", JSONType, nullable=False),
        sa.Column("message", sa.Text, nullable=True),
    )
    op.create_index("ix_harvest_runs_source", "harvest_runs", ["source"])
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("identifier", sa.String(255), nullable=True),
        sa.Column("metadata_prefix", sa.String(32), nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("raw_xml", sa.Text, nullable=False),
        sa.Column("page", sa.Text, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_index("ix_quarantine_source", "quarantine", ["source"])
    op.create_table(
        "held_deletions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("identifiers", JSONType, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_index("ix_held_deletions_source", "held_deletions", ["source"])


def downgrade() -> None:
    op.drop_table("held_deletions")
    op.drop_table("quarantine")
    op.drop_table("harvest_runs")
    op.drop_table("sources")
