"""The database tables of the store of record (SQLAlchemy 2, typed mappings).

A record is one row of ``records``: the columns OAI-PMH selects and pages on
(identifier, datestamp, deleted, formats, sets, provenance) and its content hash.  The
whole record as JSON, so that nothing is flattened, and its search line sit beside it
in ``record_contents``: kept out of the row every list reads, they would make it ten
times larger (docs/performance.md).  Its XML renderings, made once when it is written,
sit in ``renderings``; its set memberships in ``record_sets``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from catalogue.model import IDENTIFIER_LENGTH
from catalogue.packing import PackedXML

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


class RecordRow(Base):
    __tablename__ = "records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    identifier: Mapped[str] = mapped_column(String(IDENTIFIER_LENGTH), unique=True)
    #: UTC, whole seconds, naive (the database keeps no zone): the OAI datestamp.
    datestamp: Mapped[datetime] = mapped_column(DateTime)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: When the record came into the catalogue (or came back after a deletion), so a
    #: ResourceSync Change List can say "created" rather than "updated"; None for the
    #: records stored before this was kept, of which it is not known.
    created: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    #: Hash of the record's data and the crosswalks' version: equal means that
    #: rendering it again would give the same renderings, so the writer may skip it.
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: The metadata prefixes the record has renderings in, space-padded (" ebucore oai_dc "),
    #: empty for a deleted record: lets a list be selected and counted from the index alone.
    formats: Mapped[str] = mapped_column(String(200), default="")
    #: The record's set specs, space-separated: a copy of ``record_sets`` kept on the row
    #: so that a page of headers needs no second query.
    set_specs: Mapped[str] = mapped_column(Text, default="")
    #: The harvest source the record came from; None for the library's own records.
    source: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    #: The OAI ``about`` container (provenance) of a harvested record, made once when
    #: it is written; not part of the content hash, since the harvest date moves.
    about: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: Loaded only where asked for (``options(joinedload(RecordRow.contents))``).
    contents: Mapped[RecordContent] = relationship(
        lazy="raise", uselist=False, passive_deletes=True
    )

    __table_args__ = (
        Index("ix_records_datestamp_identifier", "datestamp", "identifier", "deleted", "formats"),
    )


class RecordContent(Base):
    """The record itself, as JSON, and the words a search finds it by."""

    __tablename__ = "record_contents"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    #: The record's titles, names, subjects and identifiers, folded (``catalogue.search``);
    #: its titles alone, which rank higher; the first title folded and the year, the
    #: list's sorts.  Their words are indexed in ``record_words``.
    search_text: Mapped[str] = mapped_column(Text, default="")
    search_title: Mapped[str] = mapped_column(Text, default="", server_default="")
    title_key: Mapped[str] = mapped_column(String(200), default="", server_default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)


class RecordWord(Base):
    """One word a record is found by (``catalogue.searched_text.posted``) and whether its
    titles hold it: the search's index, on both stores.  Its key is the word, then the
    record, so a word's matches are one range of the index, read without visiting a row
    (a full-text index hands back rows, and at a million records reading the 24,000 rows
    a common word matches took most of a search's time).  Kept by ``catalogue.store``
    beside ``record_contents``, whose search columns it indexes (migration 0019)."""

    __tablename__ = "record_words"
    __table_args__ = (
        PrimaryKeyConstraint("word", "record_id", postgresql_include=["in_title"]),
        {"sqlite_with_rowid": False},
    )

    #: Compared by its bytes (collation C) on PostgreSQL: a word is only looked for whole.
    word: Mapped[str] = mapped_column(Text().with_variant(Text(collation="C"), "postgresql"))
    record_id: Mapped[int] = mapped_column(Integer)
    in_title: Mapped[bool] = mapped_column(Boolean)


class Rendering(Base):
    """The record in one metadata format, serialised once when the record is written and
    kept packed (``catalogue.packing``): read as text, written with ``packing.pack``."""

    __tablename__ = "renderings"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    prefix: Mapped[str] = mapped_column(String(32), primary_key=True)
    xml: Mapped[str] = mapped_column(PackedXML)
    #: It may declare XML IDs (``protocol.xml_ids``): a list answer reads them.
    declares_ids: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class RecordSet(Base):
    __tablename__ = "record_sets"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    spec: Mapped[str] = mapped_column(String(255), primary_key=True)

    __table_args__ = (Index("ix_record_sets_spec_record", "spec", "record_id"),)


class RecordFacet(Base):
    """One value a record is browsed by (``catalogue.facets``): its series, a subject, its
    decade, a person...  Read by kind and value, to narrow a list and to count it."""

    __tablename__ = "record_facets"
    __table_args__ = (Index("ix_record_facets_record_kind_value", "record_id", "kind", "value"),)

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(255), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )


class SetRow(Base):
    """An OAI set: its spec (colon-separated hierarchy), name and description."""

    __tablename__ = "sets"

    spec: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)


class Setting(Base):
    """Values the service keeps for itself, such as the key that signs resumption tokens."""

    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- partner archives and their harvests ---------------------------------------------


class SourceRow(Base):
    """A partner archive Navette harvests, with the state its next harvest resumes from."""

    __tablename__ = "sources"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    base_url: Mapped[str] = mapped_column(Text)
    #: "oai-pmh" (``base_url`` is the endpoint) or "resourcesync" (a Capability List).
    protocol: Mapped[str] = mapped_column(String(20), default="oai-pmh", server_default="oai-pmh")
    #: Metadata prefixes to ask for, richest first; empty: chosen from ListMetadataFormats.
    prefixes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    #: Sets to harvest; empty: the whole repository.
    sets: Mapped[list[str]] = mapped_column(JSONType, default=list)
    #: Cron expression for ``navette worker``; None: harvested on demand only.
    schedule: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: The partner's Identify: granularity (possibly downgraded to days) and deletedRecord.
    granularity: Mapped[str | None] = mapped_column(String(30), nullable=True)
    deleted_policy: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: The partner's responseDate at the start of the last successful harvest (UTC).
    harvested_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: idle, running, failed.
    status: Mapped[str] = mapped_column(String(20), default="idle")
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: Where an interrupted harvest resumes: window, token, counts (see harvester.sync).
    checkpoint: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    next_run: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: Share of the source's records a harvest may delete before an admin must approve.
    delete_threshold: Mapped[float] = mapped_column(default=0.2)
    #: Who runs it now and until when (so that no two workers harvest it at once).
    lease_owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: Left alone by the worker until an admin resumes it.
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: A "harvest now" waiting for a worker, and who asked (cleared once it has run).
    requested_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    requested_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


class HarvestRun(Base):
    """The report of one harvest: what came in, what was rejected, how it ended."""

    __tablename__ = "harvest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(100), index=True)
    started: Mapped[datetime] = mapped_column(DateTime)
    finished: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: running, success, rejects (finished with quarantined records), failed.
    status: Mapped[str] = mapped_column(String(20))
    counts: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)


class QuarantinedRecord(Base):
    """A harvested record that could not go in, with why, its raw XML and where it was."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(100), index=True)
    identifier: Mapped[str | None] = mapped_column(String(IDENTIFIER_LENGTH), nullable=True)
    metadata_prefix: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    raw_xml: Mapped[str] = mapped_column(Text)
    #: The request that returned it (URL with its arguments or resumption token).
    page: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime)
    #: held, retried, discarded; resolved once the partner sent the record again and it
    #: went in, replaced once it sent it again and it was refused again.
    status: Mapped[str] = mapped_column(String(20), default="held")

    __table_args__ = (Index("ix_quarantine_source_identifier", "source", "identifier"),)


