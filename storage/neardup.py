"""Near-duplicate items: a republished copy joins the cluster of what it copies.

**The rule.** A new paragraph is the same item as a stored one when

1. their *event keys* agree: the same time anchors (dates by day and month; a
   month named alone, "since November"; anchors relative to the article, "last
   week", "on Tuesday"), the same numbers (digits and number words, "40km" =
   "40 km" = 40, "no one" counting nothing) and compass directions ("north of
   Ubari" is not "west of Ubari"), and the same named actors and places, where
   names match loosely (IS/ISIS by prefix; Misrata/Misurata, Derna/Darnah,
   Sirte/Surt by consonant skeleton with the same first letter; case, "al-" and
   possessives ignored); and
2. their wording overlaps: word-bigram Jaccard of at least :data:`JACCARD`
   (an edited copy), or the new paragraph is a split part of the stored one
   (each of its sentences inside one sentence of the stored paragraph, with the
   same time anchors and the other facts a subset), or it is covered by several
   stored ones that each lie inside it (a joined paragraph).

An anchor relative to the article ("last week") names the same time only in
articles at most :data:`RELATIVE_DAYS` apart; a split part that paragraphs of two
clusters hold (a stock sentence) joins neither.

Similarity alone never merges: two different events written in one formula
("On 3 March, the LNA conducted two airstrikes ... south of Sirte" / "On 6 March
... south of Derna") score as high as a real copy; a changed date, number,
direction or place makes a different key, hence a different item.

**The index.** MinHash over word bigrams (:data:`PERMUTATIONS` permutations from
fixed SHA-256-derived constants, so signatures never change across processes or
library versions), banded into :data:`BANDS` keys of :data:`ROWS` rows (candidates
from a Jaccard of about 0.29); a paragraph of several sentences adds
:data:`SENTENCE_BANDS` keys per sentence, so split parts and joined paragraphs
find what they came from. Each item's keys are stored as one blob in
``item_bands``, with a 64-bit mask of its dates and numbers (:func:`facts_mask`),
in the item's own transaction, so what is stored is always consistent with the
items. Lookups use a copy in memory (:class:`NativeBandIndex`, a C hash table
of key -> items in ``storage/_fastdup.c``; :class:`BandIndex`, a sorted numpy
array and a small overlay, when the C extension is not built), loaded once per
process and brought up to date from ``item_bands`` before each lookup, so items
other processes stored are seen too. The C module also does the word hashing
and MinHash, bit for bit as the Python code here does, which stays as the
fallback and as the reference its tests compare against. Candidates whose masks
rule them out (a formula twin on another day) are dropped unread; the rest are
checked with the rule above against their text. Storing the keys in an SQLite
index instead was measured: 42 random-key inserts per item dirty as many pages,
and the commits cost 5x ingest.
"""

from __future__ import annotations

import array
import hashlib
import itertools
import os
import re
import sqlite3
import struct
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlite_utils import Database

from storage.datelines import without_dateline
from storage.normalise import normalise

try:  # the inner loops in C (storage/_fastdup.c); absent when built with no compiler
    from storage import _fastdup
except ImportError:
    _fastdup = None
if os.environ.get("WIREWATCH_PURE_PYTHON"):  # the reference code, for comparing and measuring
    _fastdup = None

PERMUTATIONS = 126
BANDS = 42
ROWS = 3
JACCARD = 0.5
CONTAINED = 0.75
COVERED = 0.85
CANDIDATES = 5
#: Keys per sentence of a paragraph of several sentences (see :func:`fingerprints`).
SENTENCE_BANDS = 6
MIN_HITS = 2
#: A band key shared by more items than this is a stock phrase, not evidence: skipped,
#: which keeps a lookup's cost bounded however large and formulaic the store grows.
MAX_POSTINGS = 10


class _Numpy:
    """numpy, imported when first used: only the fallback index and MinHash (no C
    module) and the tests comparing with them use it. Imported at start it cost every
    process that opens the database 0.1 s."""

    def __getattr__(self, name: str) -> Any:
        import numpy

        globals()["np"] = numpy
        return getattr(numpy, name)


np: Any = _Numpy()


def _constants(label: bytes, count: int) -> tuple[int, ...]:
    """``count`` fixed odd 64-bit pseudo-random values, from SHA-256 (stable for ever).

    Full-width multipliers matter: with small ones ``a * x + b`` barely wraps and
    keeps the order of x, so every permutation picks the same minimum (measured:
    MinHash estimated 0.25 for a true Jaccard of 0.71).
    """
    words = b"".join(hashlib.sha256(label + i.to_bytes(4, "big")).digest() for i in range(count))
    return tuple(n | 1 for n in struct.unpack(f">{count}Q", words[: count * 8]))


_A = _constants(b"wirewatch-minhash-a", PERMUTATIONS)
_B = _constants(b"wirewatch-minhash-b", PERMUTATIONS)
_BAND_MIX = _constants(b"wirewatch-band-mix", ROWS)

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+", re.UNICODE)
#: _TOKEN for ASCII text, where its classes are these ranges: nearly twice as fast. Letters
#: go first, being most tokens; each alternative can only start on its own characters.
_ASCII_TOKEN = re.compile(r"[A-Za-z]+|[0-9]+(?:[.,][0-9]+)*")
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
    # The lookahead skips, in C, every position that cannot open a day or a month: 2x faster.
    r"(?=[\dadfjmnos])(?:"
    rf"\b{_DAY}(?:\s*(?:-|–|and|to)\s*{_DAY})?\s+({_MONTH})\b\.?|\b({_MONTH})\.?\s+{_DAY}\b"
    ")",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    {
        w: str(i)
        for i, w in enumerate(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
            " fifteen sixteen seventeen eighteen nineteen twenty".split()
        )
    }
    | {
        w: f"{i + 1}th"
        for i, w in enumerate(
            "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
            " thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
            " twentieth".split()
        )
    }
    | {
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
)
_NOT_NAMES = frozenset(
    """on in the a an at by of for to last this that these those later meanwhile according it
    he she they we however also after before during since while when but and earlier following
    elsewhere there here its their his her our as if although though other another some many
    several both each all most no not more less one two three four five six seven eight nine ten
    al el monday tuesday wednesday thursday friday saturday sunday week weekly update local sources
    said reports reported source sources""".split()
) | frozenset(_MONTHS)


