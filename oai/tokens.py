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
from functools import lru_cache
from typing import Any

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.url_safe import URLSafeSerializerMixin

from protocol.errors import BadResumptionToken


@dataclass(frozen=True)
class Issued:
    token: str
    expires: datetime


class _UncompressedSerializer(URLSafeTimedSerializer):
    """itsdangerous's URL-safe timed tokens, written without trying zlib on them.

    A token's state is some 150 bytes of JSON; compressing it saves 35 characters of
    the token and costs more than the rest of issuing it (zlib sets up its window for
    every token).  Reading is itsdangerous's own, which still takes the compressed
    tokens earlier releases issued, so a walk goes on across an upgrade.
    """

    def dump_payload(self, obj: Any) -> bytes:
        return base64_encode(super(URLSafeSerializerMixin, self).dump_payload(obj))


@lru_cache(maxsize=64)
def _serializer(secret: str, verb: str) -> URLSafeTimedSerializer:
    """One serializer per key and verb: each page issues a token and reads one."""
    return _UncompressedSerializer(secret, salt=f"navette-oai-{verb}")


class Tokens:
    def __init__(self, secret: str, lifetime: int) -> None:
        self.secret = secret
        self.lifetime = lifetime

    def _serializer(self, verb: str) -> URLSafeTimedSerializer:
        return _serializer(self.secret, verb)

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
