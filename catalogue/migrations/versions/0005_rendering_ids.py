"""Each rendering says whether it may declare XML IDs, so list answers read only those.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from protocol.xml_ids import DECLARING

    op.add_column(
        "renderings",
        sa.Column("declares_ids", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    renderings = sa.table(
        "renderings",
        sa.column("prefix", sa.String),
        sa.column("xml", sa.Text),
        sa.column("declares_ids", sa.Boolean),
    )
    # The renderings already stored: flagged by the same marker the store looks for.
    for prefix, (marker, _) in DECLARING.items():
        op.get_bind().execute(
            sa.update(renderings)
            .where(renderings.c.prefix == prefix)
            .where(renderings.c.xml.contains(marker.decode(), autoescape=True))
            .values(declares_ids=True)
        )


def downgrade() -> None:
    op.drop_column("renderings", "declares_ids")
