"""The eight OAI-PMH error conditions (spec section 3.6)."""

from __future__ import annotations

CODES = (
    "badArgument",
    "badResumptionToken",
    "badVerb",
    "cannotDisseminateFormat",
    "idDoesNotExist",
    "noRecordsMatch",
    "noMetadataFormats",
    "noSetHierarchy",
)


class OAIError(Exception):
    """One or more protocol errors; the response carries one <error> element each."""

    def __init__(self, code: str, message: str, *more: tuple[str, str]) -> None:
        assert code in CODES, code
        super().__init__(message)
        self.errors = [(code, message), *more]

    @property
    def code(self) -> str:
        return self.errors[0][0]

    @property
    def echoes_arguments(self) -> bool:
        """badVerb and badArgument answers echo no arguments (spec 3.6)."""
        return not any(code in ("badVerb", "badArgument") for code, _ in self.errors)
