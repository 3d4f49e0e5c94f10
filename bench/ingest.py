"""Ingest throughput: ``storage.ingest`` against bare inserts of the same rows.

Generates synthetic weekly-update articles (10 paragraphs of about 40 words, a
fifth of the paragraphs shared with other articles, half opening with a date),
ingests them into a fresh database file, and prints the median of several runs.
The baseline writes the same article, version, item and occurrence rows with
plain ``executemany`` calls, one transaction per article as ingest has, with no
normalising, hashing, lookups or date parsing: the floor SQLite itself sets.

Usage: python bench/ingest.py [--articles 3000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from storage import Article, Paragraph, content_hash, ingest, open_db, tune_for_bulk_writes
from storage.fts import SEARCH_INDEX_BATCH, index_pending

PARAGRAPHS = 10
WORDS = 40
SHARED_PER_ARTICLE = 2
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]


def make_articles(count: int, seed: int = 1) -> list[Article]:
    """Return ``count`` synthetic articles; shared paragraphs repeat across them."""
    rng = random.Random(seed)
    syllables = ["al", "ba", "der", "na", "mis", "ra", "ta", "sir", "te", "kh", "ub", "ar", "i"]
    vocab = ["".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(3000)]
    shared = [_paragraph(rng, vocab) for _ in range(max(10, count // 5))]
    articles = []
    for n in range(count):
        texts = [_paragraph(rng, vocab) for _ in range(PARAGRAPHS - SHARED_PER_ARTICLE)]
        texts += rng.sample(shared, SHARED_PER_ARTICLE)
        rng.shuffle(texts)
        articles.append(
            Article(
                source=f"site{n % 4}",
                url=f"https://example.org/2016/{n % 12 + 1:02d}/weekly-update-{n}/",
                title=f"Weekly update {n}",
                paragraphs=[Paragraph(t, section=f"Section {i // 3}") for i, t in enumerate(texts)],
                published=date(2016, 1, 1) + timedelta(days=n % 365),
                external_id=f"wp:{n}",
            )
        )
    return articles


def _paragraph(rng: random.Random, vocab: list[str]) -> str:
    words = rng.choices(vocab, k=WORDS)
    if rng.random() < 0.5:
        words[:3] = ["On", str(rng.randint(1, 28)), rng.choice(MONTHS) + ","]
    if rng.random() < 0.3:
        words[5] = words[5].capitalize() + "’s"  # some real-world typography
    return " ".join(words) + "."


Timing = tuple[float, float]  # wall-clock seconds, CPU seconds of this process


def time_ingest(articles: list[Article], folder: Path) -> Timing:
    """Return the time ``ingest`` takes to store all ``articles`` in a new file."""
    db = open_db(folder / "ingest.db")
    tune_for_bulk_writes(db)  # as the crawl's worker has it
    try:
        start, cpu = time.perf_counter(), time.process_time()
        for article in articles:
            ingest(db, article, now="2026-11-21T21:05:03+00:00")
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        db.close()


def baseline_rows(articles: list[Article]) -> list[tuple[tuple, tuple, list, list]]:
    """Return per article the rows ingest would write, computed up front (not timed)."""
    now = "2026-11-21T21:05:03+00:00"
    item_ids: dict[str, int] = {}
    rows = []
    for n, a in enumerate(articles, start=1):
        article_row = (n, a.source, a.url, a.external_id, a.title, a.published.isoformat(),
                       "[]", "[]", "h" * 64, 1, now, now, now)  # fmt: skip
        version_row = (n, n, 1, "h" * 64, a.title, now, len(a.paragraphs))
        items, occurrences = [], []
        for pos, p in enumerate(a.paragraphs):
            h = content_hash(p.text)
            if h not in item_ids:
                item_ids[h] = len(item_ids) + 1
                items.append((item_ids[h], h, p.text, None, n, n, now, item_ids[h]))
            occurrences.append((n, pos, item_ids[h], p.section))
        rows.append((article_row, version_row, items, occurrences))
    return rows


def time_baseline(rows: list[tuple[tuple, tuple, list, list]], folder: Path) -> Timing:
    """Return the seconds plain ``executemany`` inserts of ``rows`` take in a new file.

    The search index is filled in batches of the same size as ingest's.
    """
    db = open_db(folder / "baseline.db")
    tune_for_bulk_writes(db)
    conn = db.conn
    pending = 0
    try:
        start, cpu = time.perf_counter(), time.process_time()
        for article_row, version_row, items, occurrences in rows:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO articles (id, source, url, external_id, title, published, categories,"
                " tags, content_hash, version, first_seen, last_seen, last_changed)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [article_row],
            )
            conn.executemany(
                "INSERT INTO versions (id, article_id, version, content_hash, title, fetched_at,"
                " paragraphs) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [version_row],
            )
            conn.executemany(
                "INSERT INTO items (id, hash, text, event_date, first_article_id,"
                " first_version_id, first_seen, cluster) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                items,
            )
            conn.executemany(
                "INSERT INTO occurrences (version_id, position, item_id, section)"
                " VALUES (?, ?, ?, ?)",
                occurrences,
            )
            pending += len(items)
            if pending >= SEARCH_INDEX_BATCH:
                index_pending(conn)
                pending = 0
            conn.execute("COMMIT")
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000, help="articles per run")
    parser.add_argument("--runs", type=int, default=3, help="runs; the median is printed")
    args = parser.parse_args()
    articles = make_articles(args.articles)
    rows = baseline_rows(articles)
    paragraphs = sum(len(a.paragraphs) for a in articles)
    items = sum(len(r[2]) for r in rows)
    print(f"{args.articles} articles, {paragraphs} paragraphs, {items} distinct items")
    ingest_runs, baseline_runs = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            ingest_runs.append(time_ingest(articles, Path(tmp)))
            baseline_runs.append(time_baseline(rows, Path(tmp)))
    medians = {}
    for label, runs in (("ingest", ingest_runs), ("baseline", baseline_runs)):
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        medians[label] = wall
        per = 1000 / args.articles
        print(
            f"{label:9} {args.articles / wall:8.0f} articles/s  {wall * per:6.3f} ms/article"
            f"  ({cpu * per:.3f} ms CPU)"
        )
    print(f"ratio     {medians['ingest'] / medians['baseline']:8.2f} x the baseline's time")


if __name__ == "__main__":
    main()
