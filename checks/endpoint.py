"""`navette check URL`: probing an OAI-PMH endpoint the way a conformance validator does.

Every check sends real requests to the endpoint (and nowhere else: the schemas are
local), and reports pass or fail with its evidence, the request and what came back.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
from lxml import etree

from checks.paging import Paging
from checks.probe import KNOWN_FORMATS, Probe, Q, Response
from protocol import dates
from protocol.errors import (
    BadArgument,
    BadResumptionToken,
    BadVerb,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoRecordsMatch,
    NoSetHierarchy,
)
from protocol.failures import in_words

GRANULARITIES = (dates.DAYS, dates.SECONDS)


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
class Checker:
    """The checks, run against the endpoint its probe talks to (the probe holds the
    endpoint, the HTTP session and whether the XSDs are at hand)."""

    probe: Probe
    max_pages: int = 200
    checks: list[Check] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, base_url: str, max_pages: int = 200, schemas: bool = True) -> Checker:
        return cls(Probe(base_url, schemas=schemas), max_pages)

    def get(self, params: dict[str, str] | list[tuple[str, str]], **options) -> Response:
        return self.probe.get(params, **options)

    def post(self, params: dict[str, str]) -> Response:
        return self.probe.post(params)

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
        if not self.probe.schemas:
            self.skip(name, "not run: the official XSDs are not at hand (navette schemas fetch)")
            return self.checks
        self.record(
            name,
            not self.probe.invalid_responses,
            f"{self.probe.responses} responses checked"
            + "".join(f"; {problem}" for problem in self.probe.invalid_responses[:3]),
        )
        return self.checks

    def _guarded(self, name: str, check: Callable, *args):
        """Run one check; whatever the endpoint answered, a failure is a FAIL line."""
        try:
            return check(*args)
        except (requests.RequestException, etree.LxmlError, ValueError, AttributeError) as error:
            self.record(name, False, f"could not be checked: {in_words(error)}")
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
            base.rstrip("/") == self.probe.base_url.rstrip("/"),
            f"baseURL {base!r}, probed {self.probe.base_url!r}",
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
            sets or response.errors() == [NoSetHierarchy.code],
            response.show(),
        )

    def check_lists(self) -> etree._Element | None:
        """The first header of ListIdentifiers (oai_dc), if the repository has records."""
        response = self.get({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
        listed = response.root.find(Q + "ListIdentifiers") if response.root is not None else None
        self.record(
            "ListIdentifiers answers",
            listed is not None or response.errors() == [NoRecordsMatch.code],
            response.show(),
        )
        records = self.get({"verb": "ListRecords", "metadataPrefix": "oai_dc"})
        self.record(
            "ListRecords answers",
            records.root is not None
            and (
                records.root.find(Q + "ListRecords") is not None
                or records.errors() == [NoRecordsMatch.code]
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
            ("no verb", [], BadVerb.code),
            ("an unknown verb", {"verb": "Frobnicate"}, BadVerb.code),
            ("a repeated verb", [("verb", "Identify"), ("verb", "Identify")], BadVerb.code),
            ("an illegal argument", {"verb": "Identify", "foo": "bar"}, BadArgument.code),
            ("a missing metadataPrefix", {"verb": "ListRecords"}, BadArgument.code),
            (
                "an impossible date",
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-13-45"},
                BadArgument.code,
            ),
            (
                "an unknown format",
                {"verb": "ListRecords", "metadataPrefix": "no-such-format"},
                CannotDisseminateFormat.code,
            ),
            (
                "an unknown identifier",
                {
                    "verb": "GetRecord",
                    "metadataPrefix": "oai_dc",
                    "identifier": "oai:no.such.repository:x",
                },
                IdDoesNotExist.code,
            ),
            (
                "a forged resumption token",
                {"verb": "ListRecords", "resumptionToken": "forged-token"},
                BadResumptionToken.code,
            ),
        ]
        for label, params, code in cases:
            response = self.get(params)
            request = response.root.find(Q + "request") if response.root is not None else None
            passed = response.status == 200 and code in response.errors()
            if passed and code in (BadVerb.code, BadArgument.code):
                passed = request is not None and not request.attrib
            self.record(f"{label} is {code} (HTTP 200)", passed, response.show())

    def check_dates(self, identify: etree._Element | None, header: etree._Element | None) -> None:
        granularity = identify.findtext(Q + "granularity") if identify is not None else None
        day = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2000-01-01"}
        self.record(
            "day granularity is accepted", BadArgument.code not in self.get(day).errors(), f"{day}"
        )
        mixed = {**day, "until": "2100-01-01T00:00:00Z"}
        self.record(
            "mixed granularities are badArgument",
            BadArgument.code in self.get(mixed).errors(),
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
        Paging(self.probe, self.record, self.skip, self.max_pages).check(header, self.sets)

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
            reply = self.probe.session.get(
                self.probe.base_url,
                params={"verb": "Identify"},
                headers={"Accept-Encoding": encoding},
                timeout=self.probe.timeout,
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
            if not self.probe.schemas:
                self.skip(f"a sample of {prefix} records is valid", "not run: no XSDs at hand")
                continue
            if namespace not in KNOWN_FORMATS:
                self.record(
                    f"a sample of {prefix} records",
                    True,
                    f"{namespace}: no local schema, not checked",
                )
                continue
            before = len(self.probe.invalid_responses)
            response = self.get({"verb": "ListRecords", "metadataPrefix": prefix})
            count = 0 if response.root is None else len(list(response.root.iter(Q + "record")))
            self.record(
                f"a sample of {prefix} records is valid",
                len(self.probe.invalid_responses) == before,
                f"{count} records of {response.url}",
            )


def check(
    base_url: str,
    write: Callable[[str], None] = print,
    max_pages: int = 200,
    schemas: bool = True,
) -> bool:
    checks = Checker.of(base_url, max_pages=max_pages, schemas=schemas).run()
    for item in checks:
        write(item.line())
    failed = sum(not c.passed for c in checks)
    skipped = sum(c.skipped for c in checks)
    passed = len(checks) - failed - skipped
    write(f"{len(checks)} checks: {passed} passed, {failed} failed, {skipped} skipped")
    return failed == 0
