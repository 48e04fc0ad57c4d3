"""The commit watch (catalogue.commits): what tells a page read ahead from a stale one."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from catalogue.commits import CommitWatch, can_watch
from catalogue.database import make_engine
from catalogue.tables import Setting


def test_a_commit_by_any_connection_changes_the_mark(sessions):
    watch = CommitWatch(sessions.kw["bind"])
    before = watch.mark()
    with sessions.begin() as session:
        session.add(Setting(name="touched", value="yes"))
    assert watch.mark() != before


def test_a_transaction_rolled_back_leaves_sqlites_mark_as_it_was(sqlite_sessions):
    watch = CommitWatch(sqlite_sessions.kw["bind"])
    before = watch.mark()
    with sqlite_sessions() as session:
        session.execute(update(Setting).values(value="never"))
        session.rollback()
    with sqlite_sessions() as session:
        session.get(Setting, "anything")
    assert watch.mark() == before


def test_a_store_in_memory_cannot_be_watched():
    engine = make_engine("sqlite://")
    assert not can_watch(engine)
    with pytest.raises(ValueError, match="cannot be watched"):
        CommitWatch(engine)
