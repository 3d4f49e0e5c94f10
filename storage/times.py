"""Timestamps as stored: ISO 8601 text, UTC for the moments we record ourselves.

Text sorts and compares correctly in SQL and reads well in ``sqlite3`` and JSON
output, so every stored moment goes through these two helpers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow_iso() -> str:
    """Return the current UTC time to the second, e.g. ``2026-11-21T21:05:03+00:00``."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def to_iso(value: date | datetime | None) -> str | None:
    """Return a date or datetime as ISO text, keeping what it carries (a date stays a date).

    A site's own dates are kept as the site gave them, offset included: converting a
    local midnight to UTC would move the article to the previous day.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()
