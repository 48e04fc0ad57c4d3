"""Records, their renderings and set memberships, and the sets.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("identifier", sa.String(255), nullable=False, unique=True),
        sa.Column("datestamp", sa.DateTime, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=True),
        sa.Column("formats", sa.String(200), nullable=False, server_default=""),
        sa.Column("set_specs", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.String(100), nullable=True),
        sa.Column("data", JSONType, nullable=False),
        sa.Column("about", sa.Text, nullable=True),
    )
    op.create_index(
        "ix_records_datestamp_identifier",
        "records",
        ["datestamp", "identifier", "deleted", "formats"],
    )
    op.create_index("ix_records_source", "records", ["source"])
    op.create_table(
        "renderings",
        sa.Column(
            "record_id",
            sa.Integer,
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("prefix", sa.String(32), primary_key=True),
        sa.Column("xml", sa.Text, nullable=False),
    )
    op.create_table(
        "record_sets",
        sa.Column(
            "record_id",
            sa.Integer,
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("spec", sa.String(255), primary_key=True),
    )
    op.create_index("ix_record_sets_spec_record", "record_sets", ["spec", "record_id"])
    op.create_table(
        "sets",
        sa.Column("spec", sa.String(255), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=True),
    )
    op.create_table(
        "settings",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_table("sets")
    op.drop_index("ix_record_sets_spec_record", "record_sets")
    op.drop_table("record_sets")
    op.drop_table("renderings")
    op.drop_index("ix_records_source", "records")
    op.drop_index("ix_records_datestamp_identifier", "records")
    op.drop_table("records")
