"""MARC relator codes and terms (id.loc.gov/vocabulary/relators) for the roles films credit.

One table for every format that names roles: EBUCore's role typeLink, MARC's 700/710
$e and $4, MODS's roleTerm.  ``LABELS`` gives the catalogue's label for a code;
``code_for`` the code to write for a catalogue role.
"""

from __future__ import annotations

#: Relator code -> the label the catalogue uses for the role.
LABELS = {
    "act": "Actor",
    "aus": "Screenwriter",
    "aut": "Author",
    "cmp": "Composer",
    "cng": "Cinematographer",
    "cre": "Creator",
    "ctb": "Contributor",
    "dst": "Distributor",
    "drt": "Director",
    "edt": "Editor",
    "fmd": "Director",
    "fmk": "Filmmaker",
    "fmp": "Producer",
    "flm": "Film editor",
    "ive": "Interviewee",
    "ivr": "Interviewer",
    "nrt": "Narrator",
    "onp": "Personality",
    "pbl": "Publisher",
    "pht": "Photographer",
    "pro": "Producer",
    "prf": "Performer",
    "spk": "Speaker",
}

#: Relator code -> its term in the MARC relator list (what $e and roleTerm text say).
TERMS = {
    "act": "actor",
    "aus": "screenwriter",
    "aut": "author",
    "cmp": "composer",
    "cng": "cinematographer",
    "cre": "creator",
    "ctb": "contributor",
    "dst": "distributor",
    "drt": "director",
    "edt": "editor",
    "fmd": "film director",
    "fmk": "filmmaker",
    "fmp": "film producer",
    "flm": "film editor",
    "ive": "interviewee",
    "ivr": "interviewer",
    "nrt": "narrator",
    "onp": "onscreen participant",
    "pbl": "publisher",
    "pht": "photographer",
    "pro": "producer",
    "prf": "performer",
    "spk": "speaker",
}

#: The code written for a catalogue label where two codes share it (drt before fmd).
_PREFERRED = {"Director": "drt", "Producer": "pro"}
_BY_LABEL = {label.lower(): code for code, label in reversed(LABELS.items())}
_BY_LABEL.update({label.lower(): code for label, code in _PREFERRED.items()})
_BY_TERM = {term: code for code, term in TERMS.items()}


def code_for(role: str) -> str | None:
    """'Director' -> 'drt'; a role the list does not name -> None (no code is invented)."""
    lowered = role.strip().lower()
    if lowered in LABELS:
        return lowered
    return _BY_LABEL.get(lowered) or _BY_TERM.get(lowered)


def label_for(code_or_term: str) -> str | None:
    """'drt' or 'director' -> 'Director'; None when the list does not name it."""
    lowered = code_or_term.strip().lower().rstrip(".,")
    code = lowered if lowered in LABELS else _BY_TERM.get(lowered)
    return LABELS.get(code) if code else None
