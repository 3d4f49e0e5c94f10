"""Wire datelines: "TRIPOLI (Libya Wire) — ", "BENGHAZI, Libya - ", "Tripoli, 8 March (LW): ".

A republisher that runs an update as a wire story puts a dateline in front of it. It
says where and when the copy was filed, not where or when the event was: left in,
its city reads as one more place and its date as one more date, and the copy of an
item is taken for another event, which alerts its subscribers a second time. The
near-duplicate rule and the event date read the paragraph without it; the stored
text keeps it.

Only forms a wire uses are taken: a city (in capitals, or with an agency in
brackets after it) with an optional country or filing date, then a dash or a
colon. "ISIS — ..." or "Haftar: ..." are not datelines and stay.
"""

from __future__ import annotations

import re

# TRIPOLI, BENI WALID, AL-KUFRA; four letters at least, so that "LNA, GNA - ..." stays.
_CAPS = r"[A-Z][A-Z'’.-]{3,}(?: [A-Z][A-Z'’.-]+){0,3}"
_TITLE = r"[A-Z][a-z'’.-]+(?:[ -][A-Z][a-z'’.-]+){0,3}"  # Tripoli, Beni Walid, Libya
_DAY = r"(?:\d{1,2} [A-Z][a-z]+|[A-Z][a-z]+\.? \d{1,2})(?:,? \d{4})?"  # 8 March, Mar. 8, 2025
_AGENCY = r"\([^()]{1,40}\)"
_SEP = r"\s*(?:[-–—]+|:)\s+"
_DATELINE = re.compile(
    rf"(?:(?:{_CAPS}|{_TITLE})(?:,\s+(?:{_DAY}|{_TITLE}))?\s*{_AGENCY}"  # with an agency
    rf"|{_CAPS},\s+(?:{_DAY}|{_TITLE}))"  # BENGHAZI, Libya
    rf"{_SEP}(?=[\"“‘'(]?[A-Z0-9])"  # and then a sentence
)


def without_dateline(text: str) -> str:
    """``text`` without a wire dateline at its start (unchanged when it has none)."""
    if not text[:1].isupper():
        return text
    m = _DATELINE.match(text)
    return text[m.end() :] if m else text
