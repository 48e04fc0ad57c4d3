"""Opening the store: engine, schema migrations, sessions.

SQLite by default (a ``navette.db`` file in the working directory), PostgreSQL
in production; ``NAVETTE_DATABASE_URL`` chooses.  The schema is brought to the
latest Alembic revision on first use, so a new SQLite file just works.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from catalogue import codec

try:
    import fcntl
except ImportError:  # Windows: no flock; one process starting at a time is the operator's
    fcntl = None

DEFAULT_URL = "sqlite:///navette.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def normalise_url(url: str) -> str:
    """'postgresql://' and 'postgres://' mean the psycopg 3 driver here."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


#: The size of a SQLite store's pages, for a store made or compacted from now on.
#: SQLite's default, 4 kB, holds one or two renderings (2 kB of oai_dc, 7 kB of
#: EBUCore, overflowing onto pages of their own) and is read with a system call each:
#: in pages of 64 kB a list page's read cost 15-27 % less, the store took a fifth
#: less room and a harvest wrote as fast (docs/performance.md).
SQLITE_PAGE_SIZE = 65536


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # Takes effect only in a new file (before its first table) and at a compaction.
    cursor.execute(f"PRAGMA page_size={SQLITE_PAGE_SIZE}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, **options) -> Engine:
    url = normalise_url(url)
    options.setdefault("json_serializer", codec.dumps)
    options.setdefault("json_deserializer", codec.loads)
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options.setdefault("pool_pre_ping", True)
    try:
        engine = create_engine(url, **options)
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            f"{error}: PostgreSQL needs the driver: pip install 'navette[postgres]'"
        ) from error
    event.listen(engine, "connect", _postgresql_planner)
    event.listen(engine, "before_cursor_execute", _binary_results)
    return engine


#: An execution option: the statement's results are sent by PostgreSQL in its binary
#: format.  In text, a bytea column (a packed rendering) comes as hexadecimal, twice its
#: size, and psycopg spends as long again decoding it: for the pages a list reads, where
#: that is most of what the driver does (bench/serve_budget.py, issue 33).
BINARY_RESULTS = "navette_binary_results"


def _binary_results(connection, cursor, statement, parameters, context, executemany) -> None:
    if context is not None and context.execution_options.get(BINARY_RESULTS):
        from psycopg.pq import Format  # PostgreSQL's driver, only where it is used

        cursor.format = Format.BINARY


def _postgresql_planner(dbapi_connection, _record) -> None:
    """Navette reads lists a page at a time along the (datestamp, identifier) index:
    parallel workers cost more to start than such a page costs to read
    (docs/performance.md).  Set for the session, outside any transaction, so that it
    outlives the first."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    dbapi_connection.autocommit = autocommit


#: Records written by one harvest or import from which the statistics are refreshed.
STATISTICS_AFTER = 1000
#: The tables a list page reads.
LISTED = ("records", "renderings", "record_sets", "record_contents", "record_facets")


#: The counts of a harvest or an import that say how many records it wrote.
WRITTEN = ("new", "updated", "deleted")


def refresh_statistics_after(engine: Engine, counts: Mapping[str, int]) -> None:
    """``refresh_statistics`` after a harvest or an import that wrote many records."""
    if sum(counts.get(kind, 0) for kind in WRITTEN) >= STATISTICS_AFTER:
        refresh_statistics(engine)


def refresh_statistics(engine: Engine) -> None:
    """After a bulk write, the PostgreSQL planner's statistics of the tables a list reads.

    Without them (a store just filled, autovacuum off or not yet round, a restored
    dump) the planner guessed a few hundred records in a list and chose to read the
    rest of it and sort, instead of the index: 186 ms against 2 ms for a page of
    1,000 of 100,000, growing with the store (docs/performance.md).  SQLite's planner
    takes the index without them."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"ANALYZE {', '.join(LISTED)}")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


#: The PostgreSQL advisory lock held while the schema is brought up to date.
MIGRATION_LOCK = 0x6E617665  # "nave"


