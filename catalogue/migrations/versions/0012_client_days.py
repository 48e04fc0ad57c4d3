"""Who harvests us: OAI requests rolled up per day, client, verb and outcome.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("address", sa.String(64), primary_key=True),
        sa.Column("agent", sa.String(200), primary_key=True),
        sa.Column("verb", sa.String(40), primary_key=True),
        sa.Column("outcome", sa.String(40), primary_key=True),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("client_days")
