"""Near-duplicate detection: precision and recall, speed as the store grows, and its cost.

Prints figures only (no assertions); targets: precision >= 0.99, recall >= 0.95, at
least 2,000 items/s through the index, flat from 1k to 100k stored items.

Accuracy
    ``is_near_duplicate`` over the labelled set (``tests/data/neardup/pairs.py``; a joined
    copy is judged by ``find_duplicate`` with its parts stored), then the indexed path
    (originals ingested as one article, copies as another, clusters read back) over the
    labelled set and over pairs derived from the fixture sites: a republished paragraph
    and the origin paragraph it came from are a positive; two paragraphs of one origin
    update written in one formula (``formula_pairs``) are a negative, and so is a copy of
    one of them against the other.
Speed
    N synthetic distinct paragraphs (40-60 words: dates, numbers, places, actors, and a
    varied vocabulary), a tenth of them followed by an edited copy of an earlier one.
    *Index*: ``fingerprint`` + ``find_duplicate`` + an items row + ``index_item``, one
    transaction per 100 items on a file database; *hash only*, the baseline: the same items
    rows with only the exact-hash lookup. *Ingest*: ``storage.ingest`` of 10-paragraph
    articles, against the same ingest with the near-duplicate calls stubbed out. Each
    rate is timed over a window of ``--window`` items once the store holds 1k, 10k, 50k
    and 100k items; the planted copies give recall at scale, and any distinct paragraph
    merged into another is a false merge.
Cost
    Database bytes per item by table (``dbstat``), the index's against the baseline's, and
    the growth of this process's resident memory.

Usage: python bench/neardup.py [--items 100000] [--window 2000] [--fixture-seeds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage import Article, Paragraph, content_hash, ingest, open_db  # noqa: E402
from storage.neardup import (  # noqa: E402
    find_duplicate,
    fingerprint,
    index_item,
    is_near_duplicate,
    use_gazetteer,
)
from tests.data.neardup.pairs import NEGATIVES, POSITIVES, Pair  # noqa: E402
from tests.fixturesite import make_sites  # noqa: E402
from wirewatch.config import DEFAULT_CONFIG, load_config  # noqa: E402

NOW = "2026-11-21T12:00:00+00:00"
BATCH = 100  # items per transaction on the index path
COPY_EVERY = 10  # one planted near-duplicate after every 10 distinct paragraphs
CHECKPOINTS = (1_000, 10_000, 50_000, 100_000)


# --- Accuracy ------------------------------------------------------------------------------


@dataclass
class Score:
    """Counts of one classifier's verdicts on labelled pairs."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    missed: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)

    def add(self, label: bool, verdict: bool, what: str) -> None:
        if label and verdict:
            self.tp += 1
        elif label:
            self.fn += 1
            self.missed.append(what)
        elif verdict:
            self.fp += 1
            self.merged.append(what)
        else:
            self.tn += 1

    def line(self, name: str) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")
        return (
            f"  {name:44} precision {precision:6.3f}  recall {recall:6.3f}"
            f"  (pos {self.tp + self.fn}: {self.fn} missed; neg {self.fp + self.tn}:"
            f" {self.fp} merged)"
        )

    def show(self, name: str, limit: int = 12) -> None:
        print(self.line(name))
        for line in self.details(limit):
            print(line)

    def details(self, limit: int = 12) -> Iterator[str]:
        for title, notes in (("missed", self.missed), ("merged", self.merged)):
            for note in notes[:limit]:
                yield f"      {title}: {note}"
            if len(notes) > limit:
                yield f"      ... and {len(notes) - limit} more {title}"


def _originals(pair: Pair) -> tuple[str, ...]:
    return tuple(pair.parts) or (pair.original,)


def _article(source: str, url: str, texts: Iterable[str], published: Any = None) -> Article:
    return Article(
        source=source,
        url=url,
        title=None,
        paragraphs=[Paragraph(t) for t in texts],
        published=published,
    )


def labelled_pairwise() -> tuple[Score, float]:
    """Score ``is_near_duplicate`` (joined copies: the index with the parts stored)."""
    score = Score()
    calls, spent = 0, 0.0
    for pair in POSITIVES + NEGATIVES:
        label = pair in POSITIVES
        if pair.kind == "joined":
            db = open_db(":memory:")
            ids = set(ingest(db, _article("o", "https://o.example/", pair.parts)).new_item_ids)
            verdict = find_duplicate(db, fingerprint(pair.copy)) in ids
            db.close()
        else:
            start = time.perf_counter()
            verdict = is_near_duplicate(pair.copy, pair.original)
            spent += time.perf_counter() - start
            calls += 1
        score.add(label, verdict, f"[{pair.kind}] {pair.note}")
    return score, spent / calls


