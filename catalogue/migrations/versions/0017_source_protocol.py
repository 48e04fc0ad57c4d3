"""Which protocol a source is harvested over: OAI-PMH, as every source so far, or
ResourceSync (its URL then that of a Capability List).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "sources",
        sa.Column("protocol", sa.String(20), nullable=False, server_default="oai-pmh"),
    )


def downgrade() -> None:
    op.drop_column("sources", "protocol")
