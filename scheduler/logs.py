"""Daemon logging: one line per event on stderr (journald keeps it), text or JSON, secrets masked.

Every record passes a filter that removes the values of the ``${ENV}`` variables the
config used and any ``user:password@`` in URLs, whoever logged it (Apprise, a crawl's
stderr relayed line by line, the daemon itself).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable

from wirewatch.config import mask_url

_QUIET = ("apscheduler", "apprise", "urllib3", "asyncio")


class _Mask(logging.Filter):
    def __init__(self, redact: Callable[[str], str]) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        message = mask_url(self.redact(record.getMessage()))
        record.msg, record.args = message, None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = mask_url(self.redact(text))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the traceback, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            line["traceback"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def setup(log_format: str, redact: Callable[[str], str], *, verbose: int = 0) -> logging.Handler:
    """Send the root logger to stderr in ``log_format`` ("text" or "json"); returns the handler."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
        )
    handler.addFilter(_Mask(redact))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)
    return handler


def set_redactor(handler: logging.Handler, redact: Callable[[str], str]) -> None:
    """After a reload: mask the new config's secrets too."""
    for old in list(handler.filters):
        if isinstance(old, _Mask):
            old.redact = redact
