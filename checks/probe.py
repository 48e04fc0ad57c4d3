"""What ``navette check`` sends to an endpoint and how it reads the answer.

Every response is parsed safely and, when the XSDs are at hand, checked against
OAI-PMH.xsd and its payloads' schemas as it arrives: the checks themselves only ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from lxml import etree

from mappings.safexml import UnsafeXML, parse
from protocol.failures import in_words
from protocol.namespaces import EBUCORE, OAI, OAI_DC
from schemas import validators

Q = "{%s}" % OAI
#: Payload namespaces whose schemas Navette holds (others are not judged).
KNOWN_FORMATS = {OAI_DC, EBUCORE, *validators.OAI_SETS}


@dataclass
class Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    root: etree._Element | None
    problem: str | None = None

    def errors(self) -> list[str]:
        if self.root is None:
            return []
        return [e.get("code", "") for e in self.root.findall(Q + "error")]

    def show(self) -> str:
        """The request and, in a few words, what came back."""
        if self.root is None:
            answer = self.problem or self.body[:120].decode("utf-8", "replace")
        elif self.errors():
            answer = "; ".join(
                f'error {e.get("code")} "{(e.text or "").strip()[:80]}"'
                for e in self.root.findall(Q + "error")
            )
        else:
            verb = next(
                (
                    c
                    for c in self.root
                    if isinstance(c.tag, str) and c.tag not in (Q + "responseDate", Q + "request")
                ),
                None,
            )
            name = etree.QName(verb).localname if verb is not None else "nothing"
            items = 0 if verb is None else len([c for c in verb if c.tag != Q + "resumptionToken"])
            answer = f"{name} with {items} items"
        return f"{self.url} -> HTTP {self.status}, {answer}"


@dataclass
class Probe:
    """Sends requests to one endpoint and keeps what was wrong with its answers."""

    base_url: str
    session: requests.Session = field(default_factory=requests.Session)
    timeout: float = 60.0
    #: Whether the official XSDs are at hand; without them answers are not validated.
    schemas: bool = True
    invalid_responses: list[str] = field(default_factory=list)
    responses: int = 0

    def get(self, params: dict[str, str] | list[tuple[str, str]], **options) -> Response:
        query = urlencode(params)
        url = f"{self.base_url}?{query}" if query else self.base_url
        return self._send("GET", url, url, **options)

    def post(self, params: dict[str, str]) -> Response:
        return self._send(
            "POST", self.base_url, f"POST {self.base_url} {urlencode(params)}", data=params
        )

    def _send(self, method: str, url: str, label: str, headers=None, data=None) -> Response:
        try:
            reply = self.session.request(
                method, url, headers=headers or {}, data=data, timeout=self.timeout
            )
        except requests.RequestException as error:
            return Response(label, 0, {}, b"", None, f"no answer: {in_words(error, url)}")
        root, problem = None, None
        try:
            root = parse(reply.content)
        except (etree.XMLSyntaxError, UnsafeXML) as error:
            problem = _not_xml(reply, error)
        response = Response(
            label, reply.status_code, dict(reply.headers), reply.content, root, problem
        )
        self.responses += 1
        if problem:
            self.invalid_responses.append(f"{label}: {problem}")
        elif self.schemas:
            problems = validators.quick_problems(root, validators.oai_schema_for(root))
            if problems and self._payloads_known(root):
                self.invalid_responses.append(f"{label}: {problems[0]}")
        return response

    @staticmethod
    def _payloads_known(root: etree._Element) -> bool:
        for metadata in root.iter(Q + "metadata"):
            children = [c for c in metadata if isinstance(c.tag, str)]
            if children and etree.QName(children[0]).namespace not in KNOWN_FORMATS:
                return False
        return True


def _not_xml(reply: requests.Response, error: etree.XMLSyntaxError | UnsafeXML) -> str:
    """Why a response is no OAI-PMH document: a web page is said to be one."""
    start = reply.content[:512].lstrip().lower()
    kind = reply.headers.get("Content-Type", "").split(";")[0].strip().lower()
    page = kind in ("text/html", "application/xhtml+xml")
    if page or start.startswith((b"<!doctype html", b"<html")):
        return (
            "an HTML page, not an OAI-PMH response (is this the endpoint's base URL, "
            "usually ending in /oai or /request?)"
        )
    return in_words(error) if isinstance(error, etree.XMLSyntaxError) else str(error)
