"""On PostgreSQL, renderings are compressed with LZ4 rather than pglz.

Every ListRecords page reads a hundred or a thousand renderings, and PostgreSQL
compresses any larger than about 2 kB (every EBUCore record): pglz costs about a
third of the page query to undo, LZ4 far less (docs/performance.md).  Only the
setting changes here: renderings already stored keep pglz until they are written again
(rewriting a million rows is not a migration's job; an operator who wants it at once
runs ``UPDATE renderings SET xml = xml || ''`` and a VACUUM).  A server built without
LZ4 keeps pglz.  SQLite compresses nothing.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _lz4_supported(bind: sa.Connection) -> bool:
    return bool(
        bind.scalar(
            sa.text(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                "WHERE name = 'default_toast_compression'"
            )
        )
    )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and _lz4_supported(bind):
        op.execute("ALTER TABLE renderings ALTER COLUMN xml SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE renderings ALTER COLUMN xml SET COMPRESSION DEFAULT")
