"""The C inner loops of the near-duplicate index (storage/_fastdup.c) against the Python
reference code in storage/neardup.py: the same hashes, band keys and candidates.

Band keys are stored in the database, so a store written by one must read right by
the other, bit for bit.
"""

from __future__ import annotations

import array
import os
import random
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import neardup
from storage.normalise import normalise
from tests.fixturesite.content import generate_site_posts

ROOT = Path(__file__).resolve().parent.parent

try:
    from storage import _fastdup
except ImportError:
    _fastdup = None

if _fastdup is None and os.environ.get("WIREWATCH_REQUIRE_NATIVE"):
    pytest.fail("storage._fastdup is not built (no C compiler at install?)", pytrace=False)
pytestmark = pytest.mark.skipif(_fastdup is None, reason="storage._fastdup is not built")

ODD = [
    "",
    "Sirte",
    "Sirte.",
    "Café Dérna — 40 km, ‘quoted’ and “double”",
    "طرابلس and Tripoli on 3 March",
    "IS IS IS IS IS IS",  # a bigram repeated: one shingle
    "x " * 500,
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    posts = generate_site_posts(120, 7, start=datetime(2019, 1, 7, tzinfo=UTC), spacing_days=3)
    return [t for p in posts for t in p.paragraph_texts()] + ODD


def test_word_hashes_and_bigrams_match_python(texts: list[str]) -> None:
    for text in texts:
        words = neardup._TOKEN.findall(normalise(text))
        hashes = _fastdup.word_hashes(words)
        assert hashes == neardup._py_word_hashes(words), text
        assert _fastdup.bigrams(hashes) == neardup._py_bigrams(hashes), text
        assert _fastdup.bigrams(hashes[:1]) == neardup._py_bigrams(hashes[:1])
        for words in (hashes, hashes[:1], []):
            packed = _fastdup.bigram_bytes(words)
            assert frozenset(array.array("I", packed)) == neardup._py_bigrams(words), text
            assert _fastdup.bands_many([packed], neardup.BANDS) == _fastdup.bands_many(
                [neardup._py_bigrams(words)], neardup.BANDS
            )


TOKEN_EDGES = [
    "1.2.3 1. ,5 .5 9, 3,000km abc123def a-b derna's 2.5.x x1,2",
    "..,,-- 0 00,00.0 z Z a",
    "the lna's 3,000-strong force, 12.5km east of sirte.",
]


def test_ascii_tokens_and_hashes_are_what_the_pattern_finds(texts: list[str]) -> None:
    """One pass in C against findall (and word_hashes), on every ASCII text."""
    checked = 0
    for text in [*texts, *TOKEN_EDGES, *(t.upper() for t in TOKEN_EDGES)]:
        normalised = normalise(text) if text not in TOKEN_EDGES else text
        if not normalised.isascii():
            continue
        words = neardup._ASCII_TOKEN.findall(normalised)
        assert _fastdup.ascii_tokens(normalised) == words, text
        assert _fastdup.ascii_word_hashes(normalised) == neardup._py_word_hashes(words), text
        checked += 1
    assert checked > 100
    # The pattern's own split of the edge cases, spelled out:
    assert neardup._ASCII_TOKEN.findall(TOKEN_EDGES[0]) == (
        "1.2.3 1 5 5 9 3,000 km abc 123 def a b derna s 2.5 x x 1,2".split()
    )
    for native in (_fastdup.ascii_word_hashes, _fastdup.ascii_tokens):
        with pytest.raises(ValueError, match="ASCII"):
            native("Café")


FOLD_EDGES = [
    "",
    " ",
    "  a  b  ",
    "A\tB\nC\r\nD\x0b\x0cE\x1c\x1d\x1e\x1fF",
    "already lower case",
    "`quoted` and ``twice``",
    "\x1fx x\x1f",
    "a\x00b a\x7f b",
]


def test_ascii_fold_is_the_python_normalisation(texts: list[str]) -> None:
    """One pass in C against split, join and casefold, on fixture text, edge cases and noise."""
    rnd = random.Random(5)
    noise = [
        "".join(rnd.choice("aZ `\t\n\r\x0b\x1c\x1f.9") for _ in range(rnd.randrange(12)))
        for _ in range(20000)
    ]
    checked = 0
    for text in [*texts, *FOLD_EDGES, *noise]:
        if not text.isascii():
            continue
        expected = " ".join(text.replace("`", "'").split()).casefold()
        assert _fastdup.ascii_fold(text) == expected, repr(text)
        checked += 1
    assert checked > 20000
    assert _fastdup.ascii_fold(FOLD_EDGES[3]) == "a b c d e f"
    for text in [*FOLD_EDGES, *noise]:  # extraction's whitespace collapse, case kept
        assert _fastdup.ascii_squeeze(text) == " ".join(text.split()), repr(text)
    with pytest.raises(ValueError, match="ASCII"):
        _fastdup.ascii_fold("Café")


def _regex_name_words(text: str) -> list[str]:
    """neardup._name_words as the two patterns give it, without the C scan."""
    starts = {m.start(1) for m in neardup._SENTENCE_START.finditer(text)}
    return [
        m.group(0)
        for m in neardup._NAME.finditer(text)
        if m.start() not in starts or m.group(0).isupper()
    ]


def test_names_found_in_c_are_the_patterns_names(texts: list[str]) -> None:
    """The C scan (ASCII text, or text whose quotes and dashes have ASCII stand-ins)
    against the regexes, on fixture text and on noise of the characters they turn on."""
    rnd = random.Random(11)
    alphabet = "AaBbZzqQ .!?\n\t\x1c\xa0'\"(-_9,’‘“”–—é"
    noise = ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(16))) for _ in range(50000)]
    edges = ["O'Brien's McDonald LNAs ISa Abc-Def9 Abc-Def x. ’Derna. (Tobruk) “Sirte”"]
    for text in [*texts, *edges, *noise]:
        assert neardup._name_words(text) == _regex_name_words(text), repr(text)
    # Spelled out: no "O" or "McDonald" (no word boundary), "Def9" gives "Abc" alone, and
    # "(Tobruk)" opens a sentence after "Derna. " where "’Derna" opens none.
    expected = ["Brien's", "LNAs", "ISa", "Abc", "Abc-Def", "Derna", "Sirte"]
    assert neardup._name_words(edges[0]) == expected
    with pytest.raises(ValueError, match="ASCII"):
        _fastdup.ascii_names("Café", "Café")


