"""Reading an OAI-PMH request's arguments exactly as the protocol defines them.

A pure function of the (key, value) pairs: which verb, which arguments, which
error when they are wrong (spec sections 3.1.1, 3.3 and 4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from protocol import dates
from protocol.errors import BadArgument, BadVerb, OAIError
from protocol.set_specs import is_set_spec


@dataclass(frozen=True)
class VerbArguments:
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    exclusive: str | None = None


VERBS = {
    "Identify": VerbArguments(),
    "ListMetadataFormats": VerbArguments(optional=("identifier",)),
    "ListSets": VerbArguments(exclusive="resumptionToken"),
    "GetRecord": VerbArguments(required=("identifier", "metadataPrefix")),
    "ListIdentifiers": VerbArguments(
        required=("metadataPrefix",),
        optional=("from", "until", "set"),
        exclusive="resumptionToken",
    ),
    "ListRecords": VerbArguments(
        required=("metadataPrefix",),
        optional=("from", "until", "set"),
        exclusive="resumptionToken",
    ),
}

PREFIX_PATTERN = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")


@dataclass(frozen=True)
class OAIRequest:
    verb: str
    arguments: dict[str, str]
    #: from/until as naive UTC datetimes, both inclusive (a day means all of it).
    start: datetime | None = None
    end: datetime | None = None

    def get(self, name: str) -> str | None:
        return self.arguments.get(name)


def parse_date(name: str, value: str, end_of_day: bool) -> tuple[datetime, str]:
    """The moment a from/until value names, and its granularity (dates.DAYS or SECONDS)."""
    try:
        return dates.parse_argument(value, end_of_day)
    except dates.BadDatestamp as error:
        raise BadArgument(
            f"{name} must be a UTC date YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"
        ) from error


def parse(pairs: list[tuple[str, str]]) -> OAIRequest:
    """The request the pairs make, or OAIError with every problem found."""
    verbs = [value for key, value in pairs if key == "verb"]
    if not verbs:
        raise BadVerb("the request has no verb argument")
    if len(verbs) > 1:
        raise BadVerb("the verb argument is repeated")
    verb = verbs[0]
    if verb not in VERBS:
        raise BadVerb("the verb is not an OAI-PMH verb (verbs are case-sensitive)")
    spec = VERBS[verb]
    allowed = set(spec.required) | set(spec.optional) | ({spec.exclusive} - {None})
    problems: list[str] = []
    arguments: dict[str, str] = {}
    for key, value in pairs:
        if key == "verb":
            continue
        if key not in allowed:
            problems.append(f"{key[:60]!r} is not an argument of {verb}")
        elif key in arguments:
            problems.append(f"the {key} argument is repeated")
        else:
            arguments[key] = value
    if problems:
        raise _bad(problems)
    if spec.exclusive and spec.exclusive in arguments:
        if len(arguments) > 1:
            raise _bad([f"{spec.exclusive} is an exclusive argument: nothing may come with it"])
        return OAIRequest(verb, arguments)
    missing = [name for name in spec.required if name not in arguments]
    if missing:
        raise _bad([f"{verb} requires the {name} argument" for name in missing])
    return _checked(verb, arguments)


def _checked(verb: str, arguments: dict[str, str]) -> OAIRequest:
    problems = []
    prefix = arguments.get("metadataPrefix")
    if prefix is not None and PREFIX_PATTERN.fullmatch(prefix) is None:
        problems.append("metadataPrefix holds characters a metadata prefix cannot have")
    set_spec = arguments.get("set")
    if set_spec is not None and not is_set_spec(set_spec):
        problems.append("set is not a valid setSpec")
    start = end = None
    granularities = []
    for name, end_of_day in (("from", False), ("until", True)):
        if name in arguments:
            try:
                moment, granularity = parse_date(name, arguments[name], end_of_day)
            except OAIError as error:
                problems.append(str(error))
                continue
            granularities.append(granularity)
            if name == "from":
                start = moment
            else:
                end = moment
    if len(set(granularities)) > 1:
        problems.append("from and until must have the same granularity")
    elif start is not None and end is not None and start > end:
        problems.append("from is later than until")
    if problems:
        raise _bad(problems)
    return OAIRequest(verb, arguments, start, end)


def _bad(problems: list[str]) -> OAIError:
    return BadArgument(problems[0], *[BadArgument(problem) for problem in problems[1:]])
