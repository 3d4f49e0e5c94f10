"""Parsers for the value types of the config file.

Each parser takes the raw TOML value and returns the typed value or raises
``ValueError`` with a message a user can act on; the loader adds the file and key.
Kept apart from the loader so the scheduler can reuse the schedule and time parsers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Any
from urllib.parse import urlsplit

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Schedule:
    """When a source is crawled: every ``seconds``, or on a 5-field ``cron`` line."""

    text: str
    seconds: float | None = None
    cron: str | None = None


@dataclass(frozen=True)
class Digest:
    """How a subscriber's alerts are grouped: ``instant``, daily or weekly at a time."""

    text: str
    mode: str  # "instant" | "daily" | "weekly"
    at: time | None = None
    weekday: str | None = None


def duration(value: Any) -> float:
    """Seconds from "500ms", "1s", "30m", "2h", "1d", or a bare number of seconds."""
    if isinstance(value, bool):
        raise ValueError(f'expected a duration such as "30s", got {value!r}')
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError(f"a duration cannot be negative, got {value!r}")
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f'expected a duration such as "500ms", "30s", "5m", "2h", got {value!r}')
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def schedule(value: Any) -> Schedule:
    """A schedule: "every 45s" / "every 30m" / "every 2h" or a 5-field cron line."""
    text = string(value).strip()
    if text.lower().startswith("every "):
        try:
            seconds = duration(text[6:])
        except ValueError:
            raise ValueError(
                f'expected "every N(s|m|h|d)" such as "every 30m", got {text!r}'
            ) from None
        if seconds < 1:
            raise ValueError(f"{text!r}: an interval must be at least 1s")
        return Schedule(text=text, seconds=seconds)
    if len(text.split()) != 5:
        raise ValueError(
            f'expected "every N(s|m|h|d)" or a 5-field cron line such as "0 7 * * mon", '
            f"got {text!r}"
        )
    # Imported here: only validation needs APScheduler, and config loading is on every command.
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger(**cron_fields(text), timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"bad cron line {text!r}: {exc}") from None
    return Schedule(text=text, cron=text)


_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab: 0 and 7 are Sunday


def cron_fields(line: str) -> dict[str, str]:
    """A 5-field crontab line as APScheduler CronTrigger arguments, with crontab's weekdays.

    APScheduler 3.x reads day-of-week 0 as Monday (``from_crontab`` included); cron
    means Sunday. Numeric days become names, so "0 7 * * 1" is Monday in both.
    """
    minute, hour, day, month, weekday = line.split()
    return {
        "minute": minute,
        "hour": hour,
        "day": day,
        "month": month,
        "day_of_week": _weekday_names(weekday),
    }


def _weekday_names(field: str) -> str:
    if not any(c.isdigit() for c in field):
        return field  # "*", "mon-fri": the same in both
    days: set[int] = set()
    for part in field.split(","):
        span, _, step = part.partition("/")
        try:
            if span == "*":
                low, high = 0, 6
            elif "-" in span:
                low, high = (int(x) for x in span.split("-", 1))
            else:
                low = high = int(span)
            every = int(step or 1)
        except ValueError:
            raise ValueError(f"bad day of week {field!r}") from None
        if not 0 <= low <= high <= 7 or every < 1:
            raise ValueError(f"bad day of week {field!r} (0-7, 0 and 7 are Sunday)")
        days.update(d % 7 for d in range(low, high + 1, every))
    return ",".join(_CRON_DAYS[d] for d in sorted(days))


def http_url(value: Any) -> str:
    """An absolute http(s) URL with a host."""
    text = string(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"expected an absolute http:// or https:// URL, got {text!r}")
    return text


def name(value: Any) -> str:
    """An identifier used on the command line: letters, digits, '.', '_', '-'."""
    text = string(value)
    if not _NAME.match(text):
        raise ValueError(
            f"{text!r} is not a valid name (letters, digits, '.', '_' and '-', "
            "starting with a letter or digit)"
        )
    return text


def string(value: Any) -> str:
    """A non-empty string."""
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__} {value!r}")
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def boolean(value: Any) -> bool:
    """true or false (TOML booleans only: "yes" is a typo waiting to happen)."""
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def positive_int(value: Any) -> int:
    """A whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a whole number of at least 1, got {value!r}")
    return value


def string_list(value: Any) -> list[str]:
    """A list of non-empty strings (a single string is accepted as a list of one)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return [string(v) for v in value]


def latitude(value: Any) -> float:
    """Degrees north, -90 to 90."""
    return _ranged_float(value, -90, 90)


def longitude(value: Any) -> float:
    """Degrees east, -180 to 180."""
    return _ranged_float(value, -180, 180)


def _ranged_float(value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"expected a number from {low} to {high}, got {value!r}")
    return float(value)


def clock(value: Any) -> time:
    """A time of day "HH:MM"."""
    text = string(value).strip()
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f'expected a time of day "HH:MM", got {text!r}')
    return time(int(match.group(1)), int(match.group(2)))


def digest(value: Any) -> Digest:
    """ "instant", "daily HH:MM" or "weekly DAY HH:MM"."""
    text = string(value).strip()
    words = text.lower().split()
    if words == ["instant"]:
        return Digest(text=text, mode="instant")
    if len(words) == 2 and words[0] == "daily":
        return Digest(text=text, mode="daily", at=clock(words[1]))
    if len(words) == 3 and words[0] == "weekly" and words[1][:3] in _DAYS:
        return Digest(text=text, mode="weekly", at=clock(words[2]), weekday=words[1][:3])
    raise ValueError(f'expected "instant", "daily 07:00" or "weekly mon 07:00", got {text!r}')


def time_range(value: Any) -> tuple[time, time]:
    """ "HH:MM-HH:MM"; may cross midnight ("22:00-06:00")."""
    text = string(value).strip()
    start, sep, end = text.partition("-")
    if not sep:
        raise ValueError(f'expected a range of times "22:00-06:00", got {text!r}')
    return clock(start), clock(end)
