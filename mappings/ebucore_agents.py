"""EBUCore's agents (creator, contributor, publisher) as the catalogue's credits.

A contact becomes a person with their affiliations, an organisation becomes an
organisation credit; the role is understood from its label, its EBU RoleCodeCS link or
a MARC relator; anything the model has no place for keeps the element verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from catalogue.model import Credit, Person
from mappings import ebucore_terms as terms
from mappings.ebucore_xml import (
    bare,
    dcq,
    q,
    text_of,
)

_GIVEN_NAME, _FAMILY_NAME, _AFFILIATION = q("givenName"), q("familyName"), q("affiliation")
_ORGANISATION, _ORGANISATION_NAME = q("organisation"), q("organisationName")
_NAME = q("name")
_PERIOD = q("period")


def _affiliation(affiliation: etree._Element) -> str | None:
    """The organisation's name of an affiliation Navette writes, None if it holds more."""
    if len(affiliation) != 2:
        return None
    names: list[etree._Element] = []
    period = None
    for child in affiliation.iterchildren(etree.Element):
        if child.tag == _ORGANISATION:
            names += child.iterchildren(_ORGANISATION_NAME)
        elif child.tag == _PERIOD and period is None:
            period = child
    if len(names) != 1 or period is None or period.keys():
        return None
    return text_of(names[0])


def _person(contact: etree._Element) -> Person | None:
    if contact.keys():
        return None
    given = family = None
    affiliations = []
    for child in contact.iterchildren(etree.Element):
        tag = child.tag
        if tag == _GIVEN_NAME:
            given = child if given is None else given
        elif tag == _FAMILY_NAME:
            family = child if family is None else family
        elif tag == _AFFILIATION:
            name = _affiliation(child)
            if name is None:
                return None
            affiliations.append(name)
        else:
            return None
    if family is None:
        return None
    return Person(
        family_name=text_of(family),
        given_name=None if given is None else text_of(given),
        affiliations=affiliations,
    )


def _display_name(contact: etree._Element) -> str | None:
    """The name of ``contactDetails`` holding a bare ``name`` and nothing else: EBUCore's
    unstructured name, read as written (no family and given name are made of it)."""
    children = list(contact.iterchildren(etree.Element))
    if contact.keys() or len(children) != 1 or children[0].tag != _NAME or children[0].keys():
        return None
    return text_of(children[0]) or None


_CONTACT_DETAILS, _ORGANISATION_DETAILS, _ROLE = (
    q("contactDetails"),
    q("organisationDetails"),
    q("role"),
)
_ORGANISATION_CODE = q("organisationCode")


def _our_role(role: etree._Element) -> bool:
    """A role as Navette writes it: its label, and the RoleCodeCS link of that label if any."""
    keys = role.keys()
    if keys == ["typeLabel"]:
        return terms.role_link(role.get("typeLabel")) is None
    return keys == ["typeLabel", "typeLink"] and role.get("typeLink") == terms.role_link(
        role.get("typeLabel")
    )


@dataclass(frozen=True)
class Laboratory:
    code: str
    name: str | None


def _laboratory(details: etree._Element) -> Laboratory | None:
    """organisationDetails of a laboratory: its code, and its name if given; None if it
    holds anything else (then the whole contributor is kept as it came)."""
    if details.keys():
        return None
    parts = list(details.iterchildren(etree.Element))
    if len(parts) != len(details) or not 1 <= len(parts) <= 2:
        return None
    name = None
    if len(parts) == 2:
        if parts[0].tag != _ORGANISATION_NAME or not bare(parts[0]):
            return None
        name = text_of(parts[0])
    holder = parts[-1]
    if holder.tag != _ORGANISATION_CODE or holder.keys() or len(holder) != 1:
        return None
    code = holder[0]
    if code.tag != dcq("identifier") or not bare(code):
        return None
    return Laboratory(text_of(code), name)


def _organisation_name(details: etree._Element) -> str | None:
    """The name of ``organisationDetails`` holding a name and nothing else."""
    if details.keys() or len(details) != 1:
        return None
    names = list(details.iterchildren(_ORGANISATION_NAME))
    if len(names) != 1 or names[0].keys():
        return None
    return text_of(names[0])


def read_credits(entity: etree._Element, kind: str) -> list[Credit] | Laboratory | None:
    """The credits of one agent (one per role), a laboratory, or None when the entity
    is richer than that."""
    if entity.keys():
        return None
    roles, contacts, organisations = [], [], []
    for child in entity.iterchildren(etree.Element):
        tag = child.tag
        if tag == _ROLE:
            roles.append(child)
        elif tag == _CONTACT_DETAILS:
            contacts.append(child)
        elif tag == _ORGANISATION_DETAILS:
            organisations.append(child)
        else:
            return None
    if not roles or not all(map(_our_role, roles)):
        return None
    if len(contacts) > 1 or len(organisations) > 1 or not (contacts or organisations):
        return None
    labels = [role.get("typeLabel") for role in roles]
    if len(set(labels)) != len(labels):
        return None
    if labels == [terms.LABORATORY] and kind == "contributor" and organisations and not contacts:
        return _laboratory(organisations[0])
    if terms.LABORATORY in labels:
        return None
    person = written = None
    if contacts:
        person = _person(contacts[0])
        written = _display_name(contacts[0]) if person is None and not organisations else None
        if person is None and written is None:
            return None
    organisation = _organisation_name(organisations[0]) if organisations else None
    if organisations and organisation is None:
        return None
    return [
        Credit(role=label, kind=kind, person=person, organisation=organisation, written=written)
        for label in labels
    ]
