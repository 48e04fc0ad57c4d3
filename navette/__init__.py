"""Navette: the command line, configuration and app factory that wire the rooms together."""

__version__ = "0.1.0"
