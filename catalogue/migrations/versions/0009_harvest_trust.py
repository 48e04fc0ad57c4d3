"""A harvest's copies of partner records, and one quarantine entry per record.

``harvest_seen`` holds the newest copy of each record the harvest in progress has read
(its datestamp, and whether it was a deletion): stale copies later in a list are
ignored, and the run's deletions are decided together at its end.  The quarantine gets
an index on (source, identifier), and the entries a partner's record earned in earlier
runs are cut to the newest one per source and identifier: re-harvesting an unchanged
feed used to add the same refusals again.  Nothing is restored on downgrade.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

quarantine = sa.table(
    "quarantine",
    sa.column("id", sa.Integer),
    sa.column("source", sa.String),
    sa.column("identifier", sa.String),
    sa.column("status", sa.String),
)


def upgrade() -> None:
    op.create_table(
        "harvest_seen",
        sa.Column("source", sa.String(100), primary_key=True),
        sa.Column("identifier", sa.String(500), primary_key=True),
        sa.Column("datestamp", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_quarantine_source_identifier", "quarantine", ["source", "identifier"])
    newest = (
        sa.select(sa.func.max(quarantine.c.id))
        .where(quarantine.c.status == "held", quarantine.c.identifier.is_not(None))
        .group_by(quarantine.c.source, quarantine.c.identifier)
    )
    op.get_bind().execute(
        sa.update(quarantine)
        .where(
            quarantine.c.status == "held",
            quarantine.c.identifier.is_not(None),
            quarantine.c.id.not_in(newest),
        )
        .values(status="replaced")
    )


def downgrade() -> None:
    op.drop_index("ix_quarantine_source_identifier", table_name="quarantine")
    op.drop_table("harvest_seen")
