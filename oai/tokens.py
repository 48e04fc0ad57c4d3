"""Stateless, signed resumption tokens.

A token carries the whole state of a list request (format, set, window, the key
of the last item sent, cursor, list size), signed with a key the service keeps in
its database, so any process answers it, after any restart, and nobody can forge
or alter one.  The verb is part of the signature: a ListRecords token is refused
by ListIdentifiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from protocol.errors import BadResumptionToken


@dataclass(frozen=True)
class Issued:
    token: str
    expires: datetime


class Tokens:
    def __init__(self, secret: str, lifetime: int) -> None:
        self.secret = secret
        self.lifetime = lifetime

    def _serializer(self, verb: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt=f"navette-oai-{verb}")

    def issue(self, verb: str, state: dict[str, Any]) -> Issued:
        token = self._serializer(verb).dumps(state)
        if isinstance(token, bytes):
            token = token.decode()
        expires = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        return Issued(token, expires + timedelta(seconds=self.lifetime))

    def read(self, verb: str, token: str) -> dict[str, Any]:
        try:
            state = self._serializer(verb).loads(token, max_age=self.lifetime)
        except SignatureExpired as error:
            raise BadResumptionToken("the resumption token has expired") from error
        except (BadData, UnicodeError, ValueError) as error:
            raise BadResumptionToken(f"the resumption token is not one {verb} issued") from error
        if not isinstance(state, dict):
            raise BadResumptionToken(f"the resumption token is not one {verb} issued")
        return state
