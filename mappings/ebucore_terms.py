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
