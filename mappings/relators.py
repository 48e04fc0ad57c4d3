"""MARC relator codes and terms (id.loc.gov/vocabulary/relators) for the roles partners credit.

One table for every format that names roles: EBUCore's role typeLink, MARC's 700/710
$e and $4, MODS's roleTerm.  ``LABELS`` gives the catalogue's label for a code;
``code_for`` the code to write for a catalogue role.
"""

from __future__ import annotations

from importlib import resources


def _read_list() -> tuple[dict[str, str], set[str]]:
    terms, obsolete = {}, set()
    text = resources.files(__package__).joinpath("relators.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, term, *status = line.split("\t")
        terms[code] = term if term.isupper() else term.lower()
        if status == ["obsolete"]:
            obsolete.add(code)
    return terms, obsolete


#: Relator code -> its term in the MARC relator list (what $e and roleTerm text say), for
#: every code of the list (relators.tsv); OBSOLETE: codes read but never written.
TERMS, OBSOLETE = _read_list()

#: Relator code -> the label the catalogue uses for the role, where it is not the term
#: with a capital (several codes share "Director" and "Producer").
_OWN_LABELS = {
    "fmd": "Director",
    "fmp": "Producer",
    "onp": "Personality",
}
LABELS = {
    code: _OWN_LABELS.get(code, term if term.isupper() else term.capitalize())
    for code, term in TERMS.items()
}

#: The code written for a catalogue label where two codes share it (drt before fmd).
_PREFERRED = {"Director": "drt", "Producer": "pro"}
_CURRENT = [code for code in LABELS if code not in OBSOLETE]
_BY_LABEL = {LABELS[code].lower(): code for code in reversed(_CURRENT)}
_BY_LABEL.update({label.lower(): code for label, code in _PREFERRED.items()})
_BY_TERM = {TERMS[code].lower(): code for code in _CURRENT}
#: Terms of obsolete codes, read as their code (a partner's "vocalist" is still a role).
_READ_TERMS = {TERMS[code].lower(): code for code in OBSOLETE} | _BY_TERM


def code_for(role: str) -> str | None:
    """'Director' -> 'drt'; a role the list does not name -> None (no code is invented)."""
    lowered = role.strip().lower()
    if lowered in LABELS and lowered not in OBSOLETE:
        return lowered
    return _BY_LABEL.get(lowered) or _BY_TERM.get(lowered)


def label_for(code_or_term: str) -> str | None:
    """'drt' or 'director' -> 'Director'; None when the list does not name it."""
    lowered = code_or_term.strip().lower().rstrip(".,")
    code = lowered if lowered in LABELS else _READ_TERMS.get(lowered)
    return LABELS.get(code) if code else None