class EventKey:
    """What makes an event this event: its dates, numbers and named actors and places.

    ``words`` are all the paragraph's words, folded: a name the other paragraph
    writes in lower case ("House of representatives") still counts as present.
    Each part is worked out on first use: a formulaic twin is usually turned
    away on its dates alone, which take one regex.
    """

    __slots__ = ("_dates", "_names", "_numbers", "_stripped", "_words", "text")

    def __init__(
        self,
        text: str = "",
        *,
        dates: frozenset[tuple[int, int]] | None = None,
        numbers: frozenset[str] | None = None,
        names: frozenset[str] | None = None,
        words: frozenset[str] | None = None,
    ) -> None:
        self.text = text
        self._dates, self._numbers, self._names, self._words = dates, numbers, names, words
        self._stripped: str | None = None

    @property
    def dates(self) -> frozenset[tuple[int, int]]:
        if self._dates is None:
            self._dates, self._stripped = _parse_dates(self.text)
        return self._dates

    @property
    def numbers(self) -> frozenset[str]:
        if self._numbers is None:
            if self._stripped is None:
                self._dates, self._stripped = _parse_dates(self.text)
            self._numbers = _numbers(self._stripped)
        return self._numbers

    @property
    def names(self) -> frozenset[str]:
        if self._names is None:
            self._names = frozenset(_names(self.text))
        return self._names

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            # The same tokens as the shingles: "al-Jiza" gives "jiza", "Derna's" "derna".
            self._words = frozenset(_tokens(normalise(self.text)))
        return self._words

    def __repr__(self) -> str:
        return f"EventKey(dates={self.dates}, numbers={self.numbers}, names={self.names})"


class Fingerprint:
    """What the index keeps of a paragraph: shingles, LSH band keys, and its event key.

    The event key is only worked out when a candidate needs checking: most new
    paragraphs have none, and the key is the dearest part.
    """

    __slots__ = ("_bands", "_facts", "_key", "_packed", "_shingle_bytes", "_shingles", "text")

    def __init__(
        self,
        text: str,
        shingles: frozenset[int] | None,
        bands: tuple[int, ...] | None,
        packed: bytes | None = None,
        shingle_bytes: bytes | None = None,
    ) -> None:
        """``bands`` as numbers, or None with ``packed``: the same keys as
        :func:`pack_bands` packs them (how they cross from a crawl process, how
        the index and the ``item_bands`` table take them). Likewise ``shingles``,
        or None with ``shingle_bytes``: them as 32-bit values, packed."""
        self.text = text
        self._shingles = shingles
        self._shingle_bytes = shingle_bytes
        self._bands = bands
        self._packed = packed
        self._key: EventKey | None = None
        self._facts: int | None = None

    @property
    def shingles(self) -> frozenset[int]:
        """The word bigrams, for comparing with another paragraph's. A storing process
        takes them packed from a crawl's and makes the set only when a lookup finds
        a candidate to compare. Storing 1,000 bench articles, 7,011 of 15,123
        paragraphs never met one; unpickling a page's fingerprints took 147 µs with
        the sets made at once and 86 µs without (one int object per shingle)."""
        if self._shingles is None:
            self._shingles = frozenset(array.array("I", self._shingle_bytes or b""))
        return self._shingles

    @property
    def bands(self) -> tuple[int, ...]:
        """The LSH band keys."""
        if self._bands is None:
            self._bands = _unpack(self._packed or b"")
        return self._bands

    @property
    def packed(self) -> bytes:
        """The band keys packed (:func:`pack_bands`). A storing process takes them
        packed from the pickle to the index and the table without ever making
        the 40 to 60 numbers of each: that and packing them again cost 4.9% of its
        instructions storing bench articles (callgrind)."""
        if self._packed is None:
            self._packed = pack_bands(self._bands or ())
        return self._packed

    @property
    def key(self) -> EventKey:
        if self._key is None:
            self._key = EventKey(self.text)
        return self._key

    @property
    def facts(self) -> int:
        """The paragraph's dates and numbers as a 64-bit mask (see :func:`facts_mask`)."""
        if self._facts is None:
            self._facts = facts_mask(self.key)
        return self._facts

    def __reduce__(self) -> tuple:
        """Pickled compactly (a crawl hands fingerprints to its storing process):
        shingles and bands as packed integers, with the dates and numbers already
        worked out for the facts mask, so the storing process need not parse them again.
        """
        shingles = self._shingle_bytes
        if shingles is None:
            shingles = array.array("I", self._shingles or ()).tobytes()
        key = self._key
        facts = (key._dates, key._numbers, key._stripped) if key is not None else None
        return (_rebuilt, (self.text, shingles, self.packed, self._facts, facts))


def _rebuilt(
    text: str,
    shingles: bytes,
    bands: bytes,
    mask: int | None,
    facts: tuple[frozenset | None, frozenset | None, str | None] | None = None,
) -> Fingerprint:
    fp = Fingerprint(text, None, None, bands, shingles)
    fp._facts = mask
    if facts is not None:
        fp._key = key = EventKey(text, dates=facts[0], numbers=facts[1])
        key._stripped = facts[2]
    return fp


def facts_mask(key: EventKey) -> int:
    """A Bloom mask of a key's dates and numbers: two bits of 64 for each.

    The rule wants equal dates and numbers for an edited copy and a subset for a
    part, and both relations carry over to the masks (equal sets give equal
    masks, a subset gives a sub-mask). So the index can turn away a formula twin
    (another day, another count) by one AND on a number it keeps for every item,
    before its text is read: on a formulaic site that is most candidates.
    Signed, to fit an SQLite INTEGER.
    """
    mask = 0
    for fact in [f"{m}/{d}" for m, d in key.dates] + [f"#{n}" for n in key.numbers]:
        h = zlib.crc32(fact.encode())
        mask |= (1 << (h & 63)) | (1 << ((h >> 6) & 63))
    return mask - (1 << 64) if mask >= 1 << 63 else mask


def fingerprint(text: str) -> Fingerprint:
    """The fingerprint of one paragraph (see the module docstring for what each part is for)."""
    return fingerprints([text])[0]


