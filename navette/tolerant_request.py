"""A request whose query string never raises, whatever bytes a client sent.

Werkzeug decodes ``request.args`` as strict UTF-8: a raw byte such as ``0x80`` in the
query string (which a WSGI server passes through unchanged) raises ``UnicodeDecodeError``
wherever the arguments are first read (the language chooser, an error page) and turns a
bad request into a 500.  Here they are read as the OAI-PMH endpoint reads its own
(``protocol.query_strings``).
"""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import MultiDict
from werkzeug.utils import cached_property

from protocol.query_strings import decoded_pairs


class TolerantRequest(Request):
    @cached_property
    def args(self) -> MultiDict[str, str]:
        return self.parameter_storage_class(decoded_pairs(self.query_string))
