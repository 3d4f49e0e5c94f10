"""The near-duplicate module's shortcuts give what the plain regex searches give.

:func:`storage.neardup._parse_dates` tries the date pattern only where a date can
start and skips the anchor search when no anchor word is present, and tokens of
ASCII text come from an ASCII pattern. Each must give exactly what the plain
search gives, for any text: checked here on awkward texts and random ones.
"""

from __future__ import annotations

import random
import re

import pytest

from storage import neardup

AWKWARD = [
    "",
    "3 March",
    "March 3",
    "On 3 March, the LNA",
    "March 3rd.",
    "3rd March",
    "3-4 March",
    "3 – 4 March",
    "3 and 4 March",
    "3to4 March",
    "Sept. 12",
    "12 Sept. The",
    "Mar.  \n 3",
    "Mar . 3",
    "Mar.. 3",
    "It may 3 times",
    "MARCH 3",
    "3\u00a0March",
    "March\u00a03",
    "x3 March",
    "_3 March",
    "1,3 March",
    "12.3 March",
    "x23 March; 3 March",
    "13 March 3 March",
    "123 March",
    "March 123",
    "Decembers 3",
    "Jan 1 Feb 2 Mar 3 Apr 4 May 5 Jun 6 Jul 7 Aug 8 Sep 9 Oct 10 Nov 11 Dec 12",
    "٣ مارس",
    "３ March",
    "ſept 3",
    "last  week",
    "Last\nWeek",
    "laſt week",
    "thİs week",
    "earlıer this month",
    "on Tuesday",
    "ON TUESDAY",
    "since November",
    "since november",
    "the government said overnight",
]

_PIECES = [
    "3", "12", "31", "1,000", "3.5", "40km", "March", "MARCH", "mar", "Mar.", "Sept", "sept.",
    "May", "may", "June", "Dec.", "st", "rd", "3rd", "-", "–", "and", "to", " ", "  ", "\n",
    "\u00a0", ".", ",", "(", "’", "last", "Last", "week", "this", "month", "earlier", "weekend",
    "Tuesday", "yesterday", "overnight", "one", "no", "two", "north", "the", "IS", "x", "_",
    "ſ", "İ", "ı", "\u212a", "٣", "３", "November", "since",
]  # fmt: skip


def _random_texts(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(_PIECES) + rng.choice(["", " ", " ", ". "]) for _ in range(12))
        for _ in range(count)
    ]


TEXTS = AWKWARD + _random_texts(3000)


def _spans(matches: list[re.Match[str]]) -> list[tuple[int, int, tuple[str | None, ...]]]:
    return [(m.start(), m.end(), m.groups()) for m in matches]


def test_date_matches_are_finditers() -> None:
    for text in TEXTS:
        expected = _spans(list(neardup._DATE.finditer(text)))
        assert _spans(neardup._date_matches(text)) == expected, text


def test_anchor_search_is_skipped_only_where_it_finds_nothing() -> None:
    for text in TEXTS:
        if neardup._ANCHOR.search(text):
            assert neardup._may_anchor(text), text


def test_only_four_letters_match_ascii_ones_ignoring_case() -> None:
    """What _may_anchor's lower case misses: the letters (?i:) matches beyond A-Z and a-z."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    beyond = set(re.findall("(?i)[a-z]", everything)) - set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert beyond - set("abcdefghijklmnopqrstuvwxyz") == {"\u0130", "\u0131", "\u017f", "\u212a"}


def test_ascii_tokens_are_the_unicode_pattern_s() -> None:
    rng = random.Random(2)
    alphabet = "\n" + "".join(chr(c) for c in range(32, 127))
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert neardup._tokens(text) == neardup._TOKEN.findall(text), text


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("No one was hurt.", set()),
        ("One was hurt.", {"1"}),
        ("one", {"1"}),
        ("no one, but one other", {"1"}),
        ("Two fighters 40km north-west of 1,000 homes", {"2", "40", "1000", "~north", "~west"}),
    ],
)
def test_numbers(text: str, numbers: set[str]) -> None:
    assert neardup._numbers(text) == numbers


def test_a_stored_item_s_fingerprint_is_the_one_its_text_gives() -> None:
    """What index_items keeps for a candidate compares as the candidate's own text would."""
    text = "On 3 March, the LNA struck Sirte. Two fighters were killed. “It was IS,” he said."
    fp = neardup.fingerprint(text)
    fp.facts  # noqa: B018 (worked out, as storing does)
    kept = neardup._unbanded_copy(fp)
    fresh = neardup._unbanded(text)
    assert kept.shingles == fresh.shingles
    assert (kept.key.dates, kept.key.numbers, kept.key.names, kept.key.words) == (
        fresh.key.dates,
        fresh.key.numbers,
        fresh.key.names,
        fresh.key.words,
    )
