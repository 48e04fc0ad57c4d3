"""Admin sessions kept on the server: a cookie is only as good as its row in the store.

The signed cookie carries a random token; the store keeps its SHA-256 and the moment the
session ends.  Logging out deletes the row, so a copy of the cookie taken before the
logout opens nothing after it; a session also ends when its lifetime runs out.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import AdminSession


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    sessions: sessionmaker[Session], user: str, now: datetime, lifetime: timedelta
) -> str:
    """A new session's token (for the cookie); expired sessions are swept on the way."""
    token = secrets.token_urlsafe(32)
    with sessions.begin() as session:
        session.execute(delete(AdminSession).where(AdminSession.expires < now))
        session.add(
            AdminSession(digest=_digest(token), user=user, created=now, expires=now + lifetime)
        )
    return token


def is_open(sessions: sessionmaker[Session], token: str | None, now: datetime) -> bool:
    if not token:
        return False
    with sessions() as session:
        row = session.get(AdminSession, _digest(token))
    return row is not None and row.expires > now


def close_session(sessions: sessionmaker[Session], token: str | None) -> None:
    if token:
        with sessions.begin() as session:
            session.execute(delete(AdminSession).where(AdminSession.digest == _digest(token)))


def user_of(sessions: sessionmaker[Session], token: str | None) -> str | None:
    """Who logged in with this session's token (None: no open session)."""
    if not token:
        return None
    with sessions() as session:
        row = session.get(AdminSession, _digest(token))
    return row.user if row is not None else None
