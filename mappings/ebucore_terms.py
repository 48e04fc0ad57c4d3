"""The EBUCore labels Navette gives to catalogue fields that EBUCore has no element for.

Writer and reader share them, so a label written is a label read back.  A
``typeLabel`` not listed here is foreign and is kept as the text's ``type``.
"""

SERIES = "Series"
ABSTRACT = "Abstract"
PROCESS = "Audiovisual process"
NOTES = "Notes"
LOCAL_IDENTIFIER = "Local identifier"
ITEM_NUMBER = "Item No."
LANDING_PAGE = "Landing page"
DISTRIBUTION_RESTRICTION = "Distribution restriction"
RIGHTS_STATEMENT = "Rights statement"
LABORATORY = "Laboratory"
KEYFRAME = "Keyframe"
KEYFRAME_IMAGE = "Image"
ORIGINAL_SUPPORT = "Original support"
DELIVERY_SUPPORT = "Delivery support"
COLOUR = "Colour"
ASPECT_RATIO = "display"

RESERVED_ALTERNATIVE_TITLE = {SERIES}
RESERVED_DESCRIPTION = {ABSTRACT, PROCESS, NOTES}
RESERVED_IDENTIFIER = {LOCAL_IDENTIFIER, ITEM_NUMBER, LANDING_PAGE}
RESERVED_RIGHTS = {DISTRIBUTION_RESTRICTION}
RESERVED_ROLE = {LABORATORY}


#: EBU RoleCodeCS (http://www.ebu.ch/metadata/cs/ebu_RoleCodeCS.xml): the term of each
#: catalogue role the scheme names without doubt, written as the role's ``typeLink`` beside
#: its label (EBU Tech 3293 roles, and EBU's own examples' ``ebu_<Scheme>.xml#<id>`` links).
#: A role the scheme has no exact term for (the data sheet's "Personality") gets no link.
ROLE_SCHEME = "http://www.ebu.ch/metadata/cs/ebu_RoleCodeCS.xml"
ROLE_CODES = {
    "Director": "20.16",
    "Producer": "20.1",
    "Actor": "25.9",
    "Narrator": "25.15",
    "Interviewer": "25.11",
    "Interviewee": "25.12",
    "Speaker": "25.16",
    "Performer": "25.8",
    "Composer": "17.1.7",
    "Cinematographer": "6.2.1",
    "Editor": "11.1",
    "Film editor": "11.1",
    "Distributor": "10.2",
    "Publisher": "10.3",
    "Screenwriter": "22.2",
    "Author": "22.2",
    "Filmmaker": "6.2.18",
    "Photographer": "6.4.1",
    "Contributor": "29.32",
}
#: The catalogue label of each RoleCodeCS term above (the first role naming it).
ROLE_LABELS = {code: label for label, code in reversed(ROLE_CODES.items())}


def role_link(role: str | None) -> str | None:
    """'Director' -> 'http://www.ebu.ch/metadata/cs/ebu_RoleCodeCS.xml#20.16'."""
    code = ROLE_CODES.get(role or "")
    return f"{ROLE_SCHEME}#{code}" if code else None


def role_for_link(link: str | None) -> str | None:
    """The catalogue role a RoleCodeCS link names ('…ebu_RoleCodeCS.xml#20.16' -> 'Director')."""
    scheme, _, code = (link or "").partition("#")
    if scheme.removeprefix("https://").removeprefix("http://") != ROLE_SCHEME[7:]:
        return None
    return ROLE_LABELS.get(code)
