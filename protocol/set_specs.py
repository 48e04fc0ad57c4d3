"""The setSpec as OAI-PMH's schema defines it: the one test every room applies.

The gate refuses a record naming a set outside it and the store will not keep one, so
no header or ListSets page can hold it; the provider answers a request for one with
badArgument.
"""

from __future__ import annotations

import re

#: ``setSpecType`` of OAI-PMH.xsd: unreserved URI characters in parts separated by colons.
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")


def is_set_spec(spec: str) -> bool:
    """Whether OAI-PMH can carry ``spec`` as a setSpec (the whole of it)."""
    return SET_SPEC.fullmatch(spec) is not None