def fingerprints(texts: list[str]) -> list[Fingerprint]:
    """Fingerprints of several paragraphs, the MinHash of all in one numpy pass.

    A paragraph of several sentences also gets :data:`SENTENCE_BANDS` keys per
    sentence, made as a one-sentence paragraph's first keys are made. So a split
    part (one sentence of a stored paragraph) meets that sentence's keys with
    its own first keys, and a joined paragraph's sentences meet the first keys
    of the paragraphs it joins: a part and its whole find each other in the
    index even though their whole-paragraph Jaccard is low.
    """
    texts = [without_dateline(t) for t in texts]
    # Each sentence is tokenised once; the paragraph's words are its sentences' words.
    words = [[_words(x) for x in _sentences(t)] for t in texts]
    # Packed where the C code is built: no set is made until a lookup compares one.
    shingles = [_new_shingles([w for sentence in ws for w in sentence]) for ws in words]
    pieces = [_new_shingles(sentence) for ws in words if len(ws) > 1 for sentence in ws]
    if _fastdup is not None:
        # Sentences only need their first keys: in C a second call costs nothing, and
        # their unused permutations were a third of a page's MinHash (43 of 128 µs).
        bands = _bands_many(shingles)
        piece_bands = iter(_bands_many(pieces, SENTENCE_BANDS))
    else:
        # One MinHash pass for paragraphs and sentences alike: a second pass cost more
        # in numpy's per-call overhead than the sentences' unused permutations cost.
        every = _bands_many(shingles + pieces)
        bands = every[: len(shingles)]
        piece_bands = (keys[:SENTENCE_BANDS] for keys in every[len(shingles) :])
    out = []
    for text, sets, keys, ws in zip(texts, shingles, bands, words, strict=True):
        if len(ws) > 1:
            extra = [k for _ in ws for k in next(piece_bands)]
            keys = tuple(dict.fromkeys(keys + tuple(extra)))
        if isinstance(sets, bytes):
            out.append(Fingerprint(text, None, keys, shingle_bytes=sets))
        else:
            out.append(Fingerprint(text, sets, keys))
    return out


def _sentences(text: str) -> list[str]:
    return [x for x in _split_sentences(text) if x.strip()]


def _split_sentences(text: str) -> list[str]:
    """``_SENTENCE_END.split(text)``: in C when the text is ASCII once its quotes and
    dashes have stand-ins (:data:`_STAND_INS`): 2.2 µs a paragraph with re, 1.3 so."""
    if _ascii_sentences is not None and (probe := _ascii_stand_in(text)) is not None:
        return _ascii_sentences(probe, text)
    return _SENTENCE_END.split(text)


def find_duplicates(
    db: Database | sqlite3.Connection,
    fps: list[Fingerprint],
    published: date | datetime | None = None,
) -> list[int | None]:
    """:func:`find_duplicate` for each of several fingerprints: one index refresh, one
    search of the index and one read of candidate texts for them all."""
    conn = getattr(db, "conn", db)
    index = band_index(conn)
    found = index.candidates_many([(index.keys_of(fp), fp.facts) for fp in fps])
    rows = _texts(conn, {i for ids in found for i in ids}, index.rows)
    day = _day(published)
    found_dups = []
    for fp, ids in zip(fps, found, strict=True):
        candidates = [
            (i, rows[i][0], rows[i][1])
            for i in ids
            if i in rows and not _weeks_apart(fp, day, rows[i][2])
        ]
        found_dups.append(_duplicate_among(fp, candidates))
    return found_dups


#: Articles further apart than this (days) cannot mean the same "last week" or "on Tuesday".
RELATIVE_DAYS = 5


def _weeks_apart(fp: Fingerprint, day: date | None, when: str | None) -> bool:
    """Whether a time anchored to its article ("last week") falls in different weeks.

    The same formula recurs in weekly updates: "Last week, IS claimed an attack
    near Sirte" in two updates a week apart tells of two attacks. A copy is
    republished within days; an anchor relative to articles further apart than
    :data:`RELATIVE_DAYS` is another time, so another item.
    """
    if day is None or not when or not any(m == 0 for m, _ in fp.key.dates):
        return False
    other = _day(when)
    return other is not None and abs((day - other).days) > RELATIVE_DAYS


def _day(value: date | datetime | str | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    return value.date() if isinstance(value, datetime) else value


def is_near_duplicate(new_text: str, old_text: str) -> bool:
    """Whether ``new_text`` is a copy of ``old_text`` (edited, or a split part of it)."""
    return same_content(fingerprint(new_text), fingerprint(old_text))


def same_content(new: Fingerprint, old: Fingerprint) -> bool:
    """The pairwise rule: keys agree and wording overlaps, or new is a part of old."""
    return _verdict(new, old) is not None


def _verdict(new: Fingerprint, old: Fingerprint) -> str | None:
    """The kind of match: an edited "copy", a split "part" of old, or None."""
    if not new.shingles or not old.shingles:
        return None
    common = len(new.shingles & old.shingles)
    edited = common / (len(new.shingles) + len(old.shingles) - common) >= JACCARD
    split = common / len(new.shingles) >= CONTAINED
    # A copy's facts agree with old's, a part's lie within them: both need new's within
    # old's, tested once here. That is where a formula twin fails, on its names.
    if not (edited or split) or not key_within(new.key, old.key):
        return None
    if edited and keys_agree(new.key, old.key):
        return "copy"
    return "part" if split and _sentences_within(new, old) else None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-Z0-9])")


def _sentences_within(part: Fingerprint, whole: Fingerprint) -> bool:
    """Each sentence of a split part lies inside one sentence of the whole, facts and all.

    Without this, a sentence made of one event's date and another's place and
    number (every word of it found somewhere in the whole) would pass as a part.
    """
    wholes = [_sentence_fingerprint(s) for s in _sentences(whole.text)]
    for sentence in _split_sentences(part.text):
        if not sentence.strip():
            continue
        piece = _sentence_fingerprint(sentence)
        if not any(
            piece.shingles
            and len(piece.shingles & w.shingles) >= CONTAINED * len(piece.shingles)
            and piece.key.dates == w.key.dates
            and key_within(piece.key, w.key)
            for w in wholes
        ):
            return False
    return True


@lru_cache(maxsize=4096)
def _sentence_fingerprint(sentence: str) -> Fingerprint:
    """A sentence's fingerprint: a stored paragraph's sentences are met again with each
    part cut from it, and a part's with each stored paragraph it may come from."""
    return _unbanded(sentence)


def find_duplicate(db: Database | sqlite3.Connection, fp: Fingerprint) -> int | None:
    """The id of a stored item that ``fp`` near-duplicates, or None for new content."""
    return find_duplicates(db, [fp])[0]


def _duplicate_among(fp: Fingerprint, candidates: list[tuple[int, str, int]]) -> int | None:
    parts: list[int] = []
    covered: set[int] = set()
    keys: list[EventKey] = []
    holders: dict[int, int] = {}  # cluster -> first item holding fp as a part
    for item_id, text, cluster in candidates:
        stored = _stored_fingerprint(item_id, text)
        verdict = _verdict(fp, stored)
        if verdict == "copy":
            return item_id
        if verdict == "part":
            holders.setdefault(cluster, item_id)
            continue
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
            dates=frozenset().union(*(k.dates for k in keys)),
            numbers=frozenset().union(*(k.numbers for k in keys)),
            names=frozenset().union(*(k.names for k in keys)),
            words=frozenset().union(*(k.words for k in keys)),
        )
        if key_within(fp.key, union):
            return min(parts)
    # A part found inside paragraphs of two clusters ("The claim could not be independently
    # verified.") could have been cut from either: which cannot be told, so it stays alone.
    return next(iter(holders.values())) if len(holders) == 1 else None


