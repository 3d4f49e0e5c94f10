"""Parse the dates that pages and feeds state for an article.

:func:`parse_page_date` returns an aware ``datetime`` when the text gives a time *and* a zone,
else a ``date``. A time without a zone cannot be placed on the timeline, so only the calendar
date the page states is kept (converting with a guessed zone could move it to another day, and
the day is what gives an undated "On 3 March" paragraph its year).

Accepted forms:

- ISO 8601: ``2016-03-07``, ``2016-03-07T10:15:22+00:00``, ``...Z``, ``2016-03-07 10:15``;
- RFC 2822 (feeds): ``Mon, 07 Mar 2016 10:15:22 +0000``; ``-0000``/``GMT``/``UT`` are UTC;
- written: ``7 March 2016``, ``7th of March, 2016``, ``March 7, 2016``, ``Mon 7 Mar 2016``,
  Arabic month names with Western or Arabic-Indic digits (``7 مارس 2016``);
- numeric: ``2016/03/07``; ``07.03.2016`` is day first (the dotted form is European);
  ``07/03/2016`` and ``07-03-2016`` are day first or month first only when one part is over 12
  or the caller says which with ``dayfirst``; otherwise they are ambiguous and give ``None``
  (no date is better than a wrong one).

Text around a written or numeric date is allowed ("Posted on 7 March 2016 by admin"), so a
visible dateline can be parsed; only the first date found is used.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_tz

__all__ = ["parse_page_date"]

_MIN_YEAR, _MAX_YEAR = 1990, 2100
# A dateline is short; searching long text for a date would find one in the prose.
_MAX_SEARCH_CHARS = 300

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("january", "jan", "يناير", "كانون الثاني"),
        ("february", "feb", "فبراير", "شباط"),
        ("march", "mar", "مارس", "آذار"),
        ("april", "apr", "أبريل", "ابريل", "إبريل", "نيسان"),
        ("may", "مايو", "أيار"),
        ("june", "jun", "يونيو", "يونيه", "حزيران"),
        ("july", "jul", "يوليو", "يوليه", "تموز"),
        ("august", "aug", "أغسطس", "اغسطس", "آب"),
        ("september", "sep", "sept", "سبتمبر", "أيلول"),
        ("october", "oct", "أكتوبر", "اكتوبر", "تشرين الأول"),
        ("november", "nov", "نوفمبر", "تشرين الثاني"),
        ("december", "dec", "ديسمبر", "كانون الأول"),
    ],
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
_RFC2822 = re.compile(
    r"(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(\s+(?:[+-]\d{4}|[a-z]{1,5}))?",
    re.IGNORECASE,
)
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
)
# The zone names RFC 2822 defines; any other name is unknown, so only the date is kept.
_RFC2822_ZONES = frozenset(
    ["UT", "UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"]
)
_YMD = re.compile(r"\b(\d{4})([/.-])(\d{1,2})\2(\d{1,2})\b")
_XYZ = re.compile(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\b")


def parse_page_date(text: str | None, *, dayfirst: bool | None = None) -> datetime | date | None:
    """Return the date or aware datetime stated by ``text``, or ``None``.

    ``dayfirst`` settles ``07/03/2016``-style dates where both parts could be the month.
    """
    if not text:
        return None
    text = " ".join(text.translate(_DIGITS).split())
    if not text:
        return None
    if m := _ISO.fullmatch(text):
        return _from_iso(m)
    if m := _RFC2822.fullmatch(text):
        zone = (m.group(1) or "").strip().upper()
        zoned = bool(zone) and (zone[0] in "+-" or zone in _RFC2822_ZONES)
        return _from_rfc2822(text, zoned=zoned)
    return _search_written(text[:_MAX_SEARCH_CHARS], dayfirst)


def _from_iso(m: re.Match[str]) -> datetime | date | None:
    """Turn an ISO 8601 match into a date, or an aware datetime when a zone is given."""
    year, month, day, hour, minute, second, zone = m.groups()
    day_only = _make_date(int(year), int(month), int(day))
    if day_only is None or hour is None or zone is None:
        return day_only
    if zone.upper() == "Z":
        tz: timezone = UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        if offset >= timedelta(hours=24):
            return day_only
        tz = timezone(sign * offset)
    try:
        return datetime(
            day_only.year, day_only.month, day_only.day,
            int(hour), int(minute), int(second or 0), tzinfo=tz,
        )  # fmt: skip
    except ValueError:
        return day_only


def _from_rfc2822(text: str, *, zoned: bool) -> datetime | date | None:
    """Turn an RFC 2822 feed date into an aware datetime (a date when it has no zone)."""
    parts = parsedate_tz(text)
    if parts is None:
        return None
    year, month, day, hour, minute, second = parts[:6]
    if year < 100:  # RFC 2822 obsolete two-digit years
        year += 2000 if year < 50 else 1900
    day_only = _make_date(year, month, day)
    if day_only is None or not zoned:
        return day_only
    tz = timezone(timedelta(seconds=parts[9] or 0))
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return day_only


def _search_written(text: str, dayfirst: bool | None) -> date | None:
    """Find the first written or numeric date in a short text such as a dateline."""
    found: list[tuple[int, date | None]] = []
    if m := _DAY_MONTH_YEAR.search(text):
        found.append((m.start(), _make_date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))))
    if m := _MONTH_DAY_YEAR.search(text):
        found.append((m.start(), _make_date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))))
    if m := _ISO.search(text):
        found.append((m.start(), _make_date(int(m[1]), int(m[2]), int(m[3]))))
    elif m := _YMD.search(text):
        found.append((m.start(), _make_date(int(m[1]), int(m[3]), int(m[4]))))
    if m := _XYZ.search(text):
        first, second, year = int(m[1]), int(m[3]), int(m[4])
        value = _numeric(first, m[2], second, year, dayfirst)
        if value is None:  # 02/03/2025: the weekday before it may say which
            value = _by_weekday(text[: m.start()], first, second, year)
        found.append((m.start(), value))
    found = [f for f in found if f[1] is not None]
    return min(found, key=lambda f: f[0])[1] if found else None


def _numeric(first: int, sep: str, second: int, year: int, dayfirst: bool | None) -> date | None:
    """Resolve ``first/second/year`` to a date, refusing to guess when it is ambiguous."""
    if sep == "." or first > 12:
        dayfirst = True
    elif second > 12:
        dayfirst = False
    elif first == second:
        dayfirst = True
    if dayfirst is None:
        return None
    return _make_date(year, second, first) if dayfirst else _make_date(year, first, second)


_WEEKDAY_BEFORE = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*$", re.IGNORECASE)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _by_weekday(before: str, first: int, second: int, year: int) -> date | None:
    """Settle an ambiguous ``first/second/year`` by the weekday written just before it
    ("Mon, 02/03/2025", as Drupal prints dates): the one reading that falls on it."""
    m = _WEEKDAY_BEFORE.search(before)
    if m is None:
        return None
    weekday = _WEEKDAYS.index(m[1].lower())
    readings = {_make_date(year, second, first), _make_date(year, first, second)} - {None}
    fits = [d for d in readings if d is not None and d.weekday() == weekday]
    return fits[0] if len(fits) == 1 else None


def _make_date(year: int, month: int, day: int) -> date | None:
    """Return ``date(year, month, day)`` if it is a real day in a plausible year."""
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
