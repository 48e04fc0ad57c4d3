"""One partner endpoint as a harvest talks to it: what it says of itself, which format to
ask for, and its pages fetched and read (a page whose envelope is broken is fetched again).
"""

from __future__ import annotations

from dataclasses import dataclass

from harvester.fetch import Fetcher, HarvestFailed
from harvester.pages import Page, PageError, parse_page
from protocol import dates
from protocol.errors import said
from protocol.namespaces import EBUCORE, MARC, OAI, OAI_DC, is_legacy_ebucore, qname


def richness(namespace: str) -> int | None:
    """Of the formats a partner offers, the lowest rank is harvested (None: not read)."""
    if namespace == EBUCORE:
        return 0
    if is_legacy_ebucore(namespace):
        return 1
    if namespace == MARC:
        return 2
    if namespace == OAI_DC:
        return 3
    return None


@dataclass(frozen=True)
class Identity:
    """What a partner's Identify says that a harvest needs."""

    response_date: str
    granularity: str
    repository: str
    deleted_policy: str


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
        page, _ = self.page({"verb": "Identify"})
        if page.errors or page.identify is None:
            raise HarvestFailed(f"{self.base_url} does not answer Identify: {said(page.errors)}")
        if not page.response_date:
            raise HarvestFailed(f"{self.base_url} answers without a responseDate")

        def stated(name: str, default: str = "") -> str:
            return (page.identify.findtext(qname(OAI, name)) or default).strip()

        return Identity(
            response_date=page.response_date,
            granularity=stated("granularity", dates.SECONDS),
            repository=stated("repositoryName"),
            deleted_policy=stated("deletedRecord"),
        )

    def choose_prefix(self, wanted: list[str]) -> str:
        """The first of ``wanted`` the partner offers; without a wish, its richest format."""
        page, _ = self.page({"verb": "ListMetadataFormats"})
        offered = dict(page.formats)
        if wanted:
            for prefix in wanted:
                if prefix in offered:
                    return prefix
            raise HarvestFailed(f"{self.base_url} offers none of {', '.join(wanted)}")
        ranked = sorted(
            (rank, prefix)
            for prefix, namespace in page.formats
            if (rank := richness(namespace)) is not None
        )
        if ranked:
            return ranked[0][1]
        raise HarvestFailed(f"{self.base_url} offers none of EBUCore, MARCXML and oai_dc")
