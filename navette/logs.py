"""Logging for serve, harvest and worker: a level and a format, both settings.

``NAVETTE_LOG_FORMAT=json`` writes one JSON object per line (time, level, logger,
message, and any fields a record carries in ``extra``) for log collectors;
``text`` (the default) writes the same facts for people.
"""

from __future__ import annotations

import json
import logging
import sys

#: Attributes every LogRecord has; anything else came in ``extra`` and is written too.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: str = "INFO", form: str = "text") -> None:
    """Send Navette's logs to standard error at ``level``, as ``form`` (text or json)."""
    handler = logging.StreamHandler(sys.stderr)
    if form == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