class SeenCopy(Base):
    """The newest copy of a partner's record that the harvest in progress has read.

    Kept until the run ends, so that a stale copy read later in the list (the same
    identifier with an older datestamp) never overwrites a newer one, and so that the
    run's deletions (the records whose newest copy is a deletion) are decided once, at
    its end, even across a crash and its resumption.
    """

    __tablename__ = "harvest_seen"

    source: Mapped[str] = mapped_column(String(100), primary_key=True)
    #: The catalogue's identifier of the record (``harvester.mapping.local_identifier``).
    identifier: Mapped[str] = mapped_column(String(IDENTIFIER_LENGTH), primary_key=True)
    #: The partner's datestamp of that copy (UTC, naive); None if it gave none readable.
    datestamp: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class HeldDeletion(Base):
    """Deletions a harvest would make beyond the source's threshold, waiting for an admin."""

    __tablename__ = "held_deletions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(100), index=True)
    identifiers: Mapped[list[str]] = mapped_column(JSONType)
    reason: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime)
    #: held, approved, rejected.
    status: Mapped[str] = mapped_column(String(20), default="held")


class LoginAttempts(Base):
    """Failed admin logins by client address or user name, and the lock they earned."""

    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure: Mapped[datetime] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class AdminSession(Base):
    """A logged-in admin: the cookie holds a token, the store its digest and its end.

    Kept on the server so that logging out ends the session for every copy of the cookie.
    """

    __tablename__ = "admin_sessions"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime)
    expires: Mapped[datetime] = mapped_column(DateTime, index=True)


class ClientDay(Base):
    """The OAI requests of one client on one day, by verb and outcome, and the records
    they were served: who harvests this endpoint, rolled up so that it stays small
    (``catalogue.usage``)."""

    __tablename__ = "client_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    #: The client's address (as the trusted proxies report it) and its User-Agent.
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent: Mapped[str] = mapped_column(String(200), primary_key=True)
    verb: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: "ok", or the first OAI error code of the answer (noRecordsMatch, badArgument...).
    outcome: Mapped[str] = mapped_column(String(40), primary_key=True)
    requests: Mapped[int] = mapped_column(Integer)
    records: Mapped[int] = mapped_column(Integer)
