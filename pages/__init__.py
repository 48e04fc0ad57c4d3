"""The catalogue's public pages: a landing page per record and the list that finds them."""

from pages.views import blueprint

__all__ = ["blueprint"]
