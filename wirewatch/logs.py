"""Logging that cannot leak the config's secrets.

Apprise URLs carry passwords and tokens from ``${ENV}``; Apprise itself logs the
URLs it loads at debug level (its privacy form hides passwords, not users or
tokens in a path), and a traceback may quote a URL. Every log record this process
makes has the values of the environment variables the config used replaced with
``****``, in its message and in any traceback, before any handler sees it.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from wirewatch.config import Config

FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
LEVELS = {0: logging.WARNING, 1: logging.INFO}


def secret_values(config: Config) -> list[str]:
    """The values of the ``${ENV}`` variables the config used, longest first (3+ chars)."""
    values = {os.environ.get(name, "") for name in config.env_used}
    return sorted((v for v in values if len(v) >= 3), key=len, reverse=True)


def mask(text: str, secrets: list[str]) -> str:
    """``text`` with each of ``secrets`` replaced by ``****`` (longest first, as
    :func:`secret_values` orders them, so a secret inside another goes with it)."""
    for secret in secrets:
        text = text.replace(secret, "****")
    return text


class RedactSecrets:
    """A log record factory that replaces secret values with ``****`` as records are made.

    Made at the source rather than filtered at a handler: Scrapy replaces its root
    handler when each crawler starts, and a handler's filter would go with it.
    The message and any traceback are both cleaned.
    """

    def __init__(self, secrets: list[str], make: Callable[..., logging.LogRecord]) -> None:
        self.secrets = secrets
        self.make = make

    def redact(self, text: str) -> str:
        return mask(text, self.secrets)

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.make(*args, **kwargs)
        if not self.secrets:
            return record
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to the handler to report
            return record
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return record


def redact_logging(config: Config, verbose: int | None = None) -> None:
    """Make every log record of this process secret-free; add a stderr handler if none.

    Without handlers (a process that configured none) Python's last-resort handler
    prints warnings bare, so one with a time stamp and the logger's name is
    installed then, at the level ``verbose`` asks for (-v info, -vv debug).
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
        root.setLevel(LEVELS.get(verbose or 0, logging.DEBUG))
    current = logging.getLogRecordFactory()
    if isinstance(current, RedactSecrets):
        current.secrets = secret_values(config)
    else:
        logging.setLogRecordFactory(RedactSecrets(secret_values(config), current))
