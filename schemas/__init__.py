"""The XML schemas Navette validates against, found offline, and its validators."""
