"""The cost that watchlist matching and alert routing add to ingest, per article.

Ingests the same synthetic articles twice into fresh database files: once plainly
(the baseline, in the same script), once through :class:`alerts.Router` built
from the packaged default watchlist (72 watches, ~375 names) with three
subscribers of two notify URLs each, and with real place names sprinkled into a
third of the paragraphs so that matches, mentions and outbox rows are written.
Prints ms per article for both, the difference, and the rows written.

Usage: python bench/alerting.py [--articles 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import make_articles

from alerts import Router
from storage import Paragraph, ingest, open_db
from wirewatch.config import DEFAULT_CONFIG, load_config

SUBSCRIBERS = """
[[subscriber]]
name = "east"
notify = ["json://127.0.0.1:9/east", "mailto://127.0.0.1:9?to=e@example.org&from=w@example.org"]
watch = ["derna", "benghazi", "isis"]

[[subscriber]]
name = "everything"
notify = ["json://127.0.0.1:9/all", "json://127.0.0.1:9/all2"]
watch = ["*"]

[[subscriber]]
name = "digest"
notify = ["json://127.0.0.1:9/d", "json://127.0.0.1:9/d2"]
watch = ["sirte", "misrata"]
digest = "daily 07:00"
"""
NAMES = ["Derna", "Sirte", "the LNA", "Islamic State", "Misrata", "Benghazi", "Ubari", "IS"]


def with_names(articles, seed: int = 2):
    """Put a watched name into about a third of the paragraphs."""
    rng = random.Random(seed)
    out = []
    for article in articles:
        paragraphs = [
            Paragraph(f"{p.text} Near {rng.choice(NAMES)}.", p.section)
            if rng.random() < 0.33
            else p
            for p in article.paragraphs
        ]
        out.append(replace(article, paragraphs=paragraphs))
    return out


def run(articles, router_config, workdir: Path, label: str) -> tuple[float, dict]:
    path = workdir / f"{label}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_db(path)
    router = Router(router_config) if router_config else None
    started = time.perf_counter()
    for article in articles:
        ingest(db, article, on_new_item=router)
    elapsed = time.perf_counter() - started
    counts = {
        t: db.execute(f"select count(*) from {t}").fetchone()[0]
        for t in ("items", "mentions", "outbox")
    }
    db.close()
    return elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    articles = with_names(make_articles(args.articles))
    with tempfile.TemporaryDirectory() as tmp:
        config_path = Path(tmp) / "bench.toml"
        text = DEFAULT_CONFIG.read_text(encoding="utf-8") + SUBSCRIBERS
        config_path.write_text(
            text.replace("[crawl]", f'[storage]\ndatabase = "{tmp}/x.db"\n\n[crawl]')
        )
        config = load_config(config_path)
        plain, routed, counts = [], [], {}
        for _ in range(args.runs):
            plain.append(run(articles, None, Path(tmp), "plain")[0])
            seconds, counts = run(articles, config, Path(tmp), "routed")
            routed.append(seconds)
    base = statistics.median(plain) / args.articles * 1000
    ours = statistics.median(routed) / args.articles * 1000
    print(f"{args.articles} articles, {len(config.watches)} watches, medians of {args.runs}:")
    print(f"  ingest alone                    {base:6.3f} ms/article")
    print(f"  ingest + match + route          {ours:6.3f} ms/article")
    print(f"  added by matching and routing   {ours - base:6.3f} ms/article ({ours / base:.2f}x)")
    print(
        f"  rows: {counts['items']} items, {counts['mentions']} mentions, "
        f"{counts['outbox']} outbox rows"
    )


if __name__ == "__main__":
    main()