def _clusters(db: Any) -> dict[str, tuple[int, int]]:
    """``{hash: (item id, cluster)}`` for every item."""
    return {h: (i, c) for i, h, c in db.execute("SELECT id, hash, cluster FROM items")}


def labelled_indexed(folder: Path) -> Score:
    """Score the indexed path: originals as one article, copies as another, clusters read back."""
    db = open_db(folder / "labelled.db")
    pairs = POSITIVES + NEGATIVES
    originals = [t for p in pairs for t in _originals(p)]
    ingest(db, _article("origin", "https://origin.example/u/", originals), now=NOW)
    ingest(db, _article("copy", "https://copy.example/?p=1", [p.copy for p in pairs]), now=NOW)
    clusters = _clusters(db)
    db.close()
    score = Score()
    for pair in pairs:
        copy = clusters[content_hash(pair.copy)][1]
        verdict = copy in {clusters[content_hash(t)][1] for t in _originals(pair)}
        score.add(pair in POSITIVES, verdict, f"[{pair.kind}] {pair.note}")
    return score


@dataclass
class FixtureScores:
    pairwise: Score
    indexed: Score
    indexed_edited: Score  # positives that differ after normalisation only
    misses: Counter[str]  # indexed misses by kind: split piece or not, left alone or merged
    origin_merges: list[tuple[str, str]]  # two of A's paragraphs (distinct by construction)
    stray_merges: list[tuple[str, str]]  # a copy merged into an item outside its origin cluster
    items: int


def fixture_scores(folder: Path, seed: int) -> FixtureScores:
    """Ingest site A's updates, then B's and C's copies; score against the content model."""
    sites = make_sites(seed)
    origin = {p.id: p for p in sites.a.posts}
    db = open_db(folder / f"fixture-{seed}.db")
    for site in sites:
        for post in sorted(site.posts, key=lambda p: p.date):
            url = f"https://{site.name}.example/{post.id}/"
            ingest(db, _article(site.name, url, post.paragraph_texts(), post.date), now=NOW)
    clusters = _clusters(db)
    texts = dict(db.execute("SELECT id, text FROM items"))
    dup_rows = db.execute("SELECT id, dup_of FROM items WHERE dup_of IS NOT NULL").fetchall()
    db.close()

    def cluster(text: str) -> int:
        return clusters[content_hash(text)][1]

    def item(text: str) -> int:
        return clusters[content_hash(text)][0]

    pairwise, indexed, edited = Score(), Score(), Score()
    merged_ids = {i for i, _ in dup_rows}
    misses: Counter[str] = Counter()
    a_items: set[int] = set()
    for post in sites.a.posts:
        paras = post.paragraph_texts()
        a_items.update(item(t) for t in paras)
        for i, j in post.formula_pairs:
            what = f"A {post.id} formula pair {i}/{j}"
            pairwise.add(False, is_near_duplicate(paras[j], paras[i]), what)
            indexed.add(False, cluster(paras[i]) == cluster(paras[j]), what)
    explained: set[int] = set()
    labelled: set[int] = set()
    for site in (sites.b, sites.c):
        for post in site.posts:
            if not post.origin:
                continue
            source = origin[post.origin[0]].paragraph_texts()
            formula = origin[post.origin[0]].formula_pairs
            twins = dict(formula) | {j: i for i, j in formula}
            for k, (text, para) in enumerate(
                zip(post.paragraph_texts(), post.origin[1], strict=True)
            ):
                if para.origin_index is None:
                    continue
                original = source[para.origin_index]
                what = f"{site.name} {post.id} #{k} <- {para.origin_index} {para.edits}"
                found = cluster(text) == cluster(original)
                pairwise.add(True, is_near_duplicate(text, original), what)
                indexed.add(True, found, what)
                if not para.same_after_normalisation:
                    edited.add(True, found, what)
                labelled.add(item(text))
                if found:
                    explained.add(item(text))
                else:
                    piece = "split piece" if "split" in para.edits else "whole paragraph"
                    fate = "merged elsewhere" if item(text) in merged_ids else "left alone"
                    misses[f"{piece}, {fate}"] += 1
                    if os.environ.get("NEARDUP_SHOW_MISSES"):
                        print(f"    MISS {fate}: {text[:100]!r}\n      of {original[:100]!r}")
                if para.origin_index in twins:
                    twin = source[twins[para.origin_index]]
                    what = f"{site.name} {post.id} #{k} vs formula twin of its origin"
                    pairwise.add(False, is_near_duplicate(text, twin), what)
                    indexed.add(False, cluster(text) == cluster(twin), what)
    origin_merges = [(texts[i], texts[d]) for i, d in dup_rows if i in a_items and d in a_items]
    stray = [(texts[i], texts[d]) for i, d in dup_rows if i in labelled - explained]
    return FixtureScores(pairwise, indexed, edited, misses, origin_merges, stray, len(clusters))


