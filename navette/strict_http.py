"""waitress's request parser, made strict where request smuggling lives.

A request carrying both ``Content-Length`` and ``Transfer-Encoding`` is framed one way by
one server and another way by the next: a proxy in front may take the body for the first,
waitress (which follows the chunked coding) for the second, and a request hidden in the
body is then answered.  RFC 9112, section 6.1, allows a server to refuse such a message;
Navette does, with 400, and the connection is closed (waitress closes after an error).
"""

from __future__ import annotations

import re

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError

_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:", re.IGNORECASE | re.MULTILINE)
_TRANSFER_ENCODING = re.compile(rb"^transfer-encoding[ \t]*:", re.IGNORECASE | re.MULTILINE)


class StrictRequestParser(HTTPRequestParser):
    def parse_header(self, header_plus: bytes) -> None:
        both = _CONTENT_LENGTH.search(header_plus) and _TRANSFER_ENCODING.search(header_plus)
        # Parsed first: the error answer needs the request line waitress reads here.
        super().parse_header(header_plus)
        if both:
            raise ParsingError(
                "a request may carry Content-Length or Transfer-Encoding, not both "
                "(RFC 9112, section 6.1)"
            )


def install() -> None:
    """Every channel of this process parses its requests strictly (`navette serve` only)."""
    HTTPChannel.parser_class = StrictRequestParser
