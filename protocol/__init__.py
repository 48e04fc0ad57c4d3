"""OAI-PMH's own vocabulary, shared by the provider and the harvester and owned by neither.

Namespaces, the eight error conditions and the protocol's datestamps live here once.
This package imports nothing from the rest of Navette: every other room may import it.
"""