@contextmanager
def _alone(engine: Engine) -> Iterator[None]:
    """The schema changed by one process at a time: gunicorn's workers starting together
    on a new store would otherwise each create its tables, and all but one fail.  A
    SQLite file is locked whole (flock, which SQLite's own locks leave alone); PostgreSQL
    takes an advisory lock in the migration's transaction (``upgrade``)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or fcntl is None:
        yield
        return
    with open(path, "ab") as store:
        fcntl.flock(store, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(store, fcntl.LOCK_UN)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (Alembic), creating it on an empty database."""
    with _alone(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    compact(engine, config.attributes.get("compact", []))


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision`` (what a migration's own test starts from)."""
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def compact(engine: Engine, tables: list[str]) -> None:
    """Give back the space of rows a migration shrank (``tables``, as it names them), so
    that they fill their pages again.  Outside any transaction, as both databases ask."""
    if not tables:
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("VACUUM")
        else:
            for table in tables:
                connection.exec_driver_sql(f"VACUUM FULL {table}")


class StoreInUse(RuntimeError):
    """The store must be had alone for this, and another process has it open."""


def compact_all(engine: Engine) -> None:
    """Every table a list reads rewritten whole (``navette db compact``), then the
    planner's statistics of them refreshed."""
    if engine.dialect.name == "sqlite":
        _rewrite_sqlite(engine)
    else:
        compact(engine, list(LISTED))
    refresh_statistics(engine)


def _rewrite_sqlite(engine: Engine) -> None:
    """The whole file rewritten in pages of ``SQLITE_PAGE_SIZE``: a page size changes
    only out of WAL mode, which SQLite leaves only with the store to itself."""
    engine.dispose()  # the pool's idle connections would hold the store in WAL mode
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("PRAGMA busy_timeout=1000")
        try:
            mode = connection.exec_driver_sql("PRAGMA journal_mode=DELETE").scalar()
        except OperationalError as error:
            mode = str(error.orig)
        if mode != "delete":
            raise StoreInUse(
                f"another process has the store {engine.url.database} open ({mode}): "
                "stop the service and the harvests, then compact it again"
            )
        try:
            connection.exec_driver_sql("VACUUM")
        finally:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    engine.dispose()  # and its busy timeout with it


def page_size(engine: Engine) -> int | None:
    """The size of a SQLite store's pages (None on PostgreSQL, whose pages are 8 kB)."""
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA page_size").scalar()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def open_store(url: str) -> sessionmaker[Session]:
    """A session factory on an up-to-date schema."""
    engine = make_engine(url)
    upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)


def open_reads(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions for answers one statement reads whole (a resumed list page).

    On PostgreSQL a session of ``sessions`` pays three round trips besides its
    statement: the pool's ping, BEGIN and ROLLBACK; over loopback on this machine they
    were 18-29 % of the time a page of 100 took to read (docs/performance.md).  One
    statement sees one snapshot with or without a transaction around it, so these
    read in autocommit on connections of their own, kept without the ping
    (``read_once_more`` does its work).  SQLite begins no transaction to read and
    pings nothing: the same sessions.  Close them with ``close_reads``."""
    engine = sessions.kw["bind"]
    if engine.dialect.name != "postgresql":
        return sessions
    url = engine.url.render_as_string(hide_password=False)
    reads = make_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=False)
    return sessionmaker(reads, expire_on_commit=False)


def close_reads(reads: sessionmaker[Session], sessions: sessionmaker[Session]) -> None:
    """Close the connections ``open_reads`` opened beside ``sessions``."""
    if reads.kw["bind"] is not sessions.kw["bind"]:
        reads.kw["bind"].dispose()


T = TypeVar("T")


def read_once_more(sessions: sessionmaker[Session], read: Callable[[Session], T]) -> T:
    """``read`` in a new session; once more in another if the connection turned out
    dead (the server restarted since it was last used), which a ping before it would
    have found.  The pool drops the dead connection and those opened before it."""
    try:
        with sessions() as session:
            return read(session)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
    with sessions() as session:
        return read(session)
