"""The OAI-PMH endpoint over HTTP: GET and POST alike, always HTTP 200 with an OAI body.

Whatever arrives (a missing verb, invalid UTF-8, ten thousand parameters, an
oversized form) gets the protocol's own error, never a 5xx and never a
malformed document.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from flask import Blueprint, Response, current_app, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from zlib_ng import gzip_ng, zlib_ng

from catalogue.database import read_once_more
from catalogue.tables import RecordRow
from oai import arguments, browser, responses, usage
from oai.provider import Provider
from oai.read_ahead import ReadAhead
from protocol.dates import utc_now
from protocol.errors import BadArgument, OAIError
from protocol.query_strings import decoded_pairs

blueprint = Blueprint(
    "oai", __name__, static_folder="static", static_url_path="/static", template_folder="templates"
)

CONTENT_TYPE = "text/xml; charset=utf-8"
#: Larger bodies are compressed when the client accepts it.
COMPRESS_FROM = 512
#: zlib-ng's level 5 sends as few bytes as zlib's did, in no more time than zlib's level 1.
COMPRESS_LEVEL = 5
#: No valid OAI-PMH request comes near this; a larger POST body is refused unread.
MAX_BODY = 1_000_000
#: The verbs whose pages are read ahead.
LISTS = ("ListRecords", "ListIdentifiers")


def _pairs() -> list[tuple[str, str]]:
    if request.method == "POST":
        if request.mimetype != "application/x-www-form-urlencoded":
            raise BadArgument("a POST request must be application/x-www-form-urlencoded")
        if (request.content_length or 0) > MAX_BODY:
            raise BadArgument("the request body is larger than any valid request")
        return decoded_pairs(request.get_data(cache=False))
    return decoded_pairs(request.query_string)


def _accepted_encoding() -> str | None:
    """gzip or deflate, if the client accepts one (q > 0), gzip first."""
    accepted = request.accept_encodings
    for encoding in current_app.extensions["navette.oai"].config.compression:
        if accepted[encoding] > 0 or (accepted["*"] > 0 and encoding not in accepted):
            return encoding
    return None


def _compress(body: bytes, encoding: str | None) -> tuple[bytes, dict[str, str]]:
    headers = {"Vary": "Accept, Accept-Encoding"}
    if encoding is None or len(body) < COMPRESS_FROM:
        return body, headers
    # zlib-ng writes the same formats as zlib, as small at the same level, in a third
    # to a half of the time.  Harvesters built on requests or httpx (Sickle,
    # oaipmh-scythe) ask for gzip, and zlib's level 5 cost them more than building the
    # page did (docs/performance.md).
    if encoding == "gzip":
        body = gzip_ng.compress(body, compresslevel=COMPRESS_LEVEL)
    else:
        body = zlib_ng.compress(body, COMPRESS_LEVEL)
    headers["Content-Encoding"] = encoding
    return body, headers


def _answer(
    ahead: ReadAhead | None, provider: Provider, parsed: arguments.OAIRequest, now: datetime
) -> tuple[list[str | bytes], Callable[[], None] | None]:
    """The answer's body: the list page read ahead for its token when the store is still
    as it was read, else read now; and, once a resumed page's token is issued, what
    reads the page it names ahead, to run once this answer is sent (started earlier,
    the read would contend with the sending for the interpreter)."""
    if ahead is None or parsed.verb not in LISTS:
        return list(provider.answer(parsed, now)), None
    token = parsed.get("resumptionToken")
    page = None
    if token is not None:
        # An expired or forged token is answered as ever, read ahead or not.
        provider.tokens.read(parsed.verb, token)
        page = ahead.take(parsed.verb, token)
    if page is not None:
        body, next_token = page.body, page.next_token
    else:
        body, next_token = list(provider.answer(parsed, now)), provider.next_token
    if next_token is None or token is None:
        # Only for a harvester that follows tokens: a first page asked for and left
        # costs no second read.
        return body, None
    return body, partial(ahead.start, parsed.verb, next_token, after=page)


def _answered(
    state, parsed: arguments.OAIRequest, now: datetime, base_url: str
) -> tuple[list[str | bytes], Callable[[], None] | None]:
    """``_answer`` in a session of the store: a resumed list page, which one statement
    reads, in one of the sessions kept for such reads (``catalogue.database.open_reads``);
    any other answer, which may take several, in a transaction."""

    def answer(session: Session) -> tuple[list[str | bytes], Callable[[], None] | None]:
        provider = Provider(state.config, state.tokens(), session, base_url)
        return _answer(state.read_ahead, provider, parsed, now)

    if parsed.verb in LISTS and "resumptionToken" in parsed.arguments:
        return read_once_more(state.reads, answer)
    with state.sessions() as session:
        return answer(session)


def _about(state, base_url: str) -> str:
    """The endpoint explained to a person who opened it in a browser without a verb."""
    with state.sessions() as session:
        first = session.scalar(
            select(RecordRow.identifier).where(RecordRow.deleted.is_(False)).limit(1)
        )
    prefix = f"oai:{state.config.repository_identifier}:"
    return render_template(
        "oai/about.html",
        base_url=base_url,
        formats=state.config.formats,
        example=prefix + first if first else None,
    )


@blueprint.route("", methods=["GET", "POST"], strict_slashes=False)
def endpoint() -> Response:
    state = current_app.extensions["navette.oai"]
    now = utc_now()
    base_url = state.base_url or request.base_url
    if (
        request.method == "GET"
        and not request.query_string
        and browser.wants_html(request.accept_mimetypes)
    ):
        # No OAI-PMH client sends a bare GET preferring HTML: a person followed a link.
        return Response(_about(state, base_url), content_type=browser.HTML_CONTENT_TYPE)
    stylesheet = url_for("oai.static", filename="oai2.xsl")
    echoed: dict[str, str] | None = None
    read_next = None
    verb, outcome, served = None, "ok", 0
    try:
        pairs = _pairs()
        verb = next((value for name, value in pairs if name == "verb"), None)
        parsed = arguments.parse(pairs)
        echoed = {"verb": parsed.verb, **parsed.arguments}
        body, read_next = _answered(state, parsed, now, base_url)
        served = usage.records_in(body)
    except OAIError as error:
        if not error.echoes_arguments:
            echoed = None
        outcome = error.code
        body = list(responses.errors(error.errors))
    if state.usage is not None:
        agent = request.headers.get("User-Agent") or "(none)"
        state.usage.count(now, request.remote_addr or "", agent, verb, outcome, served)
    answer = responses.joined(responses.envelope(now, base_url, echoed, body, stylesheet))
    content_type = CONTENT_TYPE
    if browser.wants_html(request.accept_mimetypes):
        answer, content_type = browser.to_html(answer), browser.HTML_CONTENT_TYPE
    payload, headers = _compress(answer, _accepted_encoding())
    response = Response(payload, status=200, headers=headers, content_type=content_type)
    if read_next is not None:
        response.call_on_close(read_next)
    return response