# --- Synthetic paragraphs ------------------------------------------------------------------

MONTHS = "January February March April May June July August September October November December"
PLACES = (
    "Sirte Derna Benghazi Misrata Ubari Sebha Sabratha Ajdabiya Kufra Brega Zliten Tobruk Ghat"
    " Murzuq Hun Waddan Jufra Zawiya Gharyan Tarhuna Zuwara Khoms Tajoura Garabulli Zintan"
    " Nalut Yefren Jadu Mizda Shwayrif Brak Traghen Qatrun Awjila Jalu Tazirbu Marada Harawa"
    " Nawfaliya Ganfouda Qawarsha Hawari Bosnaib Sabri Karsa Tokra Shahat Susa Qubba Bayda Marj"
).split()
ACTORS = (
    "the LNA|the GNA|IS|the BRSC|the DMSC|al-Bunyan al-Marsus|the Rada force|the coast guard"
    "|the Petroleum Facilities Guard|the Benghazi Defence Brigades|Tebu fighters|Tuareg militias"
    "|the Presidential Council|the House of Representatives|UNSMIL|AFRICOM|the 155th Battalion"
    "|the Saiqa special forces|the Zintan brigades|the Misratan Third Force|local elders"
).split("|")
SENTENCES = [
    "On {dm}, {actor} said its forces had struck {n} positions {km}km {dir} of {place}.",
    "On {dm}, {actor} reported clashes with {actor2} near {place}, saying {num} fighters had"
    " been wounded.",
    "On {dm}, a car bomb exploded near a checkpoint in {place}, killing {num} people.",
    "On {dm}, {actor} claimed an attack on a convoy travelling between {place} and {place2}.",
    "On {dm}, gunmen kidnapped {n} workers on the road from {place} to {place2}.",
    "On {dm}, the coast guard intercepted {big} migrants off {place}.",
    "On {dm}, {actor} announced that it would pay the salaries of {n} brigades from {place}.",
    "On {dm}, an airstrike hit a farm {km}km {dir} of {place} used by {actor2} as a depot.",
    "On {dm}, protesters in {place} blocked the main road for the {ordinal} day.",
    "On {dm}, {actor} took control of the airport in {place} after {n} days of fighting.",
    "Last week, {actor} and {actor2} exchanged artillery fire on the outskirts of {place}.",
    "Residents of {place} said {big} families had fled towards {place2} since {month}.",
]
FOLLOW_UPS = [
    "A spokesman for {actor} said {num} of the dead were foreign fighters.",
    "It was the {ordinal} such incident near {place} since {month}.",
    "Officials in {place2} said they had not been consulted.",
    "Hospitals in {place} received {num} wounded over the following days.",
    "The claim could not be independently verified.",
    "Residents said the road to {place2} remained closed.",
]
NUMBER_WORDS = "two three four five six seven eight nine".split()
ORDINALS = "second third fourth fifth sixth seventh".split()
DIRECTIONS = "north south east west north-east south-west".split()


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    syllables = "ba ra ta ka la ma na sa da fa ha ja wa za qa bi ri ti ki li mi ni si di ou el"
    parts = syllables.split()
    common = (
        "the of and to in a that for on with as was by said were from which had after since"
        " their its near forces fighters town road city local group attack security officials"
        " reported according council militia oil salaries district week area control"
    ).split()
    made = {"".join(rng.choices(parts, k=rng.randint(2, 4))) for _ in range(size)}
    return common * 4 + sorted(made)