def test_word_digits_found_in_c_are_the_patterns(texts: list[str]) -> None:
    """Where a day can start: the C scan against neardup._WORD_DIGIT, as for names."""
    rnd = random.Random(12)
    noise = [
        "".join(rnd.choice("aZ9 0_.,’‘“”–—é٣\n\xa0") for _ in range(rnd.randrange(12)))
        for _ in range(50000)
    ]
    for text in [*texts, "3-4 March, x1 9 _9 (12) ’5 é7 ٣", *noise]:
        expected = [m.start() for m in neardup._WORD_DIGIT.finditer(text)]
        assert neardup._word_digits(text) == expected, repr(text)
    with pytest.raises(ValueError, match="ASCII"):
        _fastdup.ascii_word_digits("Café 3")


def test_sentences_cut_in_c_are_the_patterns(texts: list[str]) -> None:
    """Where a paragraph splits into sentences: the C scan against _SENTENCE_END.split."""
    rnd = random.Random(13)
    alphabet = "aA9 .!?\n\t\x1c\xa0\"'(x’‘“”–—é"
    noise = ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(14))) for _ in range(50000)]
    edge = "One. Two!  (Three?) 4 km. x. Y\xa0said “Six.” ‘Seven’. 8. "
    assert neardup._ascii_stand_in(edge) is not None  # the C scan's, with stand-ins
    for text in [*texts, edge, edge.replace(" ", "\u2009"), "", *noise]:
        assert neardup._split_sentences(text) == neardup._SENTENCE_END.split(text), repr(text)
    expected = ["One.", "Two!", "(Three?) 4 km. x.", "Y\xa0said “Six.” ‘Seven’.", "8. "]
    assert neardup._sentences(edge) == expected
    with pytest.raises(ValueError, match="ASCII"):
        _fastdup.ascii_sentences("Café. Now", "Café. Now")
    with pytest.raises(ValueError, match="length"):
        _fastdup.ascii_sentences("Cafe. Now", "Cafe.")


