"""One partner endpoint as a harvest talks to it: what it says of itself, which format to
ask for, and its pages fetched and read (a page whose envelope is broken is fetched again).
"""

from __future__ import annotations

from dataclasses import dataclass

from harvester.fetch import Fetcher, HarvestFailed, Refused
from harvester.pages import Page, PageError, parse_page
from protocol import dates
from protocol.errors import said
from protocol.namespaces import EBUCORE, MARC, MODS, OAI, OAI_DC, RDF, is_legacy_ebucore, qname


def richness(namespace: str) -> int | None:
    """Of the formats a partner offers, the lowest rank is harvested (None: not read)."""
    if namespace == EBUCORE:
        return 0
    if is_legacy_ebucore(namespace):
        return 1
    if namespace == MARC:
        return 2
    if namespace == MODS:
        return 3
    if namespace == RDF:
        return 4  # EDM: Europeana's RDF/XML
    if namespace == OAI_DC:
        return 5
    return None


@dataclass(frozen=True)
class Identity:
    """What a partner's Identify says that a harvest needs."""

    #: None when Identify failed or gave none: the run's window then ends at the newest
    #: datestamp it receives.
    response_date: str | None
    granularity: str
    repository: str
    deleted_policy: str
    #: What the admin should know (Identify failed, and what was assumed instead).
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    """The metadata prefix a run harvests, and what the admin should know of the choice."""

    prefix: str
    warnings: tuple[str, ...] = ()


class Partner:
    def __init__(self, fetcher: Fetcher, base_url: str) -> None:
        self.fetcher = fetcher
        self.base_url = base_url

    def page(self, params: dict[str, str]) -> tuple[Page, str]:
        """A parsed page and the URL it came from.

        May run in the prefetch thread: the page carries its warnings, and the
        harvesting thread counts them.
        """
        last = None
        for _ in range(self.fetcher.policy.attempts):
            fetched = self.fetcher.get(self.base_url, params)
            try:
                page = parse_page(fetched.body)
            except PageError as error:
                last = error
                self.fetcher.retries += 1
                continue
            page.warnings += fetched.warnings
            return page, fetched.url
        raise HarvestFailed(f"{self.base_url}: unreadable responses: {last}")

    def identify(self) -> Identity:
        """What Identify says; if it fails, safe defaults (day granularity) and a warning.

        Identify tells the harvest how precise ``from`` may be, not which records exist:
        like Europeana's harvester, Navette lets the list itself decide.
        """
        try:
            page, _ = self.page({"verb": "Identify"})
        except Refused:
            raise
        except HarvestFailed as error:
            return _assumed(f"{self.base_url} does not answer Identify ({error})")
        if page.errors or page.identify is None:
            return _assumed(
                f"{self.base_url} does not answer Identify ({said(page.errors) or 'no answer'})"
            )

        def stated(name: str, default: str = "") -> str:
            return (page.identify.findtext(qname(OAI, name)) or default).strip()

        return Identity(
            response_date=(page.response_date or "").strip() or None,
            granularity=stated("granularity", dates.SECONDS),
            repository=stated("repositoryName"),
            deleted_policy=stated("deletedRecord"),
        )

    def choose_prefix(self, wanted: list[str]) -> Choice:
        """The first of ``wanted`` the partner lists; without a wish, its richest format.

        A partner may serve a format without listing it, or fail ListMetadataFormats
        altogether: the wished prefix is then asked for anyway (the list's
        cannotDisseminateFormat is the only refusal), and without a wish oai_dc, which
        every OAI-PMH repository must serve.
        """
        try:
            page, _ = self.page({"verb": "ListMetadataFormats"})
            failure = said(page.errors) if page.errors else None
        except Refused:
            raise
        except HarvestFailed as error:
            page, failure = None, str(error)
        if failure is not None:
            fallback = wanted[0] if wanted else "oai_dc"
            return Choice(
                fallback,
                (
                    f"{self.base_url} does not answer ListMetadataFormats ({failure}); "
                    f"{fallback} asked for all the same",
                ),
            )
        offered = dict(page.formats)
        if wanted:
            for prefix in wanted:
                if prefix in offered:
                    return Choice(prefix)
            return Choice(
                wanted[0],
                (
                    f"{self.base_url} does not list {', '.join(wanted)} in ListMetadataFormats; "
                    f"{wanted[0]} asked for all the same",
                ),
            )
        ranked = sorted(
            (rank, prefix)
            for prefix, namespace in page.formats
            if (rank := richness(namespace)) is not None
        )
        if ranked:
            return Choice(ranked[0][1])
        return Choice(
            "oai_dc",
            (
                f"{self.base_url} lists none of EBUCore, MARCXML and oai_dc; oai_dc, which "
                "every OAI-PMH repository must serve, asked for all the same",
            ),
        )


def _assumed(problem: str) -> Identity:
    return Identity(
        response_date=None,
        granularity=dates.DAYS,
        repository="",
        deleted_policy="",
        warnings=(f"{problem}: harvested with day granularity",),
    )