class ParagraphMaker:
    """Distinct synthetic update paragraphs of 40-60 words, and edited copies of them."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.vocab = _vocabulary(self.rng)
        self.seen: set[str] = set()

    def _slots(self) -> dict[str, str]:
        rng = self.rng
        place, place2 = rng.sample(PLACES, 2)
        actor, actor2 = rng.sample(ACTORS, 2)
        return {
            "dm": f"{rng.randint(1, 28)} {rng.choice(MONTHS.split())}",
            "month": rng.choice(MONTHS.split()),
            "actor": actor,
            "actor2": actor2,
            "place": place,
            "place2": place2,
            "n": rng.choice(NUMBER_WORDS),
            "num": str(rng.randint(2, 60)),
            "big": str(rng.randint(20, 900)),
            "km": str(rng.randrange(5, 120, 5)),
            "dir": rng.choice(DIRECTIONS),
            "ordinal": rng.choice(ORDINALS),
        }

    def paragraph(self) -> str:
        rng = self.rng
        while True:
            slots = self._slots()
            text = rng.choice(SENTENCES).format(**slots)
            text += " " + rng.choice(FOLLOW_UPS).format(**slots)
            words = len(text.split())
            target = rng.randint(40, 60)
            if words < target:
                clause = " ".join(rng.choices(self.vocab, k=target - words))
                text += f" {clause[0].upper()}{clause[1:]}."
            text = text[0].upper() + text[1:]
            if text not in self.seen:
                self.seen.add(text)
                return text

    def copy_of(self, text: str) -> str:
        """An edited republication: two or three of the edits republishers make."""
        rng = self.rng
        edits: list[Callable[[str], str]] = [
            lambda t: re.sub(r"\bIS\b", "ISIS", t),
            lambda t: re.sub(r"\b(\d+)km\b", r"\1 km", t),
            lambda t: t.replace("Defence", "Defense").replace("Misrata", "Misurata"),
            lambda t: t.replace(" as a depot", " as depot").replace(" had been ", " were "),
            lambda t: t.replace("Derna", "Darnah").replace("Sirte", "Surt"),
            lambda t: t[:-1] + ", according to local sources.",
            lambda t: t.replace(" ", "\u00a0", 1).replace("’", "'"),
        ]
        copy = text
        for edit in rng.sample(edits, rng.randint(2, 3)):
            copy = edit(copy)
        if content_hash(copy) == content_hash(text):
            copy = text[:-1] + ", local media reported."
        return copy


@dataclass
class Step:
    """A run of the plan: growth (untimed, no lookups) or a timed window at a checkpoint."""

    entries: list[tuple[str, str | None]]
    timed_at: int | None = None  # items stored when the window starts


def make_plan(items: int, window: int, seed: int = 7) -> list[Step]:
    """Grow to each checkpoint with distinct paragraphs, then time a window there.

    A window is ``window`` paragraphs, one in :data:`COPY_EVERY` + 1 an edited copy of
    a paragraph stored earlier (the planted near-duplicates).
    """
    maker = ParagraphMaker(seed)
    rng = random.Random(seed + 1)
    points = sorted({c for c in CHECKPOINTS if c <= items} | {items})
    plan: list[Step] = []
    stored: list[str] = []
    for point in points:
        if point > len(stored):
            fresh = [maker.paragraph() for _ in range(point - len(stored))]
            stored += fresh
            plan.append(Step([(t, None) for t in fresh]))
        at = len(stored)
        entries: list[tuple[str, str | None]] = []
        for k in range(window):
            if k % (COPY_EVERY + 1) == COPY_EVERY:
                source = rng.choice(stored[:at])
                entries.append((maker.copy_of(source), source))
            else:
                entries.append((maker.paragraph(), None))
        stored += [t for t, _ in entries]
        plan.append(Step(entries, at))
    return plan


# --- Speed ---------------------------------------------------------------------------------


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


@dataclass
class Run:
    """One growing store: the rate at each checkpoint, and accuracy in the timed windows."""

    name: str
    rates: dict[int, float] = field(default_factory=dict)
    rss: dict[int, int] = field(default_factory=dict)
    copies: int = 0
    copies_found: int = 0
    false_merges: list[tuple[str, str]] = field(default_factory=list)
    timed_items: int = 0
    timed_seconds: float = 0.0

    def score(self, db: Any, plan: list[Step]) -> None:
        """Planted copies found, and distinct paragraphs merged, in the timed windows."""
        clusters = dict(db.execute("SELECT hash, cluster FROM items"))
        distinct = set()
        for step in plan:
            for text, source in step.entries if step.timed_at is not None else ():
                if source is None:
                    distinct.add(content_hash(text))
                    continue
                self.copies += 1
                self.copies_found += clusters[content_hash(text)] == clusters[content_hash(source)]
        self.false_merges = [
            (text, old)
            for digest, text, old in db.execute(
                "SELECT i.hash, i.text, d.text FROM items i JOIN items d ON d.id = i.dup_of"
            )
            if digest in distinct
        ]


def _prepare_items_db(path: Path) -> Any:
    db = open_db(path)
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO articles (id, source, url, content_hash, version, first_seen, last_seen,"
        " last_changed) VALUES (1, 'bench', 'https://bench.example/', 'h', 1, ?, ?, ?)",
        (NOW, NOW, NOW),
    )
    conn.execute(
        "INSERT INTO versions (id, article_id, version, content_hash, fetched_at, paragraphs)"
        " VALUES (1, 1, 1, 'h', ?, 0)",
        (NOW,),
    )
    conn.execute("COMMIT")
    return db


_ITEM_SQL = (
    "INSERT INTO items (id, hash, text, event_date, first_article_id, first_version_id,"
    " first_seen, cluster, dup_of) VALUES (?, ?, ?, NULL, 1, 1, ?, ?, ?)"
)


def _warm_up(db: Any, step: Step) -> None:
    """Before a timed window: one untimed lookup, so the index has read what growth stored.

    Growth stores without looking up; in a daemon lookups keep the index current as
    items arrive, and a fresh process's first lookup is timed apart (:func:`cold_start`).
    """
    if step.timed_at is not None:
        find_duplicate(db, fingerprint("On 1 January, nothing happened near Nowhere."))


def _timed(run: Run, step: Step, started: float) -> None:
    if step.timed_at is not None:
        seconds = time.perf_counter() - started
        run.rates[step.timed_at] = len(step.entries) / seconds
        run.rss[step.timed_at] = rss_bytes()
        run.timed_items += len(step.entries)
        run.timed_seconds += seconds


def run_items(plan: list[Step], path: Path, *, index: bool) -> Run:
    """Store the plan's paragraphs as items rows, with the index (or the exact hash only).

    Timed windows do the whole job per item; growth skips ``find_duplicate``.
    """
    db = _prepare_items_db(path)
    conn = db.conn
    run = Run("index" if index else "hash only")
    next_id = 1
    for step in plan:
        lookup = step.timed_at is not None
        if index:
            _warm_up(conn, step)
        started = time.perf_counter()
        for first in range(0, len(step.entries), BATCH):
            conn.execute("BEGIN IMMEDIATE")
            for text, _ in step.entries[first : first + BATCH]:
                digest = content_hash(text)
                if conn.execute("SELECT 1 FROM items WHERE hash = ?", (digest,)).fetchone():
                    continue  # the same item again: nothing to store
                fp = fingerprint(text) if index else None
                dup = find_duplicate(conn, fp) if fp is not None and lookup else None
                cluster = next_id
                if dup is not None:
                    cluster = conn.execute("SELECT cluster FROM items WHERE id = ?", (dup,))
                    cluster = cluster.fetchone()[0]
                conn.execute(_ITEM_SQL, (next_id, digest, text, NOW, cluster, dup))
                if fp is not None:
                    index_item(conn, next_id, fp)
                next_id += 1
            conn.execute("COMMIT")
        _timed(run, step, started)
    run.score(db, plan)
    db.close()
    return run


class _NoNearDup:
    """Stands in for ``storage.neardup`` inside ingest: the baseline without its work.

    Fingerprints are None, lookups find nothing, indexing does nothing; any other name
    is the real module's.
    """

    def __getattr__(self, name: str) -> Any:
        if name.startswith("fingerprints"):
            return lambda texts: [None] * len(texts)
        if name.startswith("find_duplicates"):
            return lambda conn, fps, *rest: [None] * len(fps)
        if name.startswith(("fingerprint", "find_duplicate", "index_item")):
            return lambda *args: None
        return getattr(importlib.import_module("storage.neardup"), name)


def _no_lookups() -> contextlib.ExitStack:
    """Growth between windows: store and index, but look nothing up (untimed)."""
    stack = contextlib.ExitStack()
    module = importlib.import_module("storage.neardup")
    stack.enter_context(patched("storage.neardup", "find_duplicate", lambda conn, fp: None))
    if hasattr(module, "find_duplicates"):
        nothing = lambda conn, fps, *rest: [None] * len(fps)  # noqa: E731
        stack.enter_context(patched("storage.neardup", "find_duplicates", nothing))
    return stack


@contextmanager
def patched(module_name: str, name: str, value: Any) -> Iterator[None]:
    """Replace ``module.name`` for the duration (the bench's own stand-ins, never saved)."""
    module = importlib.import_module(module_name)
    real = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, real)


