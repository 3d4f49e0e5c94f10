"""Near-duplicate items: a republished copy joins the cluster of what it copies.

**The rule.** A new paragraph is the same item as a stored one when

1. their *event keys* agree: the same dates (day and month), the same numbers
   (digits and number words, "40km" = "40 km" = 40), and the same named actors
   and places, where names match loosely (IS/ISIS by prefix; Misrata/Misurata,
   Derna/Darnah, Sirte/Surt within two edits with the same first letter; case,
   "al-" and possessives ignored); and
2. their wording overlaps: word-bigram Jaccard of at least :data:`JACCARD`
   (an edited copy), or the new paragraph lies inside the stored one (a split
   part: containment :data:`CONTAINED`, its key a subset of the stored one's), or
   it is covered by several stored ones (a joined paragraph).

Similarity alone never merges: two different events written in one formula
("On 3 March, the LNA conducted two airstrikes ... south of Sirte" / "On 6 March
... south of Derna") score as high as a real copy; a changed date, number or
place makes a different key, hence a different item.

**The index.** MinHash over word bigrams (:data:`PERMUTATIONS` permutations from
fixed SHA-256-derived constants, so signatures never change across processes or
library versions), banded into :data:`BANDS` keys of :data:`ROWS` rows (candidates
from a Jaccard of about 0.29). The keys live in the ``lsh`` table, written in the
same transaction as the item, so the index is always consistent with the items;
a lookup is one indexed query whatever the store's size. Candidates are then
checked with the rule above against their stored text.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import sqlite3
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sqlite_utils import Database

from storage.normalise import normalise

PERMUTATIONS = 126
BANDS = 42
ROWS = 3
JACCARD = 0.5
CONTAINED = 0.75
COVERED = 0.85
CANDIDATES = 25

_PRIME = np.uint64((1 << 61) - 1)


def _constants(label: bytes, count: int) -> np.ndarray:
    words = b"".join(hashlib.sha256(label + i.to_bytes(4, "big")).digest() for i in range(count))
    values = np.frombuffer(words[: count * 4], dtype=">u4").astype(np.uint64)
    return np.maximum(values, np.uint64(1))


_A = _constants(b"wirewatch-minhash-a", PERMUTATIONS)
_B = _constants(b"wirewatch-minhash-b", PERMUTATIONS)
_BAND_MIX = _constants(b"wirewatch-band-mix", ROWS)

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+", re.UNICODE)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)\s*[\"'“‘(]?([A-Za-z][\w'’-]*)")
_NAME = re.compile(r"\b(?:[A-Z][a-z]+(?:[-'’][A-Za-z]+)*|[A-Z]{2,}[a-z]?)\b")
_MONTHS = {
    m: i + 1
    for i, ms in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in ms
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"\b{_DAY}(?:\s*(?:-|–|and|to)\s*{_DAY})?\s+({_MONTH})\b\.?|\b({_MONTH})\.?\s+{_DAY}\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
        " fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "dozens": "dozens",
    "dozen": "12",
    "hundreds": "hundreds",
    "thousands": "thousands",
    "several": "several",
}
_NOT_NAMES = frozenset(
    """on in the a an at by of for to last this that these those later meanwhile according it
    he she they we however also after before during since while when but and earlier following
    elsewhere there here its their his her our as if although though other another some many
    several both each all most no not more less one two three four five six seven eight nine ten
    monday tuesday wednesday thursday friday saturday sunday week weekly update local sources
    said reports reported source sources""".split()
) | frozenset(_MONTHS)


@dataclass(frozen=True)
class EventKey:
    """What makes an event this event: its dates, numbers and named actors and places."""

    dates: frozenset[tuple[int, int]]
    numbers: frozenset[str]
    names: frozenset[str]


@dataclass(frozen=True)
class Fingerprint:
    """What the index keeps of a paragraph: shingles, LSH band keys and event key."""

    shingles: frozenset[int]
    bands: tuple[int, ...]
    key: EventKey


def fingerprint(text: str) -> Fingerprint:
    """The fingerprint of one paragraph (see the module docstring for what each part is for)."""
    shingles = _shingles(text)
    return Fingerprint(shingles, _bands(shingles), event_key(text))


def is_near_duplicate(new_text: str, old_text: str) -> bool:
    """Whether ``new_text`` is a copy of ``old_text`` (edited, or a split part of it)."""
    return same_content(fingerprint(new_text), fingerprint(old_text))


def same_content(new: Fingerprint, old: Fingerprint) -> bool:
    """The pairwise rule: keys agree and wording overlaps, or new is a part of old."""
    if not new.shingles or not old.shingles:
        return False
    common = len(new.shingles & old.shingles)
    jaccard = common / len(new.shingles | old.shingles)
    if jaccard >= JACCARD and keys_agree(new.key, old.key):
        return True
    contained = common / len(new.shingles)
    return contained >= CONTAINED and key_within(new.key, old.key)


def find_duplicate(db: Database | sqlite3.Connection, fp: Fingerprint) -> int | None:
    """The id of a stored item that ``fp`` near-duplicates, or None for new content."""
    candidates = _candidates(getattr(db, "conn", db), fp.bands)
    parts: list[int] = []
    covered: set[int] = set()
    keys: list[EventKey] = []
    for item_id, text in candidates:
        stored = _stored_fingerprint(item_id, text)
        if same_content(fp, stored):
            return item_id
        inside = len(stored.shingles & fp.shingles)
        if (
            stored.shingles
            and inside / len(stored.shingles) >= CONTAINED
            and key_within(stored.key, fp.key)
        ):
            parts.append(item_id)
            covered |= stored.shingles & fp.shingles
            keys.append(stored.key)
    # A joined paragraph: stored items that each lie inside it and together cover it.
    if len(parts) >= 2 and len(covered) >= COVERED * len(fp.shingles):
        union = EventKey(
            frozenset().union(*(k.dates for k in keys)),
            frozenset().union(*(k.numbers for k in keys)),
            frozenset().union(*(k.names for k in keys)),
        )
        if key_within(fp.key, union):
            return min(parts)
    return None


def index_item(db: Database | sqlite3.Connection, item_id: int, fp: Fingerprint) -> None:
    """Add a stored item's band keys to the index (in the item's own transaction)."""
    index_items(db, [(item_id, fp)])


def index_items(db: Database | sqlite3.Connection, items: list[tuple[int, Fingerprint]]) -> None:
    """Add several stored items' band keys to the index with one write."""
    getattr(db, "conn", db).executemany(
        "INSERT OR IGNORE INTO lsh (key, item_id) VALUES (?, ?)",
        [(key, item_id) for item_id, fp in items for key in fp.bands],
    )


