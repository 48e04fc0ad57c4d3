"""Renderings are stored packed (``catalogue.packing``): Zstandard with a dictionary per
format, a tenth to a third of their text's size.

On PostgreSQL the column becomes ``bytea``.  On SQLite its declared type stays: a TEXT
column keeps a BLOB as a BLOB, and changing the declaration would copy the whole table
for nothing.  Every rendering already stored is packed here, a batch at a time.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from catalogue import packing

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

BATCH = 2000
# Untyped: each driver's own value (text or bytes) is read and written as it is.
RENDERINGS = sa.table(
    "renderings", sa.column("record_id"), sa.column("prefix"), sa.column("xml")
)


def _text(value: str | bytes | memoryview) -> str:
    return value if isinstance(value, str) else bytes(value).decode("utf-8")


def _rewrite(change: Callable[[str, str | bytes | memoryview], str | bytes]) -> None:
    """Every rendering replaced by ``change(prefix, value)``, in (record, format) order."""
    bind = op.get_bind()
    key = sa.tuple_(RENDERINGS.c.record_id, RENDERINGS.c.prefix)
    rewrite = (
        sa.update(RENDERINGS)
        .where(
            RENDERINGS.c.record_id == sa.bindparam("b_record"),
            RENDERINGS.c.prefix == sa.bindparam("b_prefix"),
        )
        .values(xml=sa.bindparam("b_xml"))
    )
    after = (0, "")
    while True:
        rows = bind.execute(
            sa.select(RENDERINGS.c.record_id, RENDERINGS.c.prefix, RENDERINGS.c.xml)
            .where(key > sa.tuple_(*after))
            .order_by(RENDERINGS.c.record_id, RENDERINGS.c.prefix)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            rewrite,
            [
                {"b_record": record, "b_prefix": prefix, "b_xml": change(prefix, value)}
                for record, prefix, value in rows
            ],
        )
        after = (rows[-1][0], rows[-1][1])


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE renderings ALTER COLUMN xml TYPE bytea USING convert_to(xml, 'UTF8')"
        )
    _rewrite(lambda prefix, value: packing.pack(prefix, _text(value)))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rewrite(lambda prefix, value: packing.unpack(bytes(value)))
        op.execute(
            "ALTER TABLE renderings ALTER COLUMN xml TYPE text USING convert_from(xml, 'UTF8')"
        )
    else:
        _rewrite(lambda prefix, value: packing.unpack(bytes(value)).decode("utf-8"))
