"""Admin login throttling, server-side admin sessions, identifiers of up to 500 characters.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure", sa.DateTime, nullable=False),
        sa.Column("locked_until", sa.DateTime, nullable=True),
    )
    op.create_table(
        "admin_sessions",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("expires", sa.DateTime, nullable=False),
    )
    op.create_index("ix_admin_sessions_expires", "admin_sessions", ["expires"])
    if op.get_bind().dialect.name != "sqlite":  # SQLite does not enforce a length
        for table in ("records", "quarantine"):
            op.alter_column(table, "identifier", type_=sa.String(500))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table in ("records", "quarantine"):
            op.alter_column(table, "identifier", type_=sa.String(255))
    op.drop_index("ix_admin_sessions_expires", "admin_sessions")
    op.drop_table("admin_sessions")
    op.drop_table("login_attempts")
