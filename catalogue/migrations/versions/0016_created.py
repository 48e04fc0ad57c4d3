"""When each record came into the catalogue, so that a ResourceSync Change List can tell
"created" from "updated".  Records stored before keep None: when they came is not known,
and they are announced as updated.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on both stores: a batch would copy the table, and SQLite will
    # not drop ``records`` while its search triggers are being read.
    op.add_column("records", sa.Column("created", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("records", "created")