def test_anchors_found_in_c_are_the_patterns(texts: list[str]) -> None:
    """Months named alone and relative anchors: the C scan against _ANCHOR.finditer, on
    fixture text and on noise of the words and separators it turns on."""
    rnd = random.Random(14)
    words = "last Last LAST week weekend weeks this month earlier today Todays March march"
    words += " MARCH June Junes sunday SUNDAY overnight x 9 _ yesterday May next Week"
    seps = [" ", "  ", "\n", "\t", "\xa0", "", "-", ".", "’", "_", "9", ", ", "é"]
    noise = [
        "".join(rnd.choice(words.split()) + rnd.choice(seps) for _ in range(rnd.randrange(6)))
        for _ in range(50000)
    ]
    for text in [*texts, *noise]:
        expected = [m.group(0) for m in neardup._ANCHOR.finditer(text)]
        assert neardup._anchors(text) == expected, repr(text)
    assert neardup._anchors("Last\xa0 week, on Sunday (march) and in June.") == [
        "Last\xa0 week",
        "Sunday",
        "June",
    ]


def test_band_keys_match_numpy(texts: list[str]) -> None:
    sets = [neardup._shingles(t) for t in texts]
    assert frozenset() in sets  # the empty paragraph: no keys at all
    for bands in (neardup.BANDS, neardup.SENTENCE_BANDS, 1):
        native = _fastdup.bands_many(sets, bands)
        assert native == neardup._py_bands_many(sets, bands)
        assert {len(k) for k, s in zip(native, sets, strict=True) if s} == {bands}


def test_fingerprints_are_the_python_codes(texts: list[str], monkeypatch) -> None:
    """Whole fingerprints (paragraph and sentence keys, shingles) made in C and by the
    numpy code, which makes every set's keys in one pass and takes the sentences' first."""
    native = neardup.fingerprints(texts)
    monkeypatch.setattr(neardup, "_fastdup", None)
    monkeypatch.setattr(neardup, "_new_shingles", neardup._py_bigrams)
    monkeypatch.setattr(neardup, "_ascii_word_hashes", None)
    reference = neardup.fingerprints(texts)
    assert [fp.bands for fp in native] == [fp.bands for fp in reference]
    assert [fp.shingles for fp in native] == [fp.shingles for fp in reference]
    assert sum(len(fp.bands) > neardup.BANDS for fp in native) > 50  # sentence keys, too


def test_band_keys_refuse_more_bands_than_permutations() -> None:
    with pytest.raises(ValueError, match="more bands"):
        _fastdup.bands_many([frozenset({1, 2})], neardup.BANDS + 1)


def _both(
    stored: list[tuple[tuple[int, ...], int]],
) -> tuple[neardup.BandIndex, neardup.NativeBandIndex]:
    """Both indexes holding items 1, 2, ... with these (band keys, facts mask)."""
    reference, native = neardup.BandIndex(), neardup.NativeBandIndex()
    for item_id, (bands, facts) in enumerate(stored, 1):
        reference.add(item_id, bands, facts)
        native.add(item_id, bands, facts)
    reference.merge()  # the numpy index's answer is that of its sorted arrays
    return reference, native