def keys_agree(a: EventKey, b: EventKey) -> bool:
    """Same dates, same numbers, and every name of each has a counterpart in the other."""
    return (
        a.dates == b.dates
        and a.numbers == b.numbers
        and _names_within(a.names, b.names)
        and _names_within(b.names, a.names)
    )


def key_within(part: EventKey, whole: EventKey) -> bool:
    """Whether a part's dates, numbers and names all occur in the whole's."""
    return (
        part.dates <= whole.dates
        and part.numbers <= whole.numbers
        and _names_within(part.names, whole.names)
    )


def event_key(text: str) -> EventKey:
    """The dates, numbers and names a paragraph states."""
    dates = set()
    without_dates = text
    for match in _DATE.finditer(text):
        if match.group(3):
            month = _MONTHS[match.group(3).lower().rstrip(".")]
            days = [match.group(1), match.group(2)]
        else:
            month = _MONTHS[match.group(4).lower().rstrip(".")]
            days = [match.group(5)]
        dates |= {(month, int(d)) for d in days if d}
        without_dates = without_dates.replace(match.group(0), " ")
    numbers = set()
    for token in _TOKEN.findall(normalise(without_dates)):
        if token[0].isdigit():
            numbers.add(token.replace(",", ""))
        elif token in _NUMBER_WORDS:
            numbers.add(_NUMBER_WORDS[token])
    return EventKey(frozenset(dates), frozenset(numbers), frozenset(_names(text)))


def _names(text: str) -> set[str]:
    starts = {m.start(1) for m in _SENTENCE_START.finditer(text)}
    found = set()
    for match in _NAME.finditer(text):
        word = match.group(0)
        if match.start() in starts and not word.isupper():
            continue  # a capital only because it opens a sentence
        folded = _fold_name(word)
        if folded and folded not in _NOT_NAMES:
            found.add(folded)
    return found


def _fold_name(word: str) -> str:
    folded = normalise(word).replace("’", "'")
    folded = re.sub(r"'s$", "", folded)
    folded = re.sub(r"^(al|el|ad|ash|as|an|ar|az)-", "", folded)
    return folded.replace("-", "").replace("'", "")


def _names_within(names: frozenset[str], others: frozenset[str]) -> bool:
    return all(any(_same_name(n, o) for o in others) for n in names)


@lru_cache(maxsize=65536)
def _same_name(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 2 and long_.startswith(short) and len(short) <= 3:
        return True  # IS / ISIS, BM / BMF: an acronym and its longer form
    return len(short) >= 4 and a[0] == b[0] and _edits(a, b) <= 2


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, stopping early once it exceeds 2."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > 2:
            return 3
        previous = current
    return previous[-1]


def _shingles(text: str) -> frozenset[int]:
    words = _TOKEN.findall(normalise(text))
    if len(words) < 2:
        return frozenset(zlib.crc32(w.encode()) for w in words)
    return frozenset(zlib.crc32(f"{a} {b}".encode()) for a, b in itertools.pairwise(words))


def _bands(shingles: frozenset[int]) -> tuple[int, ...]:
    if not shingles:
        return ()
    values = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
    signature = ((np.outer(_A, values) + _B[:, None]) % _PRIME).min(axis=1)
    rows = signature[: BANDS * ROWS].reshape(BANDS, ROWS)
    mixed = (rows * _BAND_MIX).sum(axis=1) + np.arange(BANDS, dtype=np.uint64) * np.uint64(
        0x9E3779B97F4A7C15
    )
    return tuple(struct.unpack(f"<{BANDS}q", mixed.astype("<u8").tobytes()))


def _candidates(conn: sqlite3.Connection, bands: tuple[int, ...]) -> list[tuple[int, str]]:
    if not bands:
        return []
    marks = ",".join("?" * len(bands))
    return conn.execute(
        f"SELECT i.id, i.text FROM (SELECT item_id, COUNT(*) AS hits FROM lsh"
        f" WHERE key IN ({marks}) GROUP BY item_id ORDER BY hits DESC LIMIT {CANDIDATES}) c"
        f" JOIN items i ON i.id = c.item_id ORDER BY c.hits DESC, i.id",
        bands,
    ).fetchall()


@lru_cache(maxsize=4096)
def _stored_fingerprint(item_id: int, text: str) -> Fingerprint:
    return fingerprint(text)