def run_ingest(plan: list[Step], path: Path, *, neardup: bool) -> Run:
    """Ingest the plan as 10-paragraph articles; growth with no lookups, as in run_items."""
    db = open_db(path)
    run = Run("ingest" if neardup else "ingest w/o neardup")
    per_article = 10
    n = 0
    for step in plan:
        with contextlib.nullcontext() if step.timed_at is not None else _no_lookups():
            if neardup:
                _warm_up(db, step)
            started = time.perf_counter()
            for first in range(0, len(step.entries), per_article):
                texts = [t for t, _ in step.entries[first : first + per_article]]
                ingest(db, _article(f"site{n % 3}", f"https://bench.example/{n}/", texts), now=NOW)
                n += 1
            _timed(run, step, started)
    run.score(db, plan)
    db.close()
    return run


_COLD = """
import json, sys, time
from storage import open_db
from storage.neardup import find_duplicate, fingerprint
db = open_db(sys.argv[1])
texts = json.load(sys.stdin)
start = time.perf_counter()
find_duplicate(db, fingerprint(texts[0]))
first = time.perf_counter() - start
start = time.perf_counter()
for text in texts[1:]:
    find_duplicate(db, fingerprint(text))
print(first, (time.perf_counter() - start) / max(1, len(texts) - 1))
"""


