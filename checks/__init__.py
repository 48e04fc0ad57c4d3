"""Checking what Navette or a partner produces, as its consumer would check it.

``endpoint``: an OAI-PMH endpoint's conformance (``navette check``), on the harvester's
list iterator.  ``files``: documents and native files (``navette validate``).
``catalogue``: every stored rendering (the admin's "validate the catalogue").  All
three judge a document the same way, in ``documents``.
"""
