"""The catalogue's public pages: the home page, a landing page per record, the list that
finds them, what search engines read, and the error pages."""

from pages import errors, home, iiif, manifests, sitemap  # noqa: F401  (their routes join the blueprint)
from pages.views import blueprint

__all__ = ["blueprint"]
