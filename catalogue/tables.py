"""The database tables of the store of record (SQLAlchemy 2, typed mappings).

A record is one row of ``records``: the columns OAI-PMH selects and pages on
(identifier, datestamp, deleted), its content hash, and the whole record as JSON
so that nothing is flattened.  Its XML renderings, made once when it is written,
sit in ``renderings``; its set memberships in ``record_sets``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


class RecordRow(Base):
    __tablename__ = "records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    identifier: Mapped[str] = mapped_column(String(255), unique=True)
    #: UTC, whole seconds, naive (the database keeps no zone): the OAI datestamp.
    datestamp: Mapped[datetime] = mapped_column(DateTime)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
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
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    #: The OAI ``about`` container (provenance) of a harvested record, made once when
    #: it is written; not part of the content hash, since the harvest date moves.
    about: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index("ix_records_datestamp_identifier", "datestamp", "identifier", "deleted", "formats"),
    )


class Rendering(Base):
    """The record in one metadata format, serialised once when the record is written."""

    __tablename__ = "renderings"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    prefix: Mapped[str] = mapped_column(String(32), primary_key=True)
    xml: Mapped[str] = mapped_column(Text)


class RecordSet(Base):
    __tablename__ = "record_sets"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    spec: Mapped[str] = mapped_column(String(255), primary_key=True)

    __table_args__ = (Index("ix_record_sets_spec_record", "spec", "record_id"),)


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
