"""Full-text search in each store's own index, the list's sorts, and its facets.

``record_contents`` gains the record's titles apart (``search_title``, ranked higher),
its first title folded (``title_key``) and its year, filled from each record's JSON.
SQLite indexes the two texts in an FTS5 table over ``record_contents`` (external
content, kept by triggers); PostgreSQL in a generated ``search_vector`` (titles weighted
A, the rest D) with a GIN index.  ``record_facets`` holds what each record is browsed by
(``catalogue.facets``).  On a large store the filling reads every record once: minutes
at a million.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH = 1000

FTS5 = [
    "CREATE VIRTUAL TABLE record_search USING fts5(search_title, search_text, "
    "content='record_contents', content_rowid='record_id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER record_search_insert AFTER INSERT ON record_contents BEGIN "
    "INSERT INTO record_search (rowid, search_title, search_text) "
    "VALUES (new.record_id, new.search_title, new.search_text); END",
    "CREATE TRIGGER record_search_delete AFTER DELETE ON record_contents BEGIN "
    "INSERT INTO record_search (record_search, rowid, search_title, search_text) "
    "VALUES ('delete', old.record_id, old.search_title, old.search_text); END",
    "CREATE TRIGGER record_search_update AFTER UPDATE OF search_title, search_text "
    "ON record_contents BEGIN "
    "INSERT INTO record_search (record_search, rowid, search_title, search_text) "
    "VALUES ('delete', old.record_id, old.search_title, old.search_text); "
    "INSERT INTO record_search (rowid, search_title, search_text) "
    "VALUES (new.record_id, new.search_title, new.search_text); END",
    "INSERT INTO record_search (record_search) VALUES ('rebuild')",
]
POSTGRES = [
    "ALTER TABLE record_contents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(search_title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(search_text, '')), 'D')) STORED",
    "CREATE INDEX ix_record_contents_search_vector ON record_contents "
    "USING gin (search_vector)",
]
#: What undoes ``FTS5`` and ``POSTGRES`` (migration 0019 drops them too).
FTS5_DROPPED = [
    *(f"DROP TRIGGER record_search_{trigger}" for trigger in ("insert", "delete", "update")),
    "DROP TABLE record_search",
]
POSTGRES_DROPPED = [
    "DROP INDEX ix_record_contents_search_vector",
    "ALTER TABLE record_contents DROP COLUMN search_vector",
]


def upgrade() -> None:
    op.add_column(
        "record_contents",
        sa.Column("search_title", sa.Text(), nullable=False, server_default=""),
    )
    op.add_column(
        "record_contents",
        sa.Column("title_key", sa.String(200), nullable=False, server_default=""),
    )
    op.add_column("record_contents", sa.Column("year", sa.Integer(), nullable=True))
    op.create_table(
        "record_facets",
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("value", sa.String(255), primary_key=True),
        sa.Column("lang", sa.String(8), primary_key=True),
        sa.Column(
            "record_id",
            sa.Integer(),
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_record_facets_record_id", "record_facets", ["record_id"])
    _fill()
    op.create_index("ix_record_contents_title_key", "record_contents", ["title_key"])
    op.create_index("ix_record_contents_year", "record_contents", ["year"])
    for statement in POSTGRES if op.get_bind().dialect.name == "postgresql" else FTS5:
        op.execute(statement)


def _fill() -> None:
    from catalogue import codec
    from catalogue.facets import facets
    from catalogue.searched_text import searchable

    connection = op.get_bind()
    contents = sa.table(
        "record_contents",
        sa.column("record_id", sa.Integer),
        sa.column("data", sa.JSON),
        sa.column("search_title", sa.Text),
        sa.column("title_key", sa.String),
        sa.column("year", sa.Integer),
    )
    records = sa.table("records", sa.column("id", sa.Integer), sa.column("deleted", sa.Boolean))
    browsed = sa.table(
        "record_facets",
        sa.column("kind", sa.String),
        sa.column("value", sa.String),
        sa.column("lang", sa.String),
        sa.column("record_id", sa.Integer),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(contents.c.record_id, contents.c.data, records.c.deleted)
            .join(records, records.c.id == contents.c.record_id)
            .where(contents.c.record_id > last)
            .order_by(contents.c.record_id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        values, facet_rows = [], []
        for record_id, data, deleted in rows:
            record = codec.from_dict(data or {})
            made = searchable(record)
            if not deleted:
                facet_rows += [
                    {"kind": f.kind, "value": f.value, "lang": f.lang, "record_id": record_id}
                    for f in facets(record)
                ]
            values.append(
                {
                    "row_id": record_id,
                    "search_title": made["search_title"],
                    "title_key": made["title_key"],
                    "year": made["year"],
                }
            )
        connection.execute(
            contents.update().where(contents.c.record_id == sa.bindparam("row_id")),
            values,
        )
        if facet_rows:
            connection.execute(browsed.insert(), facet_rows)
        last = rows[-1][0]


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_DROPPED if postgres else FTS5_DROPPED:
        op.execute(statement)
    op.drop_index("ix_record_facets_record_id", "record_facets")
    op.drop_table("record_facets")
    op.drop_index("ix_record_contents_year", "record_contents")
    op.drop_index("ix_record_contents_title_key", "record_contents")
    with op.batch_alter_table("record_contents") as table:
        table.drop_column("year")
        table.drop_column("title_key")
        table.drop_column("search_title")
