"""Crawl throughput: a full `wirewatch crawl` against a bare Scrapy spider on the same site.

Serves a generated 5,000-article WordPress-like site on loopback (its own process),
warms it with one unmeasured crawl, then alternates the two crawls, each a fresh
process timed from start to exit:
`wirewatch crawl` (discovery, extraction, boilerplate removal, ingest into SQLite,
matching against the default watchlist)
and bench/bare_spider.py (the sitemap and every page it lists, nothing parsed).
Prints pages/s of each (medians), each round's ratio, and the median of those
ratios. Target: wirewatch >= 0.7 x bare.

    python bench/crawl.py [--posts 5000] [--concurrency 8] [--rounds 5]
"""

from __future__ import annotations

import argparse
import compileall
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve(posts: int) -> tuple[subprocess.Popen, str]:
    """Start the fixture site in a child process; return it and its root URL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.fixturesite", "--posts", str(posts), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    return server, server.stdout.readline().strip()


def bare(root: str, concurrency: int) -> tuple[int, float]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bare_spider.py"), root, str(concurrency)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.split()[-1]), time.perf_counter() - started


def default_watchlist() -> str:
    """The packaged default config's [[watch]] tables: every item is matched against them."""
    text = (ROOT / "wirewatch" / "default.toml").read_text(encoding="utf-8")
    return text[text.index("[[watch]]") :]


def wirewatch(root: str, concurrency: int, workdir: Path) -> tuple[int, float]:
    database = workdir / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    config = workdir / "bench.toml"
    config.write_text(
        f'[storage]\ndatabase = "{database}"\n'
        f'[crawl]\ndelay = "0s"\nautothrottle = false\nconcurrency = {concurrency}\n'
        f"max_pages = 100000\n"
        f'[[source]]\nname = "bench"\nurl = "{root}"\n' + default_watchlist(),
        encoding="utf-8",
    )
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "wirewatch", "--config", str(config), "crawl"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    elapsed = time.perf_counter() - started
    with sqlite3.connect(database) as conn:
        pages, articles = conn.execute(
            "select pages, new_articles from runs order by id desc limit 1"
        ).fetchone()
    conn.close()
    if articles < 0.99 * (pages - 10):
        print(f"  warning: {articles} articles stored from {pages} pages")
    return pages, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    # Scrapy's modules were byte-compiled when pip installed them; ours, run from the
    # checkout, would be compiled afresh by each of a crawl's three processes where
    # bytecode is not written (PYTHONDONTWRITEBYTECODE). Compile them as an install would.
    for package in ("wirewatch", "spiders", "storage", "alerts", "scheduler"):
        compileall.compile_dir(ROOT / package, quiet=1)
    server, root = serve(args.posts)
    rates: dict[str, list[float]] = {"bare scrapy": [], "wirewatch crawl": []}
    try:
        # The site renders each page on its first request and then serves it from memory:
        # one unmeasured crawl first, or the first round's bare crawl pays for the rendering.
        bare(root, args.concurrency)
        with tempfile.TemporaryDirectory() as tmp:
            for round_no in range(1, args.rounds + 1):
                for name, run in (
                    ("bare scrapy", lambda: bare(root, args.concurrency)),
                    ("wirewatch crawl", lambda: wirewatch(root, args.concurrency, Path(tmp))),
                ):
                    pages, seconds = run()
                    rates[name].append(pages / seconds)
                    print(
                        f"round {round_no}  {name:16} {pages:6d} pages {seconds:7.2f} s"
                        f"  {pages / seconds:7.1f} pages/s",
                        flush=True,
                    )
                paired = rates["wirewatch crawl"][-1] / rates["bare scrapy"][-1]
                print(f"round {round_no}  ratio {paired:.2f}", flush=True)
    finally:
        server.terminate()
        server.wait()
    base = statistics.median(rates["bare scrapy"])
    ours = statistics.median(rates["wirewatch crawl"])
    # Each round's two crawls run back to back, so their ratio is taken under the same
    # load; the machine's speed drifts between rounds (bare Scrapy 370-480 pages/s).
    paired = statistics.median(
        w / b for w, b in zip(rates["wirewatch crawl"], rates["bare scrapy"], strict=True)
    )
    print(f"\n{args.posts} articles, concurrency {args.concurrency}, medians of {args.rounds}:")
    print(f"  bare scrapy      {base:7.1f} pages/s")
    print(f"  wirewatch crawl  {ours:7.1f} pages/s")
    print(f"  ratio of medians {ours / base:7.2f}")
    print(f"  ratio            {paired:7.2f}  (median of the rounds' ratios; target >= 0.70)")


if __name__ == "__main__":
    main()
