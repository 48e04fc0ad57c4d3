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

from harvester.fetch import HarvestFailed
from harvester.listing import EndlessList, walk
from harvester.pages import Page, PageError, parse_page
from mappings.safexml import UnsafeXML, parse
from protocol.namespaces import OAI
from schemas import validators

Q = "{%s}" % OAI
GRANULARITIES = ("YYYY-MM-DD", "YYYY-MM-DDThh:mm:ssZ")
KNOWN_FORMATS = {
    "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "urn:ebu:metadata-schema:ebucore",
    *validators.OAI_SETS,
}


@dataclass
class Check:
    name: str
    passed: bool
    evidence: str
    #: Not run (what it needs is missing); neither passed nor failed.
    skipped: bool = False

    def line(self) -> str:
        verdict = "SKIP" if self.skipped else "PASS" if self.passed else "FAIL"
        return f"{verdict} {self.name}: {self.evidence}"


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
    #: Whether the official XSDs are at hand; without them the schema checks are skipped.
    schemas: bool = True
    checks: list[Check] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)
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

    def record(self, name: str, passed: bool, evidence: str) -> bool:
        self.checks.append(Check(name, passed, evidence))
        return passed

    def skip(self, name: str, why: str) -> None:
        self.checks.append(Check(name, True, why, skipped=True))

    # --- the checks -------------------------------------------------------------------

    def run(self) -> list[Check]:
        identify = self._guarded("Identify answers", self.check_identify)
        if identify is None:
            self.skip(
                "every other check",
                "not run: the endpoint does not answer Identify as an OAI-PMH repository",
            )
            return self.checks
        formats = self._guarded("ListMetadataFormats", self.check_list_metadata_formats) or {}
        self._guarded("ListSets", self.check_list_sets)
        first = self._guarded("the lists", self.check_lists)
        self._guarded("GetRecord", self.check_get_record, first)
        self._guarded("the error codes", self.check_errors, first)
        self._guarded("the dates", self.check_dates, identify, first)
        self._guarded("paging", self.check_paging, first)
        self._guarded("deletedRecord", self.check_deleted, identify)
        self._guarded("POST", self.check_post)
        self._guarded("compression", self.check_compression, identify)
        self._guarded("the samples", self.check_samples, formats)
        name = "every response is valid against OAI-PMH.xsd and its payload schemas"
        if not self.schemas:
            self.skip(name, "not run: the official XSDs are not at hand (navette schemas fetch)")
            return self.checks
        self.record(
            name,
            not self.invalid_responses,
            f"{self.responses} responses checked"
            + ("; " + "; ".join(self.invalid_responses[:3]) if self.invalid_responses else ""),
        )
        return self.checks

    def _guarded(self, name: str, check: Callable, *args):
        """Run one check; whatever the endpoint answered, a failure is a FAIL line."""
        try:
            return check(*args)
        except (requests.RequestException, etree.LxmlError, ValueError, AttributeError) as error:
            self.record(name, False, f"could not be checked: {error!r}")
            return None

    def check_identify(self) -> etree._Element | None:
        response = self.get({"verb": "Identify"})
        identify = response.root.find(Q + "Identify") if response.root is not None else None
        if identify is None:
            self.record("Identify answers", False, response.show())
            return None
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
        listed = response.root.find(Q + "ListSets") if response.root is not None else None
        sets = listed is not None
        if listed is not None:
            self.sets = [spec.text for spec in listed.iter(Q + "setSpec") if spec.text][:3]
        self.record(
            "ListSets lists sets or answers noSetHierarchy",
            sets or response.errors() == ["noSetHierarchy"],
            response.show(),
        )

    def check_lists(self) -> etree._Element | None:
        """The first header of ListIdentifiers (oai_dc), if the repository has records."""
        response = self.get({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
        listed = response.root.find(Q + "ListIdentifiers") if response.root is not None else None
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

    def check_paging(self, header: etree._Element | None) -> None:
        """Walk a list through its tokens to the end: the first that takes several pages.

        ListIdentifiers often fits one page where ListRecords does not; on a large
        repository a set or a one-day window is a list short enough to finish.
        """
        candidates = [
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
            {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
            *({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": s} for s in self.sets),
        ]
        day = (header.findtext(Q + "datestamp") or "")[:10] if header is not None else ""
        if day:
            candidates.append(
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": day, "until": day}
            )
        outcomes = []
        for params in candidates:
            outcome = self._walk(params)
            if outcome in ("paged", "failed"):
                return
            outcomes.append(f"{urlencode(params)}: {outcome}")
        self.skip(
            "paging (resumption tokens to the final empty one)",
            "not exercised: no list tried both took several pages and ended within "
            f"--max-pages {self.max_pages} ({'; '.join(outcomes)})",
        )

    def _walk(self, first: dict[str, str]) -> str:
        """One list walked on the shared list iterator; its paging checks when it pages."""
        latest: Response | None = None

        def fetch(params: dict[str, str]) -> tuple[Page, str]:
            nonlocal latest
            response = latest = self.get(params)
            if response.root is None:
                raise HarvestFailed(response.show())
            try:
                return parse_page(response.body), response.url
            except PageError as error:
                raise HarvestFailed(f"{response.url}: {error}") from error

        verb = first["verb"]
        seen, sizes = 0, set()
        try:
            for number, _ in enumerate(walk(fetch, self.base_url, first), start=1):
                response = latest
                container = response.root.find(Q + verb)
                seen_before = seen
                seen += len([c for c in container if c.tag != Q + "resumptionToken"])
                token = container.find(Q + "resumptionToken")
                if token is None:
                    if number == 1:
                        self.record(
                            "a list that fits one page needs no resumptionToken",
                            True,
                            f"{seen} items in {response.url}",
                        )
                        return "fits one page"
                    self.record(
                        "the last page of a paged list has an empty resumptionToken",
                        False,
                        response.show(),
                    )
                    return "failed"
                if (token.get("completeListSize") or "").isdigit():
                    sizes.add(int(token.get("completeListSize")))
                cursor = token.get("cursor")
                if cursor is not None and cursor.strip() != str(seen_before):
                    self.record(
                        "cursor counts the items already sent",
                        False,
                        f"cursor {cursor} after {seen_before} items: {response.url}",
                    )
                    return "failed"
                if not (token.text or "").strip():
                    if number == 1:
                        return "fits one page"
                    self.record(
                        "the last page carries an empty resumptionToken",
                        True,
                        f"{number} pages, {seen} items of {urlencode(first)}",
                    )
                    if sizes:
                        self.record(
                            "completeListSize is the size of the list",
                            sizes == {seen},
                            f"completeListSize {sorted(sizes)} over the pages, {seen} listed",
                        )
                    return "paged"
                if number >= self.max_pages:
                    return f"longer than {self.max_pages} pages"
        except EndlessList as error:
            self.record("lists end", False, str(error))
            return "failed"
        except HarvestFailed as error:
            return f"not listed ({error})"
        return "empty"

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
            if not self.schemas:
                self.skip(f"a sample of {prefix} records is valid", "not run: no XSDs at hand")
                continue
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


def check(
    base_url: str,
    write: Callable[[str], None] = print,
    max_pages: int = 200,
    schemas: bool = True,
) -> bool:
    checks = Checker(base_url, max_pages=max_pages, schemas=schemas).run()
    for item in checks:
        write(item.line())
    failed = sum(not c.passed for c in checks)
    skipped = sum(c.skipped for c in checks)
    passed = len(checks) - failed - skipped
    write(f"{len(checks)} checks: {passed} passed, {failed} failed, {skipped} skipped")
    return failed == 0
