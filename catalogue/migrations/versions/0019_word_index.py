"""The search's own index of words, the same on both stores: ``record_words``, one row a
(word, record), keyed by the word then the record, with whether the record's titles
hold it.  A search reads each word's matches as one range of that index and never
visits a record's row; SQLite's FTS5 table and PostgreSQL's ``search_vector`` with its
GIN index, which handed back rows, are dropped.  Filled from every record's search
columns, a batch at a time (on PostgreSQL through COPY, the key built after).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

#: Migration 0013, whose full-text indexes this one drops and its downgrade makes again.
EARLIER = importlib.import_module("catalogue.migrations.versions.0013_search_and_browse")
#: Records read per statement.
BATCH = 5000
CONTENTS = sa.table(
    "record_contents",
    sa.column("record_id", sa.Integer),
    sa.column("search_title", sa.Text),
    sa.column("search_text", sa.Text),
)
WORDS = sa.table(
    "record_words",
    sa.column("word", sa.Text),
    sa.column("record_id", sa.Integer),
    sa.column("in_title", sa.Boolean),
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    # The bytes' order (C) on PostgreSQL: a word is only ever looked for as it is.
    word = sa.Text(collation="C") if postgres else sa.Text()
    columns = [
        sa.Column("word", word, nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("in_title", sa.Boolean, nullable=False),
    ]
    if postgres:
        op.create_table("record_words", *columns)
    else:
        key = sa.PrimaryKeyConstraint("word", "record_id", name="pk_record_words")
        op.create_table("record_words", *columns, key, sqlite_with_rowid=False)
    _fill(postgres)
    if postgres:
        op.execute(
            "ALTER TABLE record_words ADD CONSTRAINT record_words_pkey "
            "PRIMARY KEY (word, record_id) INCLUDE (in_title)"
        )
    for statement in EARLIER.POSTGRES_DROPPED if postgres else EARLIER.FTS5_DROPPED:
        op.execute(statement)


def downgrade() -> None:
    """The full-text indexes of migration 0013, made again from the search columns."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in EARLIER.POSTGRES if postgres else EARLIER.FTS5:
        op.execute(statement)
    op.drop_table("record_words")


def _fill(postgres: bool) -> None:
    from catalogue.searched_text import posted

    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(CONTENTS.c.record_id, CONTENTS.c.search_title, CONTENTS.c.search_text)
            .where(CONTENTS.c.record_id > last)
            .order_by(CONTENTS.c.record_id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        words = [
            (word, record_id, in_title)
            for record_id, title, searched in rows
            for word, in_title in posted(title or "", searched or "").items()
        ]
        if postgres:
            _copy(connection, words)
        elif words:
            words.sort()  # in the key's order: each leaf of the index written once a batch
            connection.execute(
                WORDS.insert(),
                [{"word": w, "record_id": r, "in_title": t} for w, r, t in words],
            )
        last = rows[-1][0]


def _copy(connection, words: list[tuple[str, int, bool]]) -> None:
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy("COPY record_words (word, record_id, in_title) FROM STDIN") as copy:
        for row in words:
            copy.write_row(row)
