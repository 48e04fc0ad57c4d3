"""ResourceSync (ANSI/NISO Z39.99-2017): the catalogue as resources a destination copies
in bulk and keeps in step, beside OAI-PMH."""

from resourcesync.views import blueprint

__all__ = ["blueprint"]