def index_item(db: Database | sqlite3.Connection, item_id: int, fp: Fingerprint) -> None:
    """Add a stored item's band keys to the index (in the item's own transaction)."""
    index_items(db, [(item_id, fp)])


def index_items(db: Database | sqlite3.Connection, items: list[tuple[int, Fingerprint]]) -> None:
    """Store several items' band keys (one append each); the next lookup reads them in.

    Their fingerprints are kept as candidates' (see :func:`_stored_fingerprint`): on a
    site, an item is mostly a candidate for paragraphs stored soon after it.
    """
    getattr(db, "conn", db).executemany(
        "INSERT OR REPLACE INTO item_bands (item_id, bands, facts) VALUES (?, ?, ?)",
        [(item_id, fp.packed, fp.facts) for item_id, fp in items],
    )
    for item_id, fp in items:
        _keep(item_id, _unbanded_copy(fp))


class BandIndex:
    """The band keys of stored items, in memory: key -> item ids, searched in O(log n).

    Most keys sit in two sorted numpy arrays; keys added since sit in a dict,
    merged into the arrays when it grows. Each item's facts mask sits in an array
    by item id. :meth:`refresh` reads the rows stored since the last look (by this
    process or any other).
    """

    MERGE_AT = 20_000

    def __init__(self) -> None:
        self.rows = RowCache()
        self.keys = np.empty(0, dtype=np.int64)
        self.ids = np.empty(0, dtype=np.int64)
        self.fences = np.empty(0, dtype=np.int64)
        self.facts = np.zeros(1024, dtype=np.int64)
        # The overlay: every key's first item, the items of keys seen more than once,
        # and the (key, item) pairs in order for the next merge. Most keys are seen
        # once, and set and dict operations in C then do all the work.
        self.first: dict[int, int] = {}
        self.more: dict[int, list[int]] = {}
        self.recent_keys: list[int] = []
        self.recent_ids: list[int] = []
        self.seen = 0

    def refresh(self, conn: sqlite3.Connection) -> None:
        for item_id, blob, facts in _rows_since(conn, self.seen).fetchall():
            self.add(item_id, _unpack(blob), facts)

    @staticmethod
    def keys_of(fp: Fingerprint) -> tuple[int, ...]:
        """A fingerprint's band keys as :meth:`candidates_many` takes them."""
        return fp.bands

    def add(self, item_id: int, bands: tuple[int, ...], facts: int) -> None:
        first = self.first
        again = first.keys() & bands
        if again:
            for key in again:
                self.more.setdefault(key, [first[key]]).append(item_id)
            first.update(dict.fromkeys(bands, item_id))
            for key in again:
                first[key] = self.more[key][0]
        else:
            first.update(dict.fromkeys(bands, item_id))
        self.recent_keys.extend(bands)
        self.recent_ids.extend([item_id] * len(bands))
        self.seen = max(self.seen, item_id)
        if item_id >= self.facts.size:
            grown = np.zeros(max(2 * self.facts.size, item_id + 1), dtype=np.int64)
            grown[: self.facts.size] = self.facts
            self.facts = grown
        self.facts[item_id] = facts
        # Merging copies the arrays: only when the overlay is half their size.
        if len(self.recent_keys) >= max(self.MERGE_AT, self.keys.size // 2):
            self.merge()

    def merge(self) -> None:
        keys = np.array(self.recent_keys, dtype=np.int64)
        ids = np.array(self.recent_ids, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        keys, ids = keys[order], ids[order]
        # Slot the sorted overlay into the arrays: one pass, not a sort of everything.
        at = np.searchsorted(self.keys, keys, "right")
        self.keys, self.ids = np.insert(self.keys, at, keys), np.insert(self.ids, at, ids)
        self.fences = self.keys[:: self.BLOCK].copy()
        self.first, self.more = {}, {}
        self.recent_keys, self.recent_ids = [], []

    def candidates_many(
        self, queries: list[tuple[tuple[int, ...], int]], limit: int = CANDIDATES
    ) -> list[list[int]]:
        """For each (band keys, facts mask): the items sharing most band keys, most first.

        One shared band is what unrelated texts share by chance (Jaccard 0.1: 4% of
        items); a copy shares several (Jaccard 0.5: 5 expected, 2+ in 97% of cases).
        An item whose facts are neither within nor around the query's cannot pass
        the rule and is dropped before the count is cut to ``limit``, so formula
        twins never crowd a real copy out.
        """
        query_of, ids = self._postings(queries)
        out: list[list[int]] = [[] for _ in queries]
        if not ids.size:
            return out
        pairs, hits = np.unique(query_of << 40 | ids, return_counts=True)
        query_of, ids = pairs >> 40, pairs & ((1 << 40) - 1)
        masks = np.asarray([f for _, f in queries], dtype=np.int64)[query_of]
        theirs = self.facts[ids]
        keep = (hits >= MIN_HITS) & (((theirs & ~masks) == 0) | ((masks & ~theirs) == 0))
        query_of, ids, hits = query_of[keep], ids[keep], hits[keep]
        order = np.lexsort((ids, -hits, query_of))
        for q, item in zip(query_of[order].tolist(), ids[order].tolist(), strict=True):
            if len(out[q]) < limit:
                out[q].append(item)
        return out

    #: Keys per block of the sorted array: one in BLOCK is kept in :attr:`fences`.
    BLOCK = 64

    def _ranges(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each key's postings start and end in the sorted arrays.

        A binary search over millions of keys touches some twenty cache lines
        scattered over the array, and got slower as the store grew. Searching the
        fences (every BLOCK-th key, small enough to stay in cache) and then one
        block of BLOCK contiguous keys keeps a lookup's cost flat.
        """
        size, block = self.keys.size, self.BLOCK
        offsets = np.arange(block)
        bounds = []
        for side, compare in (("left", np.less), ("right", np.less_equal)):
            first = np.maximum(np.searchsorted(self.fences, keys, side) - 1, 0) * block
            at = first[:, None] + offsets
            inside = at < size
            values = self.keys[np.minimum(at, size - 1)]
            bounds.append(first + (compare(values, keys[:, None]) & inside).sum(axis=1))
        return bounds[0], bounds[1]

    def _postings(
        self, queries: list[tuple[tuple[int, ...], int]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(query number, item id) for every posting of the queries' keys, stock keys left out."""
        query_of: list[np.ndarray] = []
        ids: list[np.ndarray] = []
        sizes = [len(bands) for bands, _ in queries]
        if self.keys.size and sum(sizes):
            keys = np.fromiter((k for bands, _ in queries for k in bands), np.int64, sum(sizes))
            owner = np.repeat(np.arange(len(queries), dtype=np.int64), sizes)
            low, high = self._ranges(keys)
            count = high - low
            use = (count > 0) & (count <= MAX_POSTINGS)
            low, count, owner = low[use], count[use], owner[use]
            if count.size:
                total = int(count.sum())
                # positions low[i] .. low[i] + count[i] - 1 for every used key i, in one array
                starts = np.repeat(low - np.cumsum(count) + count, count)
                ids.append(self.ids[starts + np.arange(total)])
                query_of.append(np.repeat(owner, count))
        if self.first:
            extra_q: list[int] = []
            extra: list[int] = []
            first, more = self.first, self.more
            for q, (bands, _) in enumerate(queries):
                for key in first.keys() & bands:
                    recent = more.get(key)
                    if recent is None:
                        extra.append(first[key])
                        extra_q.append(q)
                    elif len(recent) <= MAX_POSTINGS:
                        extra.extend(recent)
                        extra_q.extend([q] * len(recent))
            ids.append(np.asarray(extra, dtype=np.int64))
            query_of.append(np.asarray(extra_q, dtype=np.int64))
        if not ids:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(query_of), np.concatenate(ids)


class NativeBandIndex:
    """:class:`BandIndex` in C (storage/_fastdup.c): a hash table of key -> items.

    Same answers; a lookup is a few hash probes instead of numpy calls whose
    fixed cost dominated, and adding an item never copies arrays. It keeps no
    items of a stock key (more than :data:`MAX_POSTINGS`), which no lookup would
    use: on the bench site that halved a lookup's time (13 to 7 µs) and the
    index's memory fell by a quarter.
    """

    def __init__(self) -> None:
        self._keys = _fastdup.KeyIndex(MAX_POSTINGS)
        self.rows = RowCache()

    @property
    def seen(self) -> int:
        return self._keys.seen

    def refresh(self, conn: sqlite3.Connection) -> None:
        add = self._keys.add
        for item_id, blob, facts in _rows_since(conn, self._keys.seen):
            add(item_id, blob, facts)

    def add(self, item_id: int, bands: tuple[int, ...], facts: int) -> None:
        self._keys.add(item_id, pack_bands(bands), facts)

    @staticmethod
    def keys_of(fp: Fingerprint) -> bytes:
        """A fingerprint's band keys as :meth:`candidates_many` takes them: packed."""
        return fp.packed

    def candidates_many(
        self, queries: list[tuple[tuple[int, ...] | bytes, int]], limit: int = CANDIDATES
    ) -> list[list[int]]:
        """See :meth:`BandIndex.candidates_many`; band keys as numbers or packed."""
        return self._keys.candidates(queries, limit, MIN_HITS, MAX_POSTINGS)

    @property
    def nbytes(self) -> int:
        return self._keys.nbytes


def _rows_since(conn: sqlite3.Connection, seen: int) -> sqlite3.Cursor:
    """The ``item_bands`` rows stored after item ``seen``, in id order: what an index lacks."""
    return conn.execute(
        "SELECT item_id, bands, facts FROM item_bands WHERE item_id > ? ORDER BY item_id", (seen,)
    )


def new_index() -> BandIndex | NativeBandIndex:
    """An empty index: the C one when it is built."""
    return NativeBandIndex() if _fastdup is not None else BandIndex()


_INDEXES: dict[tuple[str, int], BandIndex | NativeBandIndex] = {}
# Connections cannot be weakly referenced: remember the last one seen, the usual case.
_LAST: list[tuple[sqlite3.Connection, tuple[str, int]]] = []


def read_mark(conn: sqlite3.Connection) -> int:
    """How far this process's index of the database behind ``conn`` has read (0: not yet)."""
    if not _INDEXES:  # the usual case outside a crawl's worker: no lookup made yet
        return 0
    index = _INDEXES.get(_where(conn))
    return index.seen if index is not None else 0


def forget_after(conn: sqlite3.Connection, mark: int) -> None:
    """After a rollback: drop the index if it read rows since ``mark`` (see :func:`read_mark`).

    Those rows may be gone with the rollback, but the index holds their keys, and
    ids that SQLite hands out again would then point at other items while the new
    items' keys, below what was read, are never read. The next lookup loads the
    index afresh from what was committed. An index that read nothing since stays.
    """
    try:
        where = _where(conn)
    except (sqlite3.Error, OSError):  # the database is in no state to say: drop them all
        _INDEXES.clear()
        return
    index = _INDEXES.get(where)
    if index is not None and index.seen > mark:
        del _INDEXES[where]


def band_index(conn: sqlite3.Connection) -> BandIndex | NativeBandIndex:
    """This process's index of the database behind ``conn``, brought up to date."""
    where = _where(conn)
    # In memory there is no lasting identity to key a cache by: load it afresh.
    if where is None:
        index = new_index()
    elif (index := _INDEXES.get(where)) is None:
        index = _INDEXES[where] = new_index()
    index.refresh(conn)
    return index


def _where(conn: sqlite3.Connection) -> tuple[str, int] | None:
    """The database's identity: path and inode (a file made anew at one path is another
    database); None in memory."""
    if _LAST and _LAST[0][0] is conn:
        return _LAST[0][1]
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    if not path:
        return None
    where = (path, os.stat(path).st_ino)
    _LAST[:] = [(conn, where)]
    return where


def pack_bands(bands: tuple[int, ...]) -> bytes:
    return struct.pack(f"<{len(bands)}q", *bands)


def _unpack(blob: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(blob) // 8}q", blob)


def keys_agree(a: EventKey, b: EventKey) -> bool:
    """Same dates, same numbers, and every name of each has a counterpart in the other."""
    return (
        a.dates == b.dates
        and a.numbers == b.numbers
        and _names_within(a.names, b)
        and _names_within(b.names, a)
    )


def key_within(part: EventKey, whole: EventKey) -> bool:
    """Whether a part's dates, numbers and names all occur in the whole's."""
    return (
        part.dates <= whole.dates
        and part.numbers <= whole.numbers
        and _names_within(part.names, whole)
    )


def event_key(text: str) -> EventKey:
    """The dates, numbers and names a paragraph states (each worked out when first asked)."""
    return EventKey(text)


def _parse_dates(text: str) -> tuple[frozenset[tuple[int, int]], str]:
    """The time anchors a text states, and the text with its dates taken out.

    (month, day) for a date; (month, 0) for a month named alone ("since
    November"); (0, n) for an anchor relative to the article ("last week",
    "on Tuesday"). Two paragraphs anchored differently tell of different times:
    "Last week, X" is not "On 5 October, X", nor X with no anchor at all.
    """
    dates = set()
    without = text
    for match in _date_matches(text):
        if match.group(3):
            month = _MONTHS[match.group(3).lower().rstrip(".")]
            days = [match.group(1), match.group(2)]
        else:
            month = _MONTHS[match.group(4).lower().rstrip(".")]
            days = [match.group(5)]
        dates |= {(month, int(d)) for d in days if d}
        without = without.replace(match.group(0), " ")
    for found in _anchors(without):
        word = found.lower()
        if word in _MONTH_ALONE:
            dates.add((_MONTH_ALONE[word], 0))
        else:
            dates.add((0, _RELATIVE[" ".join(word.split())]))
    return frozenset(dates), without


#: A digit that opens a word: every date has one, its day.
_WORD_DIGIT = re.compile(r"\d(?<!\w.)")
#: Read backwards from a day: the spaces, the dot and the month (3 to 9 letters) before it.
_MONTH_BEHIND = re.compile(r"\s+\.?\w{3,9}(?!\w)")


def _date_matches(text: str) -> list[re.Match[str]]:
    """What ``_DATE.finditer(text)`` finds, trying :data:`_DATE` only where a date can start.

    finditer tries the pattern at every position, half the cost of :func:`_parse_dates`.
    A date starts at its day ("3 March": a digit opening a word) or at the month
    before its day ("March 3": the word before that digit's spaces and dot, found by
    reading the text backwards from it). Those starts are tried in order, each from
    where the last match ended, as finditer does, so the matches are the same.
    """
    found = []
    end = 0
    backwards = ""
    for day in _word_digits(text):
        if day < end:  # inside the last match: the "4" of "3-4 March"
            continue
        starts = [day]
        if text[day - 1 : day].isspace():
            backwards = backwards or text[::-1]  # reversed once, when first needed
            month = _MONTH_BEHIND.match(backwards, len(text) - day)
            if month is not None:
                starts.insert(0, len(text) - month.end())
        for start in starts:
            if start >= end and (match := _DATE.match(text, start)) is not None:
                found.append(match)
                end = match.end()
    return found


def _word_digits(text: str) -> list[int]:
    """Where :data:`_WORD_DIGIT` matches: in C when the text is ASCII once its quotes
    and dashes have stand-ins (:data:`_STAND_INS`): 2.1 µs a paragraph with re, 0.5 so."""
    if _ascii_word_digits is not None and (probe := _ascii_stand_in(text)) is not None:
        return _ascii_word_digits(probe)
    return [digit.start() for digit in _WORD_DIGIT.finditer(text)]


def _anchors(text: str) -> list[str]:
    """What :data:`_ANCHOR` finds: in C when the text is ASCII once its quotes and dashes
    have stand-ins (:data:`_STAND_INS`). With re, :func:`_may_anchor` and the search
    took 5.0 µs a paragraph, 1.5 so."""
    if _ascii_anchors is not None and (probe := _ascii_stand_in(text)) is not None:
        return _ascii_anchors(probe, text)
    return [m.group(0) for m in _ANCHOR.finditer(text)] if _may_anchor(text) else []


def _may_anchor(text: str) -> bool:
    """Whether :data:`_ANCHOR` can match: only where the text names a month or holds a
    relative anchor's first word ("day" for the days). Two texts in three hold neither,
    and these few tests cost a third of the search they save.

    In lower case, the words are found wherever the pattern's ``(?i:...)`` matches,
    once three letters it also takes for i and s are mapped: the dotless i and the long
    s, which lower() keeps, and the combining dot it adds to a dotted capital I.
    """
    if _MONTH_NAMED.search(text):
        return True
    folded = text.lower()
    if not text.isascii():
        folded = folded.replace("\u0131", "i").replace("\u017f", "s").replace("\u0307", "")
    return any(word in folded for word in _ANCHOR_WORDS)


#: Months named alone; "may" is left out, being more often the verb.
_MONTH_ALONE = {m: n for m, n in _MONTHS.items() if len(m) > 4 or m == "june" or m == "july"}
_RELATIVE = {
    phrase: n + 1
    for n, phrase in enumerate(
        "last week|this week|next week|last month|this month|earlier this month|yesterday|today"
        "|overnight|last weekend|this weekend|monday|tuesday|wednesday|thursday|friday|saturday"
        "|sunday".split("|")
    )
}
#: A month named alone, as _ANCHOR takes it. A regex: it finds their capitals in C,
#: faster than a substring test for each.
_MONTH_NAMED = re.compile("|".join(m.capitalize() for m in _MONTH_ALONE))
#: Each relative anchor's first word, or "day" for the days ("yesterday", "monday").
_ANCHOR_WORDS = tuple(
    dict.fromkeys("day" if w.endswith("day") else w for w in (p.split()[0] for p in _RELATIVE))
)
_ANCHOR = re.compile(
    # As for _DATE: positions whose letter opens no anchor are skipped in C (2x faster).
    r"(?=[JFMASONDlLtTnNeEyYoOmMwWfFsS])\b(?:"
    + _MONTH_NAMED.pattern
    + "|(?i:"
    + "|".join(p.replace(" ", r"\s+") for p in sorted(_RELATIVE, key=len, reverse=True))
    + r"))\b"
)


def _numbers(text: str) -> frozenset[str]:
    """Counts and distances, and compass directions: "90km north" is not "90km west"."""
    tokens = _tokens(normalise(text))
    numbers = {token.replace(",", "") for token in tokens if token[0].isdigit()}
    # One set operation in C rather than two dictionary tests per token in Python.
    for word in _COUNTED_WORDS.intersection(tokens):
        if word != "one" or _one_counts(tokens):
            numbers.add(_COUNTED[word])
    return frozenset(numbers)


def _one_counts(tokens: list[str]) -> bool:
    """Whether some "one" counts: one not after a word like "no" ("no one was hurt")."""
    return any(
        token == "one" and previous not in _NOT_ONE
        for previous, token in itertools.pairwise(["", *tokens])
    )


_DIRECTIONS = {
    word: "~" + word.removesuffix("ern").removesuffix("wards").removesuffix("ward")
    for base in (
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    )
    for word in (base, base + "ern", base + "ward", base + "wards")
}


#: "no one was hurt" says what "nobody was hurt" says; "one" there counts nothing.
_NOT_ONE = frozenset({"no", "any", "every", "some", "this", "that", "which", "the", "each"})
#: The words :func:`_numbers` counts, and what each counts as (none opens with a digit).
_COUNTED = _NUMBER_WORDS | _DIRECTIONS
_COUNTED_WORDS = frozenset(_COUNTED)


def _names(text: str) -> set[str]:
    # "(NOC)" after a name restates it: a copy that adds or drops it says the same.
    if "(" in text:
        text = _ACRONYM.sub(" ", text)
    found = set()
    for word in _name_words(text):
        folded = _fold_name(word)
        if folded and folded not in _NOT_NAMES:
            found.add(folded)
    return found


def _name_words(text: str) -> list[str]:
    """The words :data:`_NAME` finds, less a capital only because it opens a sentence."""
    if _ascii_names is not None and (probe := _ascii_stand_in(text)) is not None:
        return _ascii_names(probe, text)  # 9.5 µs a paragraph with re
    starts = {m.start(1) for m in _SENTENCE_START.finditer(text)}
    return [
        m.group(0) for m in _NAME.finditer(text) if m.start() not in starts or m.group(0).isupper()
    ]


def _ascii_stand_in(text: str) -> str | None:
    """``text`` with :data:`_STAND_INS` put in, when that makes it ASCII; else None."""
    if not text.isascii():
        for char, stand_in in _STAND_INS:
            if char in text:
                text = text.replace(char, stand_in)
        if not text.isascii():
            return None
    return text


#: Typography that keeps a text from the C scans (names, days, anchors, sentences), and an
#: ASCII character each that their patterns treat alike: in the same character classes,
#: a word character for none, whitespace for the space. One character for one, so the
#: scans' offsets into the stand-in text are offsets into the text itself.
_STAND_INS = (
    ("’", "-"), ("‘", "("), ("“", '"'), ("”", ","), ("–", ","), ("—", ","), ("\xa0", " ")
)  # fmt: skip


_ACRONYM = re.compile(r"\(\s*[A-Z][A-Za-z]{1,6}\s*\)")
_POSSESSIVE = re.compile(r"'s$")
_ARTICLE = re.compile(r"^(al|el|ad|ash|as|an|ar|az)-")


@lru_cache(maxsize=65536)
def _fold_name(word: str) -> str:
    folded = normalise(word).replace("’", "'")
    folded = _ARTICLE.sub("", _POSSESSIVE.sub("", folded))
    return folded.replace("-", "").replace("'", "")


def _names_within(names: frozenset[str], other: EventKey) -> bool:
    """Every name has a counterpart among the other's names, or is one of its words."""
    if not names:  # nothing to look for: the other's words need not be worked out
        return True
    # Most names are among the other's words: one set difference in C leaves the rest.
    return all(any(_same_name(n, o) for o in other.names) for n in names - other.words)


#: Folded one-word names -> the groups (watch ids) that list them; see :func:`use_gazetteer`.
_GAZETTEER: dict[str, frozenset[str]] = {}


def use_gazetteer(groups: Mapping[str, Iterable[str]]) -> None:
    """Names known to be one (listed in one group) or two (listed in different groups).

    The watchlist is the gazetteer: a watch lists a place's spellings (Tobruk,
    Tubruq; Zawiya, Zawiyah), which no rule of letters could all match, and two
    watches tell apart places whose letters no rule could (Jufra, Jafara). Names
    it does not list fall back to the rules of :func:`_same_name`. Process-wide:
    the crawl's worker sets it from the config before it stores anything.
    """
    found: dict[str, set[str]] = {}
    for group, names in groups.items():
        for name in names:
            if len(name.split()) == 1 and _NAME.fullmatch(name.split("-")[-1]):
                found.setdefault(_fold_name(name), set()).add(group)
    _GAZETTEER.clear()
    _GAZETTEER.update({name: frozenset(ids) for name, ids in found.items()})
    _same_name.cache_clear()


@lru_cache(maxsize=65536)
def _same_name(a: str, b: str) -> bool:
    """Equal, listed together, an acronym and its longer form, a demonym, or one name in
    two transliterations."""
    if a == b:
        return True
    known_a, known_b = _GAZETTEER.get(a), _GAZETTEER.get(b)
    if known_a is not None and known_b is not None:
        return not known_a.isdisjoint(known_b)
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 2 and long_.startswith(short) and len(short) <= 3:
        return True  # IS / ISIS, BM / BMF: an acronym and its longer form
    if len(short) >= 4 and long_ in (short + "n", short + "i"):
        return True  # Misrata / Misratan, Zintan / Zintani: the place and its people
    skeleton = _skeleton(a)
    if len(skeleton) < 2 or skeleton != _skeleton(b):
        return False
    # Two consonants say little: Omar and Amr share them. Then the first letter must agree.
    return a[0] == b[0] if len(skeleton) == 2 else _same_start(a, b)


def _skeleton(name: str) -> str:
    """Consonants, without h, w, y and doubled letters: Derna = Darnah, Ubari = Awbari.

    Transliterations of Arabic names differ in vowels and in h/w/y; different
    names (Sabri / Sabha, Zuwaya / Zuwara, Talha / Talal) differ in consonants.
    """
    bare = re.sub(r"[aeiouhwy]", "", name)
    # defence / defense, organised / organized; qaf written q or g (Qanfouda / Ganfouda)
    return bare.replace("c", "s").replace("z", "s").replace("q", "g")


def _same_start(a: str, b: str) -> bool:
    """Same first letter, or both starting with a vowel or w (Ubari / Awbari)."""
    opening = "aeiouw"
    first_a, first_b = a[0].replace("q", "g"), b[0].replace("q", "g")
    return first_a == first_b or (first_a in opening and first_b in opening)


def _shingles(text: str) -> frozenset[int]:
    return _bigrams(_words(text))


def _words(text: str) -> list[int]:
    """The text's words, each hashed once (the same tokens as :attr:`EventKey.words`)."""
    normalised = normalise(text)
    if _ascii_word_hashes is not None and normalised.isascii():
        return _ascii_word_hashes(normalised)
    return _word_hashes(_tokens(normalised))


def _tokens(normalised: str) -> list[str]:
    """The words and numbers of a normalised text (nearly always ASCII by then)."""
    return _ascii_tokens(normalised) if normalised.isascii() else _TOKEN.findall(normalised)


def _py_word_hashes(words: list[str]) -> list[int]:
    return [zlib.crc32(w.encode()) for w in words]


def _py_bigrams(words: list[int]) -> frozenset[int]:
    """Word bigrams as 32-bit values, neighbours' hashes combined; a lone word as itself."""
    if len(words) < 2:
        return frozenset(words)
    return frozenset((a * 0x9E3779B1 ^ b) & 0xFFFFFFFF for a, b in itertools.pairwise(words))


_BAND_OFFSETS = tuple(i * 0x9E3779B97F4A7C15 % (1 << 64) for i in range(BANDS))


@lru_cache(maxsize=1)
def _arrays() -> tuple[Any, Any, Any, Any]:
    """The MinHash constants as numpy arrays, for :func:`_py_bands_many`."""
    return tuple(np.array(c, dtype=np.uint64) for c in (_A, _B, _BAND_MIX, _BAND_OFFSETS))


def _bands_many(sets: list[frozenset[int] | bytes], bands: int = BANDS) -> list[tuple[int, ...]]:
    """The first ``bands`` band keys of each shingle set (packed ones only in C)."""
    if _fastdup is not None:
        return _fastdup.bands_many(sets, bands)
    return _py_bands_many(sets, bands)


def _py_bands_many(sets: list[frozenset[int]], bands: int = BANDS) -> list[tuple[int, ...]]:
    """:func:`_bands_many` in numpy: MinHash of all sets in one pass."""
    sizes = [len(s) for s in sets]
    present = [s for s in sets if s]
    if not present:
        return [() for _ in sets]
    lengths = [len(s) for s in present]
    values = np.fromiter(itertools.chain.from_iterable(present), np.uint64, sum(lengths))
    starts = np.cumsum([0, *lengths[:-1]])
    used = bands * ROWS
    a, b, band_mix, band_offsets = _arrays()
    # Multiply-add wrapping at 2**64 (no modulo: it cost 6x the rest); the minimum
    # is decided by the high bits, which an odd full-width multiplier mixes well.
    hashed = np.outer(a[:used], values) + b[:used, None]
    signatures = np.minimum.reduceat(hashed, starts, axis=1)  # (used, len(present))
    rows = signatures.T.reshape(len(present), bands, ROWS)
    mixed = (rows * band_mix).sum(axis=2) + band_offsets[:bands]
    packed = mixed.astype("<u8").tobytes()
    keys = iter(struct.unpack(f"<{len(present) * bands}q", packed))
    return [tuple(itertools.islice(keys, bands)) if size else () for size in sizes]


if _fastdup is not None:
    _word_hashes, _bigrams = _fastdup.word_hashes, _fastdup.bigrams
    # Tokens found and hashed in one pass, no string made of each: re's findall (this
    # tokenizer's and the boilerplate needles') was 9% of a storing process's
    # instructions in a callgrind of a bench crawl; 5.4 µs a sentence became 2.2.
    _ascii_word_hashes = _fastdup.ascii_word_hashes
    # The same tokens as strings, for facts and words: 4x faster than findall.
    _ascii_tokens = _fastdup.ascii_tokens
    _new_shingles = _fastdup.bigram_bytes
    _ascii_names = _fastdup.ascii_names
    _ascii_word_digits = _fastdup.ascii_word_digits
    _ascii_sentences = _fastdup.ascii_sentences
    _ascii_anchors = _fastdup.ascii_anchors
    # _ANCHOR's alternatives, in its order: the months in their case, then the rest.
    _fastdup.set_anchors(
        tuple(m.capitalize() for m in _MONTH_ALONE),
        tuple(sorted(_RELATIVE, key=len, reverse=True)),
    )
    _fastdup.setup(*(struct.pack(f"={len(c)}Q", *c) for c in (_A, _B, _BAND_MIX, _BAND_OFFSETS)))
else:
    _word_hashes, _bigrams = _py_word_hashes, _py_bigrams
    _ascii_word_hashes = None
    _ascii_tokens = _ASCII_TOKEN.findall
    _new_shingles = _py_bigrams
    _ascii_names = None
    _ascii_word_digits = None
    _ascii_sentences = None
    _ascii_anchors = None


class RowCache(OrderedDict):
    """Candidate items' rows as :func:`_texts` read them, by item id, least recently
    used first; kept by the index of their database, and dropped with it.

    A candidate is usually one again soon (in a bench crawl, 69% of the rows read
    had been read before), and what is kept cannot change: an item's text and
    cluster are never updated, nor is its first article's publication date once it
    has one (rows without one are not kept). Items of a transaction rolled back are
    not a worry: they reached no lookup unless the index read them, and an index
    that read rows since is dropped (:func:`forget_after`).
    """

    KEPT = 16384

    def keep(self, item_id: int, row: tuple[str, int, str | None]) -> None:
        self[item_id] = row
        if len(self) > self.KEPT:
            self.popitem(last=False)


def _texts(
    conn: sqlite3.Connection, ids: set[int], known: RowCache | None = None
) -> dict[int, tuple[str, int, str | None]]:
    """The text, cluster and first article's publication date of each candidate item."""
    found = {}
    if known is not None:
        for item_id in ids & known.keys():
            found[item_id] = known[item_id]
            known.move_to_end(item_id)
        ids = ids - found.keys()
    if not ids:
        return found
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        "SELECT items.id, items.text, items.cluster, articles.published FROM items"
        f" LEFT JOIN articles ON articles.id = items.first_article_id WHERE items.id IN ({marks})",
        list(ids),
    )
    for item_id, text, cluster, when in rows:
        found[item_id] = row = (text, cluster, when)
        if known is not None and when is not None:
            known.keep(item_id, row)
    return found


def _unbanded(text: str) -> Fingerprint:
    """Shingles and key, no band keys: for comparing, not for looking up."""
    text = without_dateline(text)
    return Fingerprint(text, _shingles(text), ())


def _unbanded_copy(fp: Fingerprint) -> Fingerprint:
    """``fp`` without its band keys (most of its memory), sharing its shingles and key.

    The shingles are :func:`_unbanded`'s: a paragraph's words are its sentences' words.
    """
    copy = Fingerprint(fp.text, fp._shingles, (), shingle_bytes=fp._shingle_bytes)
    copy._key = fp.key
    return copy


#: Stored items' fingerprints by (id, text), least recently used first: candidates
#: read, and items this process stored, with the facts their own lookup worked out.
#: An OrderedDict: a plain dict's oldest key, found by iterating past the deleted
#: slots at its front, cost more the longer it churned.
_STORED: OrderedDict[tuple[int, str], Fingerprint] = OrderedDict()
STORED_KEPT = 16384


def _stored_fingerprint(item_id: int, text: str) -> Fingerprint:
    """A stored candidate's fingerprint (one item is often a candidate many times)."""
    fp = _STORED.get((item_id, text))
    if fp is None:
        fp = _unbanded(text)
        _keep(item_id, fp)
    else:
        _STORED.move_to_end((item_id, text))
    return fp


def _keep(item_id: int, fp: Fingerprint) -> None:
    """Keep a stored item's fingerprint, as the most recently used."""
    _STORED[item_id, fp.text] = fp
    _STORED.move_to_end((item_id, fp.text))
    if len(_STORED) > STORED_KEPT:
        _STORED.popitem(last=False)
