"""MARC relator codes and terms (id.loc.gov/vocabulary/relators) for the roles partners credit.

One table for every format that names roles: EBUCore's role typeLink, MARC's 700/710
$e and $4, MODS's roleTerm.  ``LABELS`` gives the catalogue's label for a code;
``code_for`` the code to write for a catalogue role.
"""

from __future__ import annotations

#: Relator code -> its term in the MARC relator list (what $e and roleTerm text say): the
#: roles of films, sound recordings, music, texts, maps and theses that partners credit.
TERMS = {
    "abr": "abridger", "acp": "art copyist", "act": "actor", "adi": "art director",
    "adp": "adapter", "anm": "animator", "ann": "annotator", "arr": "arranger",
    "art": "artist", "aud": "author of dialog", "aus": "screenwriter", "aut": "author",
    "ccp": "conceptor", "chr": "choreographer", "cmm": "commentator", "cmp": "composer",
    "cnd": "conductor", "cng": "cinematographer", "com": "compiler", "cov": "cover designer",
    "cre": "creator", "csl": "consultant", "ctb": "contributor", "ctg": "cartographer",
    "cur": "curator", "cwt": "commentator for written text", "dgg": "degree granting institution",
    "dnc": "dancer", "drt": "director", "dst": "distributor", "dtc": "data contributor",
    "edt": "editor", "egr": "engraver", "fmd": "film director", "fmk": "filmmaker",
    "fmo": "former owner", "fmp": "film producer", "flm": "film editor", "fnd": "funder",
    "his": "host institution", "hst": "host", "ill": "illustrator", "inv": "inventor",
    "itr": "instrumentalist", "ive": "interviewee", "ivr": "interviewer", "lbt": "librettist",
    "lyr": "lyricist", "mfr": "manufacturer", "mus": "musician", "nrt": "narrator",
    "onp": "onscreen participant", "orm": "organizer", "oth": "other", "own": "owner",
    "pbl": "publisher", "pht": "photographer", "ppt": "puppeteer",
    "prd": "production personnel", "prf": "performer", "prg": "programmer",
    "prn": "production company", "pro": "producer", "rce": "recording engineer",
    "rcp": "addressee", "res": "researcher", "rev": "reviewer", "rth": "research team head",
    "rtm": "research team member", "sds": "sound designer", "sng": "singer",
    "spk": "speaker", "spn": "sponsor", "std": "set designer", "stl": "storyteller",
    "tcd": "technical director", "ths": "thesis advisor", "trl": "translator",
    "vac": "voice actor", "vdg": "videographer", "wam": "writer of accompanying material",
    "wst": "writer of supplementary textual content",
}  # fmt: skip

#: Relator code -> the label the catalogue uses for the role, where it is not the term
#: with a capital (several codes share "Director" and "Producer").
_OWN_LABELS = {
    "fmd": "Director",
    "fmp": "Producer",
    "onp": "Personality",
}
LABELS = {code: _OWN_LABELS.get(code, term.capitalize()) for code, term in TERMS.items()}

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
