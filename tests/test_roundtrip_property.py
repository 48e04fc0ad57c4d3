"""record -> EBUCore -> record is lossless, over generated records (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from catalogue.model import MOVING_IMAGE, Credit, Keyframe, Part, Person, Record, Text
from mappings import ebucore_terms as terms
from mappings.ebucore_in import from_ebucore
from mappings.ebucore_out import to_ebucore
from mappings.xmltext import clean
from schemas import validators
from tests.conftest import requires_schemas

# Text XML can carry: every plane, non-Latin scripts included, minus what XML 1.0 forbids.
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
    max_size=40,
).map(clean)
nonempty = text.filter(lambda s: s.strip() != "")
langs = st.none() | st.sampled_from(["fr", "en", "ja", "ar", "zh-Hant", "ru"])
label = st.none() | nonempty.filter(
    lambda s: (
        s
        not in terms.RESERVED_ALTERNATIVE_TITLE
        | terms.RESERVED_DESCRIPTION
        | terms.RESERVED_IDENTIFIER
        | terms.RESERVED_RIGHTS
    )
)


def texts(with_type: bool = False):
    item = st.builds(Text, value=text, lang=langs, type=label if with_type else st.none())
    return st.lists(item, max_size=3)


people = st.builds(
    Person,
    family_name=nonempty,
    given_name=st.none() | text,
    affiliations=st.lists(text, max_size=4),
)
credits = st.lists(
    st.one_of(
        st.builds(
            Credit,
            role=nonempty.filter(lambda s: s != terms.LABORATORY),
            kind=st.sampled_from(["creator", "contributor", "publisher"]),
            person=people,
            organisation=st.none() | text,
        ),
        st.builds(
            Credit,
            role=nonempty.filter(lambda s: s != terms.LABORATORY),
            kind=st.sampled_from(["creator", "contributor", "publisher"]),
            person=st.none(),
            organisation=text,
        ),
        st.builds(
            Credit,
            role=nonempty.filter(lambda s: s != terms.LABORATORY),
            kind=st.sampled_from(["creator", "contributor", "publisher"]),
            person=st.none(),
            organisation=st.none(),
            written=nonempty,
        ),
    ),
    max_size=12,
)
clock = st.builds(
    "{:02d}:{:02d}:{:02d}".format,
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
)
url = st.from_regex(r"\Ahttps://[a-z]{1,10}\.example\.org/[a-z0-9]{0,12}\Z")
parts = st.lists(
    st.builds(
        Part,
        part_id=st.none() | st.from_regex(r"\A[a-z][a-z0-9_]{0,8}\Z"),
        name=st.none() | text,
        titles=texts(),
        descriptions=texts(with_type=True),
        identifiers=texts(with_type=True),
        relations=texts(with_type=True),
        start=st.none() | clock,
        duration=st.none() | st.sampled_from(["PT3M10S", "00:03:10:00"]),
    ),
    max_size=2,
)

records = st.builds(
    Record,
    identifier=st.from_regex(r"\A[a-z][a-z0-9\-]{0,20}\Z"),
    titles=texts(),
    alternative_titles=texts(with_type=True),
    series=texts(),
    abstracts=texts(),
    descriptions=texts(with_type=True),
    resource_type=st.just(MOVING_IMAGE),
    duration_seconds=st.none() | st.integers(0, 10**6),
    production_year=st.none() | st.integers(1890, 2100),
    dates=texts(with_type=True),
    definition=st.none() | st.sampled_from(["SD", "HD", "4K"]),
    aspect_ratio=st.none() | st.sampled_from(["16:9", "4:3", "185:100", "239:100"]),
    colour=st.none() | st.booleans(),
    sound=st.none() | st.booleans(),
    original_support=st.none() | nonempty,
    delivery_support=st.none() | nonempty,
    credits=credits,
    laboratories=st.lists(st.from_regex(r"\AUMR[0-9]{4}\Z"), max_size=3),
    process=texts(),
    notes=texts(),
    rights=texts(with_type=True),
    distribution_restriction=st.none() | text,
    subjects=texts(),
    audiences=st.lists(nonempty, max_size=2),
    object_types=st.lists(nonempty, max_size=2),
    item_number=st.none() | text,
    identifiers=texts(with_type=True),
    landing_page=st.none() | url,
    languages=st.lists(st.sampled_from(["fr", "en", "de", "ja"]), max_size=2),
    keyframes=st.lists(st.builds(Keyframe, timecode=clock, image=url), max_size=3),
    relations=texts(with_type=True),
    sources=st.lists(text, max_size=2),
    coverage=texts(),
    parts=parts,
    source_archive=st.none() | text,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_record_to_ebucore_to_record_is_lossless(record):
    xml = etree.tostring(to_ebucore(record))
    assert from_ebucore(etree.fromstring(xml)) == record


@requires_schemas
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_every_generated_record_renders_valid_ebucore(record):
    assert validators.quick_problems(to_ebucore(record), "ebucore") == []
