"""The date a paragraph opens with, and its year inferred from the article's date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from storage.eventdates import event_date

PUB = date(2016, 3, 8)

CASES = [
    ("On 3 March, the LNA said its aircraft struck a depot.", PUB, date(2016, 3, 3)),
    ("On March 3, the LNA said its aircraft struck a depot.", PUB, date(2016, 3, 3)),
    ("On 3rd March the LNA struck.", PUB, date(2016, 3, 3)),
    ("On the 3rd of March the LNA struck.", PUB, date(2016, 3, 3)),
    ("On Monday 7 March, clashes.", PUB, date(2016, 3, 7)),
    ("On Monday, 7 March, clashes.", PUB, date(2016, 3, 7)),
    ("On 3 and 4 March, clashes.", PUB, date(2016, 3, 3)),
    ("On 3-4 March, clashes.", PUB, date(2016, 3, 3)),
    ("On 3–4 March, clashes.", PUB, date(2016, 3, 3)),
    ("Between 3 and 5 March, clashes.", PUB, date(2016, 3, 3)),
    ("Between 28 February and 2 March, clashes.", PUB, date(2016, 2, 28)),
    ("Early on 3 March, a car bomb.", PUB, date(2016, 3, 3)),
    ("Late on 3 March, a car bomb.", PUB, date(2016, 3, 3)),
    ("On 30 December 2015, the GNA was formed.", PUB, date(2015, 12, 30)),
    ("On March 3, 2011, protests began.", PUB, date(2011, 3, 3)),
    ("On Sept. 3, fighting resumed.", date(2016, 9, 10), date(2016, 9, 3)),
    ("On 3 Sept, fighting resumed.", date(2016, 9, 10), date(2016, 9, 3)),
    ("On 3 Mar. the LNA struck.", PUB, date(2016, 3, 3)),
    ("  On 3 March, leading spaces.", PUB, date(2016, 3, 3)),
    # New Year, both ways: the nearest valid date to the article's own.
    ("On 30 December, IS attacked.", date(2016, 1, 4), date(2015, 12, 30)),
    ("On 2 January, IS attacked.", date(2015, 12, 28), date(2016, 1, 2)),
    # 29 February exists only in leap years.
    ("On 29 February, IS attacked.", date(2016, 3, 2), date(2016, 2, 29)),
    ("On 29 February, IS attacked.", date(2017, 3, 2), None),
    ("On 29 February 2015, IS attacked.", PUB, None),
    ("On 31 April, IS attacked.", PUB, None),
    # No opening date.
    ("Last week, the LNA advanced.", PUB, None),
    ("This week, the LNA advanced.", PUB, None),
    ("The LNA said on 3 March that it had advanced.", PUB, None),
    ("In Derna, clashes continued on 3 March.", PUB, None),
    ("Since March 2011 the country has been divided.", PUB, None),
    ("", PUB, None),
    # Without the article's date the year is unknown, unless stated.
    ("On 3 March, the LNA struck.", None, None),
    ("On 3 March 2016, the LNA struck.", None, date(2016, 3, 3)),
]


@pytest.mark.parametrize(("text", "published", "expected"), CASES)
def test_event_date(text: str, published: date | None, expected: date | None) -> None:
    """Each opening yields the stated date, or None where the paragraph states none."""
    assert event_date(text, published) == expected


def test_published_datetime_is_accepted() -> None:
    """An article dated with a datetime infers the year from its day."""
    published = datetime(2016, 1, 4, 9, 30, tzinfo=UTC)
    assert event_date("On 30 December, IS attacked.", published) == date(2015, 12, 30)
