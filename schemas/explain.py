"""Schema errors as an admin reads them.

xmlschema and libxml2 speak of atomic types, tags and positions; an admin needs to
know which field is wrong and how.  ``explain`` turns a (path, reason) pair into a
sentence naming the field, and a *kind* (the sentence without the offending value)
under which a report sums up how many records share the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TYPES = {
    "GregorianYear": "xs:gYear (a four-digit year)",
    "DateTime": "xs:dateTime",
    "Date": "xs:date (YYYY-MM-DD)",
    "Duration": "xs:duration (e.g. PT9M52S)",
    "Time": "xs:time (hh:mm:ss)",
}


@dataclass(frozen=True)
class Explanation:
    kind: str
    message: str


def field_name(path: str | None) -> str:
    """'/ebucore:ebuCoreMain/ebucore:coreMetadata/ebucore:format/ebucore:duration[1]/
    ebucore:normalPlayTime' -> 'ebucore:duration/normalPlayTime'."""
    if not path:
        return "the document"
    steps = [re.sub(r"\[\d+\]", "", step) for step in path.strip("/").split("/") if step]
    if len(steps) == 1:
        return steps[0]
    parent, child = steps[-2], steps[-1]
    if ":" in child and child.split(":")[0] == parent.split(":")[0]:
        child = child.split(":", 1)[1]
    return f"{parent}/{child}"


def _last(path: str | None) -> str:
    """The element a path ends at, qualified: '/a:x/a:y[2]' -> 'a:y'."""
    if not path:
        return "the document"
    return re.sub(r"\[\d+\]", "", path.rstrip("/").rsplit("/", 1)[-1])


def _parent_of(path: str | None, child: str) -> str:
    """Where a refused child stands: the path may end at the child (its own line) or at
    the parent that refuses it."""
    local = child.rsplit(":", 1)[-1]
    if path and _last(path).rsplit(":", 1)[-1] == local and path.strip("/").count("/"):
        return _last(path.rstrip("/").rsplit("/", 1)[0])
    return _last(path)


def _type_name(text: str) -> str:
    for key, name in _TYPES.items():
        if key in text:
            return name
    return text


def explain(path: str | None, reason: str) -> Explanation:
    where = field_name(path)
    match = re.match(r"^'(.*)' is not an? (xs:\w+) value", reason, re.S)
    if match:
        kind = f"{where} is not an {match[2]}"
        return Explanation(kind, f"{kind} ({match[1]!r})")
    match = re.search(r"'([^']*)' is not a valid value of the atomic type '(xs:\w+)'", reason)
    if match:
        kind = f"{where} is not an {match[2]}"
        return Explanation(kind, f"{kind} ({match[1]!r})")
    match = re.match(
        r"^attribute (\w+)='(.*)': Invalid \w+ string .* for <class '([^']+)'>", reason
    )
    if match:
        kind = f"{where}/@{match[1]} is not an {_type_name(match[3])}"
        return Explanation(kind, f"{kind} ({match[2]!r})")
    match = re.match(
        r"^The content of element '([^']+)' is not complete\. Tag '([^']+)' expected", reason
    )
    if match:
        kind = f"{match[1]} lacks its required {match[2]}"
        return Explanation(kind, kind)
    match = re.match(r"^Unexpected child with tag '([^']+)'", reason)
    if match:
        kind = f"{match[1]} is not allowed in {_parent_of(path, match[1])}"
        return Explanation(kind, kind)
    match = re.search(r"Element '[^']*': This element is not expected", reason)
    if match:
        kind = f"{_last(path)} is not allowed there"
        return Explanation(kind, kind)
    match = re.search(r"missing required attribute '?(\w+)'?", reason, re.I)
    if match:
        kind = f"{where} lacks its required attribute {match[1]}"
        return Explanation(kind, kind)
    generic = re.sub(r"'[^']*'", "'…'", reason)
    return Explanation(f"{where}: {generic}", f"{where}: {reason}")
