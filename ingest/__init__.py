"""Records on their way into the store, by whatever door they come.

Files are read and their documents checked here (``readers``, ``archives``); a record
is made ready for the store (fingerprint, renderings in every format, each rendering
validated) by ``prepare``, which the file import and the harvest both use.  Crosswalks
stay pure in ``mappings``; this room is where they meet the schemas and the store.
"""
