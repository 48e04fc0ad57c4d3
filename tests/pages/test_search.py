"""Searching like a library catalogue: whole words in each store's full-text index, every
word required, accents and case ignored, English and French words in any of their
forms, ranked with title matches first; and the list's sorts.  On both databases, over
the demo catalogue."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from lxml import html

from catalogue import codec, store
from catalogue.database import open_store
from catalogue.searched_text import fold
from catalogue.tables import RecordContent, RecordRow
from ingest.prepare import prepare
from tests.conftest import requires_schemas

pytestmark = requires_schemas


def titles(answer) -> list[str]:
    return html.fromstring(answer.data).xpath("//tbody/tr/td[1]/a/text()")


def every_title(site, **arguments) -> list[str]:
    found, page = [], 1
    while True:
        answer = site.get("/records", query_string={**arguments, "page": page})
        if answer.status_code == 404:
            return found
        found += titles(answer)
        page += 1


def test_a_word_is_found_whole_not_inside_another(site):
    found = every_title(site, q="mars")
    assert "Mars Express Mission" in found
    assert not [t for t in found if "marseille" in fold(t) and not re.search(r"\bmars\b", fold(t))]


def test_a_title_match_ranks_before_a_match_elsewhere(site):
    found = titles(site.get("/records", query_string={"q": "mars"}))
    in_title = [bool(re.search(r"\bmars\b", fold(t))) for t in found]
    assert in_title[0] and in_title == sorted(in_title, reverse=True)


def test_every_word_is_required_and_accents_do_not_matter(site):
    assert titles(site.get("/records?q=FRANCOIS+leblanc")) == ["Mars Express Mission"]
    assert titles(site.get("/records?q=leblanc+nosuchword")) == []


def test_an_english_word_finds_its_other_forms_in_english_titles(site):
    found = every_title(site, q="reef")
    assert "Coral reefs" in found
    assert every_title(site, q="reefs") == found


def test_a_french_word_finds_its_other_forms_in_french_titles(site):
    french = {"Accept-Language": "fr"}
    answer = site.get("/records", query_string={"q": "récif corallien"}, headers=french)
    assert "Les récifs coralliens" in titles(answer)


def test_stemming_does_not_make_mars_find_marseille(site):
    found = every_title(site, q="marseille")
    assert not [t for t in found if re.search(r"\bmars\b", fold(t))]


def test_punctuation_alone_finds_nothing(site):
    assert titles(site.get("/records?q=%25%25")) == []


def test_records_sorted_by_title(site):
    found = every_title(site, sort="title")
    assert len(found) == 220 and [fold(t) for t in found] == sorted(fold(t) for t in found)


def test_records_sorted_by_year(site, database_url):
    shown = html.fromstring(site.get("/records?sort=year").data).xpath(
        "//tbody/tr/td[4]/code/text()"
    )
    sessions = open_store(database_url)
    with sessions() as session:
        years = dict(
            session.execute(
                RecordContent.__table__.select()
                .with_only_columns(RecordRow.identifier, RecordContent.year)
                .join(RecordRow, RecordRow.id == RecordContent.record_id)
                .where(RecordRow.deleted.is_(False))
            ).all()
        )
    sessions.kw["bind"].dispose()
    in_order = [years[identifier] for identifier in shown]
    assert in_order == sorted(in_order) and in_order[0] == min(y for y in years.values() if y)


def test_an_unknown_sort_is_a_bad_request(site):
    assert site.get("/records?sort=shoe+size").status_code == 400


def test_a_changed_title_is_found_by_its_new_words_only(site, database_url):
    sessions = open_store(database_url)
    with sessions() as session:
        data = session.scalar(
            RecordContent.__table__.select()
            .with_only_columns(RecordContent.data)
            .join(RecordRow, RecordRow.id == RecordContent.record_id)
            .where(RecordRow.identifier == "cnrs-6764")
        )
    record = codec.from_dict(data)
    renamed = replace(record, titles=[replace(record.titles[0], value="Voyage vers Phobos")])
    with sessions.begin() as session:
        store.save(session, [prepare(renamed, check=False)])
    sessions.kw["bind"].dispose()
    assert titles(site.get("/records?q=phobos")) == ["Voyage vers Phobos"]
    assert "Voyage vers Phobos" not in titles(site.get("/records?q=express+mission"))


@pytest.mark.parametrize("sort", ["relevance", "title", "year", "newest"])
def test_the_pager_keeps_the_search_and_its_order(site, sort):
    page = html.fromstring(site.get(f"/records?q=film&sort={sort}").data)
    links = page.xpath('//nav[@class="pager"]//a/@href')
    assert all(f"sort={sort}" in link and "q=film" in link for link in links)
