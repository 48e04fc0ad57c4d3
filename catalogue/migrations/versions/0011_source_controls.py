"""Sources an admin can pause, and ask to be harvested now.

``paused``: the worker leaves the source alone until it is resumed.  ``requested_at``
and ``requested_by``: a "harvest now" from the admin pages, waiting for a worker, and
who asked; cleared when the harvest it asked for has run.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as table:
        table.add_column(
            sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        table.add_column(sa.Column("requested_at", sa.DateTime(), nullable=True))
        table.add_column(sa.Column("requested_by", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources") as table:
        table.drop_column("requested_by")
        table.drop_column("requested_at")
        table.drop_column("paused")
