"""`navette check URL`: probing an OAI-PMH endpoint the way a conformance validator does.

Every check sends real requests to the endpoint (and nowhere else: the schemas are
local), and reports pass or fail with its evidence, the request and what came back.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from lxml import etree

from mappings.namespaces import OAI
from mappings.safexml import UnsafeXML, parse
from schemas import validators

Q = "{%s}" % OAI
GRANULARITIES = ("YYYY-MM-DD", "YYYY-MM-DDThh:mm:ssZ")
KNOWN_FORMATS = {
    "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "urn:ebu:metadata-schema:ebucore",
}


@dataclass
class Check:
    name: str
    passed: bool
    evidence: str

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'} {self.name}: {self.evidence}"


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
class Checker:
    base_url: str
    session: requests.Session = field(default_factory=requests.Session)
    timeout: float = 60.0
    max_pages: int = 200
    checks: list[Check] = field(default_factory=list)
    invalid_responses: list[str] = field(default_factory=list)
    responses: int = 0

    # --- requests -------------------------------------------------------------------

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
            return Response(label, 0, {}, b"", None, f"no answer: {error}")
        root, problem = None, None
        try:
            root = parse(reply.content)
        except (etree.XMLSyntaxError, UnsafeXML) as error:
            problem = f"not well-formed XML: {error}"
        response = Response(
            label, reply.status_code, dict(reply.headers), reply.content, root, problem
        )
        self.responses += 1
        if root is not None:
            problems = validators.quick_problems(root, "oai-pmh")
            if problems and self._payloads_known(root):
                self.invalid_responses.append(f"{label}: {problems[0]}")
        elif problem:
            self.invalid_responses.append(f"{label}: {problem}")
        return response

    @staticmethod
    def _payloads_known(root: etree._Element) -> bool:
        for metadata in root.iter(Q + "metadata"):
            children = [c for c in metadata if isinstance(c.tag, str)]
            if children and etree.QName(children[0]).namespace not in KNOWN_FORMATS:
                return False
        return True

    def record(self, name: str, passed: bool, evidence: str) -> bool:
        self.checks.append(Check(name, passed, evidence))
        return passed

    # --- the checks -------------------------------------------------------------------

    def run(self) -> list[Check]:
        identify = self.check_identify()
        formats = self.check_list_metadata_formats()
        self.check_list_sets()
        first = self.check_lists()
        self.check_get_record(first)
        self.check_errors(first)
        self.check_dates(identify, first)
        self.check_paging()
        self.check_deleted(identify)
        self.check_post()
        self.check_compression(identify)
        self.check_samples(formats)
        self.record(
            "every response is valid against OAI-PMH.xsd and its payload schemas",
            not self.invalid_responses,
            f"{self.responses} responses checked"
            + ("; " + "; ".join(self.invalid_responses[:3]) if self.invalid_responses else ""),
        )
        return self.checks

    def check_identify(self) -> etree._Element | None:
        response = self.get({"verb": "Identify"})
        identify = response.root.find(Q + "Identify") if response.root is not None else None
        if not self.record(
            "Identify answers", response.status == 200 and identify is not None, response.show()
        ):
            return None
        missing = [
            n
            for n in (
                "repositoryName",
                "baseURL",
                "protocolVersion",
                "adminEmail",
                "earliestDatestamp",
                "deletedRecord",
                "granularity",
            )
            if identify.find(Q + n) is None
        ]
        self.record(
            "Identify has every required field",
            not missing,
            f"missing {missing}" if missing else response.show(),
        )
        base = (identify.findtext(Q + "baseURL") or "").strip()
        self.record(
            "baseURL is the URL harvesters use",
            base.rstrip("/") == self.base_url.rstrip("/"),
            f"baseURL {base!r}, probed {self.base_url!r}",
        )
        self.record(
            "protocolVersion is 2.0",
            identify.findtext(Q + "protocolVersion") == "2.0",
            f"protocolVersion {identify.findtext(Q + 'protocolVersion')!r}",
        )
        granularity = identify.findtext(Q + "granularity")
        self.record(
            "granularity is one of the two the spec allows",
            granularity in GRANULARITIES,
            f"granularity {granularity!r}",
        )
        return identify

    def check_list_metadata_formats(self) -> dict[str, str]:
        response = self.get({"verb": "ListMetadataFormats"})
        formats = {}
        if response.root is not None:
            for item in response.root.iter(Q + "metadataFormat"):
                formats[item.findtext(Q + "metadataPrefix")] = item.findtext(
                    Q + "metadataNamespace"
                )
        self.record(
            "ListMetadataFormats offers oai_dc",
            "oai_dc" in formats,
            f"{response.url} -> {sorted(formats)}",
        )
        return formats

    def check_list_sets(self) -> None:
        response = self.get({"verb": "ListSets"})
        sets = response.root is not None and response.root.find(Q + "ListSets") is not None
        self.record(
            "ListSets lists sets or answers noSetHierarchy",
            sets or response.errors() == ["noSetHierarchy"],
            response.show(),
        )

    def check_lists(self) -> etree._Element | None:
        """The first header of ListIdentifiers (oai_dc), if the repository has records."""
        response = self.get({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
        listed = response.root is not None and response.root.find(Q + "ListIdentifiers")
        self.record(
            "ListIdentifiers answers",
            listed is not None or response.errors() == ["noRecordsMatch"],
            response.show(),
        )
        records = self.get({"verb": "ListRecords", "metadataPrefix": "oai_dc"})
        self.record(
            "ListRecords answers",
            records.root is not None
            and (
                records.root.find(Q + "ListRecords") is not None
                or records.errors() == ["noRecordsMatch"]
            ),
            records.show(),
        )
        if listed is None or not len(listed):
            return None
        return listed.find(Q + "header")

    def check_get_record(self, header: etree._Element | None) -> None:
        if header is None:
            self.record("GetRecord", True, "no records to ask for")
            return
        identifier = header.findtext(Q + "identifier")
        response = self.get(
            {"verb": "GetRecord", "identifier": identifier, "metadataPrefix": "oai_dc"}
        )
        found = response.root is not None and response.root.findtext(
            f"{Q}GetRecord/{Q}record/{Q}header/{Q}identifier"
        )
        self.record("GetRecord returns the record listed", found == identifier, response.show())

    def check_errors(self, header: etree._Element | None) -> None:
        cases: list[tuple[str, list[tuple[str, str]] | dict, str]] = [
            ("no verb", [], "badVerb"),
            ("an unknown verb", {"verb": "Frobnicate"}, "badVerb"),
            ("a repeated verb", [("verb", "Identify"), ("verb", "Identify")], "badVerb"),
            ("an illegal argument", {"verb": "Identify", "foo": "bar"}, "badArgument"),
            ("a missing metadataPrefix", {"verb": "ListRecords"}, "badArgument"),
            (
                "an impossible date",
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-13-45"},
                "badArgument",
            ),
            (
                "an unknown format",
                {"verb": "ListRecords", "metadataPrefix": "no-such-format"},
                "cannotDisseminateFormat",
            ),
            (
                "an unknown identifier",
                {
                    "verb": "GetRecord",
                    "metadataPrefix": "oai_dc",
                    "identifier": "oai:no.such.repository:x",
                },
                "idDoesNotExist",
            ),
            (
                "a forged resumption token",
                {"verb": "ListRecords", "resumptionToken": "forged-token"},
                "badResumptionToken",
            ),
        ]
        for label, params, code in cases:
            response = self.get(params)
            request = response.root.find(Q + "request") if response.root is not None else None
            passed = response.status == 200 and code in response.errors()
            if passed and code in ("badVerb", "badArgument"):
                passed = request is not None and not request.attrib
            self.record(f"{label} is {code} (HTTP 200)", passed, response.show())

    def check_dates(self, identify: etree._Element | None, header: etree._Element | None) -> None:
        granularity = identify.findtext(Q + "granularity") if identify is not None else None
        day = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2000-01-01"}
        self.record(
            "day granularity is accepted", "badArgument" not in self.get(day).errors(), f"{day}"
        )
        mixed = {**day, "until": "2100-01-01T00:00:00Z"}
        self.record(
            "mixed granularities are badArgument",
            "badArgument" in self.get(mixed).errors(),
            f"{mixed}",
        )
        if header is None:
            return
        stamp = header.findtext(Q + "datestamp") or ""
        if granularity == GRANULARITIES[1] and "T" not in stamp:
            self.record("datestamps have the declared granularity", False, f"datestamp {stamp}")
        bounds = {
            "verb": "ListIdentifiers",
            "metadataPrefix": "oai_dc",
            "from": stamp,
            "until": stamp,
        }
        response = self.get(bounds)
        identifiers = (
            [] if response.root is None else [e.text for e in response.root.iter(Q + "identifier")]
        )
        self.record(
            "from and until are inclusive",
            header.findtext(Q + "identifier") in identifiers,
            response.show(),
        )

    def check_paging(self) -> None:
        params: dict[str, str] = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
        seen = pages = 0
        last_token = None
        sizes: set[int] = set()
        while pages < self.max_pages:
            response = self.get(params)
            pages += 1
            if response.root is None or response.errors():
                break
            container = response.root.find(Q + "ListIdentifiers")
            seen_before = seen
            seen += len(container.findall(Q + "header"))
            token = container.find(Q + "resumptionToken")
            if token is None:
                if pages > 1:
                    self.record(
                        "the last page of a paged list has an empty resumptionToken",
                        False,
                        response.show(),
                    )
                else:
                    self.record(
                        "a list that fits one page needs no resumptionToken",
                        True,
                        f"{seen} headers",
                    )
                return
            if (token.get("completeListSize") or "").isdigit():
                sizes.add(int(token.get("completeListSize")))
            cursor = token.get("cursor")
            if cursor is not None and int(cursor) != seen_before:
                self.record(
                    "cursor counts the items already sent",
                    False,
                    f"cursor {cursor} after {seen_before} items: {response.url}",
                )
                return
            if not (token.text or "").strip():
                self.record(
                    "the last page carries an empty resumptionToken",
                    True,
                    f"{pages} pages, {seen} headers",
                )
                if sizes:
                    self.record(
                        "completeListSize is the size of the list",
                        sizes == {seen},
                        f"completeListSize {sorted(sizes)} over the pages, {seen} headers listed",
                    )
                return
            if token.text == last_token:
                self.record("resumption tokens move on", False, f"repeated {token.text!r}")
                return
            last_token = token.text
            params = {"verb": "ListIdentifiers", "resumptionToken": token.text}
        self.record("lists end", pages < self.max_pages, f"stopped after {pages} pages")

    def check_deleted(self, identify: etree._Element | None) -> None:
        policy = identify.findtext(Q + "deletedRecord") if identify is not None else None
        self.record(
            "deletedRecord is no, transient or persistent",
            policy in ("no", "transient", "persistent"),
            f"deletedRecord {policy!r}",
        )

    def check_post(self) -> None:
        response = self.post({"verb": "Identify"})
        self.record(
            "POST is answered like GET",
            response.status == 200
            and response.root is not None
            and response.root.find(Q + "Identify") is not None,
            response.show(),
        )

    def check_compression(self, identify: etree._Element | None) -> None:
        advertised = (
            [] if identify is None else [c.text for c in identify.findall(Q + "compression")]
        )
        for encoding, decode in (("gzip", gzip.decompress), ("deflate", zlib.decompress)):
            if encoding not in advertised:
                continue
            reply = self.session.get(
                self.base_url,
                params={"verb": "Identify"},
                headers={"Accept-Encoding": encoding},
                timeout=self.timeout,
                stream=True,
            )
            raw = reply.raw.read(decode_content=False)
            used = reply.headers.get("Content-Encoding")
            try:
                ok = used == encoding and b"Identify" in decode(raw)
            except (OSError, zlib.error):
                ok = False
            self.record(
                f"{encoding} as advertised",
                ok,
                f"Accept-Encoding: {encoding} -> Content-Encoding: {used}",
            )

    def check_samples(self, formats: dict[str, str]) -> None:
        for prefix, namespace in sorted(formats.items()):
            if namespace not in KNOWN_FORMATS:
                self.record(
                    f"a sample of {prefix} records",
                    True,
                    f"{namespace}: no local schema, not checked",
                )
                continue
            before = len(self.invalid_responses)
            response = self.get({"verb": "ListRecords", "metadataPrefix": prefix})
            count = 0 if response.root is None else len(list(response.root.iter(Q + "record")))
            self.record(
                f"a sample of {prefix} records is valid",
                len(self.invalid_responses) == before,
                f"{count} records of {response.url}",
            )


def check(base_url: str, write: Callable[[str], None] = print, max_pages: int = 200) -> bool:
    checks = Checker(base_url, max_pages=max_pages).run()
    for item in checks:
        write(item.line())
    failed = sum(not c.passed for c in checks)
    write(f"{len(checks)} checks: {len(checks) - failed} passed, {failed} failed")
    return failed == 0
