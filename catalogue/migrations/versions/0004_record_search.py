"""A folded line of each record's titles, names, subjects and identifiers, for searching.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    from catalogue import codec
    from catalogue.searched_text import search_text

    op.add_column("records", sa.Column("search_text", sa.Text, nullable=False, server_default=""))
    connection = op.get_bind()
    records = sa.table(
        "records",
        sa.column("id", sa.Integer),
        sa.column("data", sa.JSON),
        sa.column("search_text", sa.Text),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(records.c.id, records.c.data)
            .where(records.c.id > last)
            .order_by(records.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            records.update().where(records.c.id == sa.bindparam("row_id")),
            [
                {"row_id": row_id, "search_text": search_text(codec.from_dict(data or {}))}
                for row_id, data in rows
            ],
        )
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_column("records", "search_text")
