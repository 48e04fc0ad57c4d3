"""Alembic environment: runs on the connection ``catalogue.database`` hands it."""

from alembic import context
from sqlalchemy import create_engine

from catalogue.tables import Base

config = context.config
connection = config.attributes.get("connection")


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as fresh:
        _run(fresh)
