"""The search's words stemmed: titles, series and subjects in English or French kept as
their language's Snowball stemmer cuts them (``catalogue.searched_text``), so that
"reef" finds "coral reefs".  Every record's search columns are made again; each store's
full-text index follows them (SQLite's triggers, PostgreSQL's generated column).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None
#: Records made again per statement.
BATCH = 2000


def upgrade() -> None:
    _remake()


def downgrade() -> None:
    """The columns stay stemmed: an earlier Navette still finds each word that stemming
    leaves as it is."""


def _remake() -> None:
    from catalogue import codec
    from catalogue.searched_text import searchable

    connection = op.get_bind()
    contents = sa.table(
        "record_contents",
        sa.column("record_id", sa.Integer),
        sa.column("data", sa.JSON),
        sa.column("search_text", sa.Text),
        sa.column("search_title", sa.Text),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(contents.c.record_id, contents.c.data)
            .where(contents.c.record_id > last)
            .order_by(contents.c.record_id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        values = []
        for record_id, data in rows:
            made = searchable(codec.from_dict(data or {}))
            values.append(
                {
                    "row_id": record_id,
                    "search_text": made["search_text"],
                    "search_title": made["search_title"],
                }
            )
        connection.execute(
            contents.update().where(contents.c.record_id == sa.bindparam("row_id")),
            values,
        )
        last = rows[-1][0]
