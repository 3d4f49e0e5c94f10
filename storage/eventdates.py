"""The date a paragraph of a weekly update opens with ("On 3 March, ...").

Most paragraphs in these updates report one development and open with a date
that has no year; the year comes from the article's own date. Only a date at the
very opening counts: "the LNA said on 3 March that ..." reports a statement, and
the paragraph's own date is unknown.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from storage.datelines import without_dateline

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    "|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun"
)
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
# "3-4 March", "3 and 4 March", "March 3 to 5": the range's first day is the date.
_RANGE = rf"(?:\s*(?:-|–|—|and|to|&)\s*\d{{1,2}}{_ORD}(?!\d))?"
_YEAR = r"(?:,?\s+(?P<{}>(?:19|20)\d\d)(?!\d))?"

_OPENING = re.compile(
    rf"""
    [\s"'“‘•·*–—-]*                                    # bullets, an opening quote
    (?:(?:early|late|earlier|later)\s+)?
    (?:(?:on\s+or\s+(?:about|around)|on|between|from|around|since)\s+)?
    (?:the\s+(?:morning|afternoon|evening|night|weekend)\s+of\s+)?
    (?:(?:{_WEEKDAYS})\.?,?\s+)?
    (?:the\s+)?
    (?:
        (?P<d1>\d{{1,2}}){_ORD}(?!\d){_RANGE}\s+(?:of\s+)?(?P<m1>{_MONTH})(?![a-z])\.?
        {_YEAR.format("y1")}
      |
        (?P<m2>{_MONTH})(?![a-z])\.?\s+(?P<d2>\d{{1,2}}){_ORD}(?!\d){_RANGE}
        {_YEAR.format("y2")}
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: A candidate further than this from the article's date is not believed: only a
#: 29 February with no leap year nearby gets that far.
_MAX_DAYS_AWAY = 200


def event_date(text: str, published: date | datetime | None) -> date | None:
    """Return the date ``text`` opens with, or None.

    Without an explicit year, the year is chosen among the published year and the
    years either side as the valid date nearest to ``published`` (an update of
    4 January saying "On 30 December" means the previous year). No explicit year
    and no ``published`` gives None, as does an impossible date.
    """
    m = _OPENING.match(without_dateline(text))
    if m is None:
        return None
    day = int(m["d1"] or m["d2"])
    month = _MONTHS[(m["m1"] or m["m2"]).lower()]
    year = m["y1"] or m["y2"]
    if year is not None:
        return _date_or_none(int(year), month, day)
    if published is None:
        return None
    return _nearest(month, day, _as_date(published))


def _nearest(month: int, day: int, published: date) -> date | None:
    """Return the valid date with this month and day nearest to ``published``."""
    candidates = [
        d
        for year in (published.year - 1, published.year, published.year + 1)
        if (d := _date_or_none(year, month, day)) is not None
    ]
    if not candidates:
        return None
    best = min(candidates, key=lambda d: abs((d - published).days))
    return best if abs((best - published).days) <= _MAX_DAYS_AWAY else None


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
