"""Failures in words: what went wrong, as a sentence an admin can act on.

Every room reports failures to a person (the admin pages, the command line, ``navette
check``, the run reports), so this stands on the ground floor.  An exception's repr
(``HTTPConnectionPool(host=…): Max retries exceeded … NewConnectionError(…)``) says
where in the code it went wrong; the admin needs to know what the partner did and
what to check.  Each kind of failure has a small reader; anything else is given as
its own message, cleaned of code-shaped noise, never as a repr or a traceback.
"""

from __future__ import annotations

import re
import socket
import ssl
from collections.abc import Callable
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from lxml import etree

_LXML_TAIL = re.compile(r"\s*\(<string>, line \d+\)\s*$")
#: What marks text as code rather than words: reprs, addresses, exception class names.
_CODE_SHAPED = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>|\w+(?:Error|Exception)\(|\\n")


def _where(url: str | None) -> str:
    if not url:
        return "the partner"
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, "")
    return f"{parts.hostname}:{port}" if parts.hostname else url


def _innermost(error: BaseException) -> BaseException:
    """The exception at the bottom of a chain (urllib3 wraps the socket's error twice)."""
    seen = set()
    while id(error) not in seen:
        seen.add(id(error))
        nested = getattr(error, "reason", None) or error.__cause__ or error.__context__
        if not isinstance(nested, BaseException):
            break
        error = nested
    return error


def _connection(error: BaseException, url: str | None) -> str | None:
    inner = _innermost(error)
    where = _where(url or getattr(getattr(error, "request", None), "url", None))
    if isinstance(inner, socket.gaierror) or isinstance(
        inner, urllib3.exceptions.NameResolutionError
    ):
        host = urlsplit(url).hostname if url else "the partner's host"
        return f"the host name {host} could not be found (DNS): is the URL right?"
    if isinstance(inner, ConnectionRefusedError) or "Connection refused" in str(inner):
        return f"the partner did not answer: connection refused at {where}; is the URL right?"
    if isinstance(inner, ssl.SSLError | requests.exceptions.SSLError):
        return f"the partner's HTTPS could not be trusted at {where} ({_reason(inner)})"
    if isinstance(error, requests.ConnectTimeout):
        return f"the partner did not answer at {where}: no connection within the time allowed"
    if isinstance(error, requests.ReadTimeout | socket.timeout | TimeoutError):
        return f"the partner at {where} stopped sending before the response was complete"
    if isinstance(error, requests.exceptions.ChunkedEncodingError) or isinstance(
        inner, urllib3.exceptions.ProtocolError | ConnectionResetError
    ):
        return f"the connection to {where} broke before the response was complete"
    if isinstance(error, requests.ConnectionError):
        return f"the partner did not answer at {where} ({_reason(inner)})"
    return None


def _xml(error: BaseException, url: str | None) -> str | None:
    if not isinstance(error, etree.XMLSyntaxError):
        return None
    message = _LXML_TAIL.sub("", str(error.msg or error))
    line, column = error.position if error.position else (None, None)
    where = f" at line {line}, column {column}" if line else ""
    return f"not well-formed XML{where}: {message}"


def _os(error: BaseException, url: str | None) -> str | None:
    if isinstance(error, OSError) and error.strerror:
        target = f" ({error.filename})" if error.filename else ""
        return f"{error.strerror.lower()}{target}"
    return None


#: The readers, tried in turn: the first to recognise the failure says it.
READERS: list[Callable[[BaseException, str | None], str | None]] = [_connection, _xml, _os]


def _reason(error: BaseException) -> str:
    text = getattr(error, "strerror", None) or getattr(error, "reason", None) or str(error)
    return clean(str(text)) or type(error).__name__


def clean(text: str) -> str:
    """A message without the parts that are code: reprs, escaped newlines, lxml's tail."""
    text = _LXML_TAIL.sub("", text.replace("\\n", " "))
    if _CODE_SHAPED.search(text):
        text = _CODE_SHAPED.split(text)[0].rstrip(" :(,")
    return " ".join(text.split())


def in_words(error: BaseException, url: str | None = None) -> str:
    """The failure as a sentence for an admin (``url``: what was being asked)."""
    for read in READERS:
        said = read(error, url)
        if said:
            return said
    return clean(str(error)) or f"an unexpected {type(error).__name__} (see the log)"


def looks_like_code(text: str) -> bool:
    """Whether ``text`` carries a repr, a traceback or an escaped newline (a bug to fix)."""
    return bool(_CODE_SHAPED.search(text)) or "Traceback (most recent call last)" in text
