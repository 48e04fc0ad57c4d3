"""Paging, as ``navette check`` exercises it: a list walked through its tokens to the end.

The walk runs on the harvester's own list iterator (``harvester.listing.walk``), so a
list that would never end is caught here by the same guards as in a harvest.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from lxml import etree

from checks.probe import Probe, Q, Response
from harvester.fetch import HarvestFailed
from harvester.listing import EndlessList, walk
from harvester.pages import Page, PageError, parse_page


class Paging:
    def __init__(
        self,
        probe: Probe,
        record: Callable[[str, bool, str], bool],
        skip: Callable[[str, str], None],
        max_pages: int,
    ) -> None:
        self.probe = probe
        self.record = record
        self.skip = skip
        self.max_pages = max_pages

    def check(self, header: etree._Element | None, sets: list[str]) -> None:
        """Walk a list through its tokens to the end: the first that takes several pages.

        ListIdentifiers often fits one page where ListRecords does not; on a large
        repository a set or a one-day window is a list short enough to finish.
        """
        candidates = [
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
            {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
            *({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": s} for s in sets),
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
            response = latest = self.probe.get(params)
            if response.root is None:
                raise HarvestFailed(response.show())
            try:
                return parse_page(response.body), response.url
            except PageError as error:
                raise HarvestFailed(f"{response.url}: {error}") from error

        verb = first["verb"]
        seen, sizes = 0, set()
        try:
            for number, _ in enumerate(walk(fetch, self.probe.base_url, first), start=1):
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
