"""The server's log: one line per record on stderr, as text or as one JSON object.

Records that carry named fields pass them as a single dict argument to a %-style message
(`log.info("status=%(status)s", {"status": 200})`): the text line is the formatted message, the
JSON line holds every field by name. Either way the line is only formatted once a handler
takes the record, so a logger that is switched off costs its `isEnabledFor` check only.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime

import orjson

FORMATS = ("text", "json")
LEVELS = ("debug", "info", "warning", "error")
_TEXT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, then the record's named fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if isinstance(record.args, Mapping):
            line.update(record.args)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def setup(level: str, log_format: str, quiet: bool = False) -> int:
    """Send every record of `level` and above (warnings and errors only when `quiet`) to
    stderr in `log_format`, replacing whatever handlers the root logger had; the threshold."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(_TEXT))
    threshold = logging.getLevelName(level.upper())
    if quiet:
        threshold = max(threshold, logging.WARNING)
    logging.basicConfig(level=threshold, handlers=[handler], force=True)
    # What no line shows, a record need not gather: the calling frame, thread and process
    # (the logging HOWTO's "Optimization"); it halves the cost of a request's line.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    return threshold