def cold_start(path: Path, texts: list[str]) -> tuple[float, float]:
    """A fresh process (a crawl child): seconds for its first lookup, then per lookup."""
    done = subprocess.run(
        [sys.executable, "-c", _COLD, str(path)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode:
        print(f"  (the fresh process failed: {done.stderr.strip().splitlines()[-1:]})")
        return float("nan"), float("nan")
    first, then = done.stdout.split()
    return float(first), float(then)


def table_bytes(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
    except sqlite3.OperationalError:
        return {}
    finally:
        conn.close()


def checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


# --- Output --------------------------------------------------------------------------------


def print_rates(runs: list[Run]) -> None:
    sizes = sorted({s for r in runs for s in r.rates})
    header = "  stored items" + "".join(f"{r.name:>20}" for r in runs)
    print(header)
    for size in sizes:
        cells = "".join(
            f"{r.rates[size]:>14,.0f} it/s" if size in r.rates else f"{'-':>20}" for r in runs
        )
        print(f"  {size:>12,}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="store size to grow to")
    parser.add_argument("--window", type=int, default=2_000, help="items timed per checkpoint")
    parser.add_argument("--fixture-seeds", type=int, default=3, help="fixture site seeds")
    args = parser.parse_args()
    # As a crawl on the default config has it: the watchlist is the names' gazetteer.
    watches = load_config(DEFAULT_CONFIG).watches
    use_gazetteer({w.id: [*w.names, *w.acronyms] for w in watches})

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"Gazetteer: the default watchlist's {len(watches)} watches")
        print(f"Labelled set: {len(POSITIVES)} positives, {len(NEGATIVES)} negatives")
        pairwise, per_call = labelled_pairwise()
        pairwise.show("is_near_duplicate")
        print(f"      {per_call * 1e6:.0f} us per is_near_duplicate call")
        indexed = labelled_indexed(folder)
        indexed.show("indexed path (ingest)")

        print(f"Fixture sites (seeds 1-{args.fixture_seeds}): A's updates, B's and C's copies")
        for seed in range(1, args.fixture_seeds + 1):
            f = fixture_scores(folder, seed)
            print(f" seed {seed}: {f.items} items")
            f.pairwise.show("is_near_duplicate", 6)
            f.indexed.show("indexed path (ingest)", 6)
            print(f.indexed_edited.line("indexed, edited copies only"))
            kinds = ", ".join(f"{n} {kind}" for kind, n in f.misses.most_common())
            print(f"  indexed misses: {kinds or 'none'}")
            print(f"  origin paragraphs merged with each other: {len(f.origin_merges)}")
            for new, old in f.origin_merges[:3]:
                print(f"      {new[:90]!r}\n        -> {old[:90]!r}")
            print(f"  copies merged with something not their origin: {len(f.stray_merges)}")
            for new, old in f.stray_merges[:3]:
                print(f"      {new[:90]!r}\n        -> {old[:90]!r}")

        print(
            f"Speed: grow to {args.items:,} distinct synthetic paragraphs; at each checkpoint,"
            f" time {args.window:,} items"
        )
        print(f"       (1 in {COPY_EVERY + 1} of them an edited copy of a stored one)")
        start = time.perf_counter()
        plan = make_plan(args.items, args.window)
        texts = [t for step in plan for t, _ in step.entries]
        words = sum(len(t.split()) for t in texts) / len(texts)
        print(f"  generated in {time.perf_counter() - start:.1f} s, {words:.0f} words each")
        rss0 = rss_bytes()
        index_db, hash_db = folder / "index.db", folder / "hash.db"
        index_run = run_items(plan, index_db, index=True)
        hash_run = run_items(plan, hash_db, index=False)
        ingest_run = run_ingest(plan, folder / "ingest.db", neardup=True)
        with patched("storage.ingest", "neardup", _NoNearDup()):
            plain_run = run_ingest(plan, folder / "plain.db", neardup=False)
        runs = [index_run, hash_run, ingest_run, plain_run]
        print_rates(runs)
        for run in runs:
            rate = run.timed_items / run.timed_seconds
            print(f"  {run.name:18} all windows {rate:9,.0f} items/s")
        ratio_items = index_run.timed_seconds / hash_run.timed_seconds
        ratio_ingest = ingest_run.timed_seconds / plain_run.timed_seconds
        print(
            f"  time ratio: index / hash only {ratio_items:.1f}x;"
            f" ingest / ingest w/o neardup {ratio_ingest:.1f}x"
        )
        for run in (index_run, ingest_run):
            found = run.copies_found / run.copies if run.copies else float("nan")
            print(
                f"  {run.name}: planted copies found {run.copies_found}/{run.copies}"
                f" (recall {found:.3f}); distinct paragraphs merged: {len(run.false_merges)}"
            )
            for new, old in run.false_merges[:3]:
                print(f"      {new[:90]!r}\n        -> {old[:90]!r}")

        first, then = cold_start(index_db, texts[-20:])
        print(
            f"  a fresh process on the {len(texts):,}-item store: first lookup {first:.2f} s,"
            f" then {then * 1e3:.2f} ms per lookup"
        )

        print("Cost per stored item")
        for path in (index_db, hash_db):
            checkpoint(path)
        with_index, without = table_bytes(index_db), table_bytes(hash_db)
        items = len(texts)
        if with_index:
            for name in sorted(with_index, key=lambda n: with_index[n] - without.get(n, 0))[::-1]:
                extra = with_index[name] - without.get(name, 0)
                if abs(extra) >= 4096 * 4:
                    print(
                        f"  {name:32} {with_index[name] / items:8.0f} B/item"
                        f"  ({extra / items:+.0f} B/item against hash only)"
                    )
        else:
            print("  (dbstat not compiled into this SQLite)")
        index_size, hash_size = index_db.stat().st_size, hash_db.stat().st_size
        print(
            f"  database file: {index_size / items:.0f} B/item with the index,"
            f" {hash_size / items:.0f} B/item hash only ({(index_size - hash_size) / items:+.0f})"
        )
        sizes = sorted(index_run.rss)
        if len(sizes) >= 2:
            lo, hi = sizes[1] if len(sizes) > 2 else sizes[0], sizes[-1]
            growth = (index_run.rss[hi] - index_run.rss[lo]) / (hi - lo)
            print(
                f"  process RSS: {rss0 / 2**20:.0f} MiB before the speed runs;"
                f" index run {index_run.rss[lo] / 2**20:.0f} MiB at {lo:,} items,"
                f" {index_run.rss[hi] / 2**20:.0f} MiB at {hi:,} ({growth:+.0f} B/item)"
            )


if __name__ == "__main__":
    main()
