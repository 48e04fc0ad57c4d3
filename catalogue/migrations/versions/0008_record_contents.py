"""A record's JSON and search line move out of ``records`` into ``record_contents``.

Every list page reads ``records`` rows along the datestamp index for their headers;
the JSON form (2.5 kB for a film, more for a harvested one) made each row fill a
database page of its own, and a page of a hundred records read a hundred pages of
rows before any rendering.  Without it a row is a few hundred bytes: the bare page
read is 20-35 % cheaper on SQLite (docs/performance.md).  The rows keep their ids;
the store is compacted afterwards (``catalogue.database.upgrade``: VACUUM on SQLite,
VACUUM FULL of ``records`` on PostgreSQL), since a row that shrinks in place still
takes its page.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlite3

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        raise RuntimeError(
            f"this upgrade drops two columns in place, which SQLite does from 3.35 on; "
            f"this Python has SQLite {sqlite3.sqlite_version}: run it with a newer Python"
        )
    op.create_table(
        "record_contents",
        sa.Column(
            "record_id",
            sa.Integer,
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("data", JSON_TYPE, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False, server_default=""),
    )
    op.execute(
        "INSERT INTO record_contents (record_id, data, search_text) "
        "SELECT id, data, search_text FROM records"
    )
    # SQLite (3.35 and later) drops a column in place, keeping every rowid, so the
    # renderings and memberships that point at the records are left as they are.
    op.execute("ALTER TABLE records DROP COLUMN data")
    op.execute("ALTER TABLE records DROP COLUMN search_text")
    if op.get_bind().exec_driver_sql("SELECT 1 FROM records LIMIT 1").first() is not None:
        context.config.attributes["compact"] = ["records"]


def downgrade() -> None:
    op.add_column("records", sa.Column("data", JSON_TYPE, nullable=True))
    op.add_column(
        "records", sa.Column("search_text", sa.Text, nullable=False, server_default="")
    )
    op.execute(
        "UPDATE records SET data = (SELECT data FROM record_contents "
        "WHERE record_contents.record_id = records.id), search_text = COALESCE(("
        "SELECT search_text FROM record_contents "
        "WHERE record_contents.record_id = records.id), '')"
    )
    op.drop_table("record_contents")