def test_candidates_match_the_numpy_index(texts: list[str]) -> None:
    fps = neardup.fingerprints(texts)
    stored, asked = fps[: len(fps) * 2 // 3], fps[len(fps) // 3 :]
    reference, native = _both([(fp.bands, fp.facts) for fp in stored])
    queries = [(fp.bands, fp.facts) for fp in asked]
    expected = reference.candidates_many(queries)
    assert native.candidates_many(queries) == expected
    # The storing process asks with the keys packed, as they come from the crawl process.
    packed = [(neardup.pack_bands(bands), facts) for bands, facts in queries]
    assert native.candidates_many(packed) == expected
    assert sum(map(len, expected)) > len(queries) // 2  # the stored third found itself, at least
    assert native.seen == len(stored)


def test_candidates_rank_as_the_numpy_index_at_every_limit() -> None:
    """Many items sharing a few of many keys, ties in hits and all: the best ``limit``
    by hits then id, as the numpy index ranks them, for limits from none to all."""
    rng = random.Random(7)
    keys = list(range(1, 301))  # a key held by some five items: under the stock
    stored = [
        (tuple(rng.sample(keys, rng.randint(2, 12))), rng.choice((0, 0b01, 0b10, 0b11)))
        for _ in range(300)
    ]
    reference, native = _both(stored)
    queries = [
        (tuple(rng.sample(keys, rng.randint(1, 120))), rng.choice((0, 0b01, 0b11)))
        for _ in range(60)
    ]
    for limit in (0, 1, 2, 5, 17, 1000):
        expected = reference.candidates_many(queries, limit)
        assert native.candidates_many(queries, limit) == expected, limit
    assert max(len(found) for found in expected) > 5  # some queries have many candidates


def test_a_stock_key_yields_nothing_and_facts_filter() -> None:
    index = neardup.NativeBandIndex()
    stock = (11, 22, 33)
    for item_id in range(1, neardup.MAX_POSTINGS + 2):  # one item too many share the keys
        index.add(item_id, stock, 0)
    assert index.candidates_many([(stock, 0)]) == [[]]
    index.add(50, (7, 8, 9), 0b0110)
    index.add(51, (7, 8), 0b0001)  # neither within nor around 0b0110: another day
    index.add(52, (8, 9), 0b0010)  # within it: a split part
    assert index.candidates_many([((7, 8, 9), 0b0110)]) == [[50, 52]]
    assert index.candidates_many([((7, 8, 9), 0b0110)], limit=1) == [[50]]


def test_a_key_keeps_its_items_up_to_the_stock_and_then_none() -> None:
    """The first items of a key sit in its slot, the rest in a chain: all are found
    until one item too many makes the key stock, and then none is kept."""
    index = neardup.NativeBandIndex()
    shared = (101, 202)
    for item_id in range(1, neardup.MAX_POSTINGS + 1):  # as many as a lookup still takes
        index.add(item_id, shared, 0)
    everyone = list(range(1, neardup.MAX_POSTINGS + 1))
    assert index.candidates_many([(shared, 0)], limit=len(everyone)) == [everyone]
    assert index._keys.postings == 2 * neardup.MAX_POSTINGS
    index.add(99, (101, 303, 404), 0)  # 101 becomes stock; 202 still has its items
    assert index._keys.postings == neardup.MAX_POSTINGS + 2
    assert index.candidates_many([((101, 202, 303), 0)]) == [[]]  # one shared key each
    index.add(100, (202, 303, 404), 0)  # 202 becomes stock too
    assert index.candidates_many([((202, 303, 404), 0)]) == [[99, 100]]  # by 303 and 404


def test_a_lookup_beyond_the_stock_is_refused() -> None:
    """An index that dropped a stock key's items cannot answer for a larger bound."""
    index = _fastdup.KeyIndex(3)
    index.add(1, neardup.pack_bands((1, 2)), 0)
    with pytest.raises(ValueError, match="stock"):
        index.candidates([((1, 2), 0)], 10, 2, 4)
    assert index.candidates([((1, 2), 0)], 10, 2, 3) == [[1]]
    with pytest.raises(ValueError, match="stock"):
        _fastdup.KeyIndex(0)


def test_a_key_twice_counts_once() -> None:
    index = neardup.NativeBandIndex()
    index.add(1, (5, 5, 6), 0)
    assert index.candidates_many([((5, 5), 0)]) == [[]]  # one distinct shared key: < MIN_HITS
    assert index.candidates_many([((5, 6, 6), 0)]) == [[1]]


def test_item_ids_out_of_range_are_refused() -> None:
    index = neardup.NativeBandIndex()
    with pytest.raises(OverflowError):
        index.add(2**32, (1, 2), 0)
    with pytest.raises(OverflowError):
        index.add(-1, (1, 2), 0)


def test_the_crawl_processes_import_no_numpy(tmp_path: Path) -> None:
    """With the C module built, opening the database, fingerprinting and storing need
    no numpy (it cost each process 0.1 s to import); sqlite-utils works without it."""
    probe = f"""
import sys
import storage, spiders.worker
from storage import neardup
db = storage.open_db({str(tmp_path / "n.db")!r})
text = "On 3 May, IS attacked Sirte."
storage.ingest(db, storage.Article("s", "http://a/1", "t", [storage.Paragraph(text)]))
db["notes"].insert({{"n": 1}})
print(neardup.fingerprint(text).bands[:1] != ())
print("numpy" in sys.modules, db["notes"].count, db["items"].count)
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("WIREWATCH_PURE_PYTHON", None)
    run = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert run.stdout.split() == ["True", "False", "1", "1"], run.stderr[-2000:]


def test_the_minhash_constants_are_the_numpy_ones() -> None:
    """Derived without numpy now; the values the stored band keys were made with."""
    import hashlib

    import numpy as np

    def with_numpy(label: bytes, count: int) -> list[int]:
        digests = (hashlib.sha256(label + i.to_bytes(4, "big")).digest() for i in range(count))
        words = b"".join(digests)[: count * 8]
        return [int(v) for v in np.frombuffer(words, ">u8").astype(np.uint64) | np.uint64(1)]

    assert list(neardup._A) == with_numpy(b"wirewatch-minhash-a", neardup.PERMUTATIONS)
    assert list(neardup._B) == with_numpy(b"wirewatch-minhash-b", neardup.PERMUTATIONS)
    assert list(neardup._BAND_MIX) == with_numpy(b"wirewatch-band-mix", neardup.ROWS)
    offsets = np.arange(neardup.BANDS, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    assert list(neardup._BAND_OFFSETS) == [int(v) for v in offsets]


def test_the_python_fallback_passes_the_near_duplicate_tests() -> None:
    """With no compiler at install the numpy code does the work: it must still be right."""
    env = {**os.environ, "WIREWATCH_PURE_PYTHON": "1", "PYTHONPATH": str(ROOT)}
    env.pop("WIREWATCH_REQUIRE_NATIVE", None)
    probe = "from storage import neardup; print(neardup._fastdup)"
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.stdout.strip() == "None", out.stderr
    tests = ["tests/test_neardup_rule.py", "tests/test_neardup_labelled.py"]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:]


def test_a_fingerprint_crosses_processes_with_its_keys_packed(texts: list[str]) -> None:
    """Unpickled, a fingerprint holds its band keys packed, the same keys as before,
    and packs them for the index and the table without unpacking them first."""
    import pickle

    for fp in neardup.fingerprints(texts[:20]):
        copy = pickle.loads(pickle.dumps(fp))
        assert copy._bands is None  # nothing unpacked on arrival
        assert copy.packed == neardup.pack_bands(fp.bands)
        assert copy._bands is None  # nor to be packed again
        assert copy.bands == fp.bands and copy.shingles == fp.shingles
