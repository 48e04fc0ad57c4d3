"""Text that XML 1.0 cannot carry.

XML 1.0 allows TAB, LF, CR and the ranges U+0020-U+D7FF, U+E000-U+FFFD,
U+10000-U+10FFFF.  Anything else (C0 controls, lone surrogates, U+FFFE, U+FFFF)
would make a malformed document, so it is removed before it reaches a tree, and
the caller is told so that it can warn whoever sent it.
"""

from __future__ import annotations

import re

_ALLOWED = "\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"
_ILLEGAL = re.compile(f"[^{_ALLOWED}]")
#: What XML 1.0 allows less the characters escaping changes (& < >): one class, so
#: that a search for the others is as fast as one for illegal characters alone.
_PLAIN = _ALLOWED.replace("\u0020-\ud7ff", "\u0020-\u0025\u0027-\u003b\u003d\u003f-\ud7ff")
_MARKUP_OR_ILLEGAL = re.compile(f"[^{_PLAIN}]")


def has_illegal(text: str) -> bool:
    return _ILLEGAL.search(text) is not None


def needs_escaping(text: str) -> bool:
    """Whether ``text`` holds markup characters or characters XML 1.0 cannot carry."""
    return _MARKUP_OR_ILLEGAL.search(text) is not None


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return _ILLEGAL.sub("", text)


def clean_counting(text: str) -> tuple[str, int]:
    """``text`` cleaned, and how many characters were removed."""
    cleaned, count = _ILLEGAL.subn("", text)
    return cleaned, count
