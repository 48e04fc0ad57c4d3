"""The eight OAI-PMH error conditions (spec section 3.6), one exception class each.

The provider raises them and answers with one ``<error>`` element per condition; the
harvester reads a partner's ``<error>`` elements back into the same classes, so both
sides test ``isinstance`` rather than compare strings.
"""

from __future__ import annotations

from typing import ClassVar


class OAIError(Exception):
    """One protocol error, with any others found in the same request (``also``).

    A response may carry several errors (spec 3.6): a request with three bad arguments
    gets three ``<error>`` elements, so the first is raised and carries the rest.
    """

    code: ClassVar[str] = ""

    def __init__(self, message: str, *also: OAIError) -> None:
        super().__init__(message)
        self.message = message
        self.also = also

    @property
    def all(self) -> tuple[OAIError, ...]:
        return (self, *self.also)

    @property
    def errors(self) -> list[tuple[str, str]]:
        """(code, message) of every error, in the order of the response."""
        return [(error.code, error.message) for error in self.all]

    @property
    def echoes_arguments(self) -> bool:
        """badVerb and badArgument answers echo no arguments (spec 3.6)."""
        return not any(isinstance(error, BadVerb | BadArgument) for error in self.all)


class BadArgument(OAIError):
    code = "badArgument"


class BadResumptionToken(OAIError):
    code = "badResumptionToken"


class BadVerb(OAIError):
    code = "badVerb"


class CannotDisseminateFormat(OAIError):
    code = "cannotDisseminateFormat"


class IdDoesNotExist(OAIError):
    code = "idDoesNotExist"


class NoRecordsMatch(OAIError):
    code = "noRecordsMatch"


class NoMetadataFormats(OAIError):
    code = "noMetadataFormats"


class NoSetHierarchy(OAIError):
    code = "noSetHierarchy"


class UnknownError(OAIError):
    """A code a partner sent that OAI-PMH does not define: kept as it came."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code  # type: ignore[misc]


BY_CODE: dict[str, type[OAIError]] = {
    kind.code: kind
    for kind in (
        BadArgument,
        BadResumptionToken,
        BadVerb,
        CannotDisseminateFormat,
        IdDoesNotExist,
        NoRecordsMatch,
        NoMetadataFormats,
        NoSetHierarchy,
    )
}
CODES = tuple(BY_CODE)


def from_code(code: str, message: str) -> OAIError:
    """The error a response's ``<error code="...">`` names, as its class."""
    kind = BY_CODE.get(code)
    return kind(message) if kind is not None else UnknownError(code, message)


def said(errors: list[OAIError]) -> str:
    """What a response's errors say, in one line: 'badArgument: from is wrong; ...'."""
    return "; ".join(f"{error.code}: {error.message}" for error in errors)
