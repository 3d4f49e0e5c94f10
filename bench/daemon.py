"""The daemon's memory over many scheduled crawls, and how soon a new post is alerted.

Runs the real `wirewatch run` against the fixture news site (served by this
process on loopback) with second-scale schedules:

1. Resident memory (VmRSS) of the daemon process: right after start, idle after
   its first crawl cycle, and after ``--cycles`` scheduled crawls (the issue's
   bound: growth under 10% from idle).
2. Latency: a post is published at a random moment; the time until the webhook
   receives its alert, against the bound of one schedule interval plus the
   crawl time (the daemon delivers right after each crawl).

Usage: python bench/daemon.py [--cycles 200] [--samples 5] [--interval 6]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.crawling import rows, write_config  # noqa: E402
from tests.daemon import PLACES_WATCH, DaemonProcess, daemon_settings, runs, until  # noqa: E402
from tests.fixturesite import make_sites  # noqa: E402
from tests.receivers import WebhookReceiver  # noqa: E402


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def completed(config: Path) -> int:
    return sum(r["status"] != "running" for r in runs(config))


def memory(cycles: int, tmp: Path) -> None:
    """RSS idle and after ``cycles`` scheduled crawls of two sources every second."""
    with make_sites().c as site, WebhookReceiver() as hook:
        sources = {
            name: {"url": site.root + "news/", "kind": "html", "schedule": "every 1s"}
            for name in ("c1", "c2")
        }
        subscriber = (
            f'\n[[subscriber]]\nname = "desk"\nnotify = [{json.dumps(hook.url("/desk"))}]\n'
        )
        config = write_config(
            tmp, sources, extra=PLACES_WATCH + subscriber + daemon_settings(parallel_crawls=2)
        )
        with DaemonProcess(config, "memory") as daemon:
            until(lambda: (config.parent / "ww.db").exists(), "the database", 60)
            time.sleep(1)
            at_start = rss_kib(daemon.pid)
            until(lambda: completed(config) >= 4, "a first cycle", 300)
            time.sleep(3)
            idle = rss_kib(daemon.pid)
            started = time.monotonic()
            samples = []
            while completed(config) < cycles:
                time.sleep(5)
                samples.append(rss_kib(daemon.pid))
            elapsed = time.monotonic() - started
            after = rss_kib(daemon.pid)
            statuses = [r["status"] for r in runs(config)]
            assert daemon.stop() == 0
    growth = (after - idle) / idle * 100
    print(f"memory: {completed_str(statuses)} in {elapsed:.0f}s")
    print(f"  RSS at start        {at_start / 1024:7.1f} MiB")
    print(f"  RSS idle            {idle / 1024:7.1f} MiB  (after the first cycle)")
    peak = max(samples) / 1024
    print(f"  RSS after {len(statuses):4d} runs {after / 1024:7.1f} MiB  (peak {peak:.1f} MiB)")
    print(f"  growth              {growth:+7.1f} %  (bound: under 10%)")


def completed_str(statuses: list[str]) -> str:
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    return f"{len(statuses)} scheduled crawls ({', '.join(f'{n} {s}' for s, n in counts.items())})"


def latency(samples: int, interval: int, tmp: Path) -> None:
    """Publish at a random moment; time until its alert reaches the webhook."""
    rng = random.Random(7)
    with make_sites().c as site, WebhookReceiver() as hook:
        subscriber = (
            f'\n[[subscriber]]\nname = "desk"\nnotify = [{json.dumps(hook.url("/desk"))}]\n'
        )
        config = write_config(
            tmp,
            {"c": {"url": site.root + "news/", "kind": "html", "schedule": f"every {interval}s"}},
            extra=PLACES_WATCH + subscriber + daemon_settings(jitter="0s"),
        )
        delays: list[float] = []
        with DaemonProcess(config, "latency") as daemon:
            until(lambda: [r for r in runs(config) if r["status"] == "ok"], "a first crawl", 300)
            for _ in range(samples):
                time.sleep(rng.uniform(0, interval))
                post = site.publish()
                url = site.url_of(post)
                published = time.monotonic()
                until(
                    lambda url=url: [r for r in hook.received if url in r.json["message"]],
                    "the alert",
                    300,
                )
                delays.append(time.monotonic() - published)
            # As the daemon saw it: process start to exit, Python and Scrapy start-up included.
            found = re.findall(r"crawl c: ok in ([0-9.]+)s", daemon.stderr())
            crawl_times = [float(x) for x in found[1:]]  # the first is the whole archive
            assert daemon.stop() == 0
        sent = rows(config, "select count(*) n from outbox where state = 'sent'")[0]["n"]
    crawl = statistics.median(crawl_times)
    bound = interval + crawl
    print(f"latency: {samples} posts published at random moments, schedule every {interval}s")
    print(
        f"  crawl time (median of {len(crawl_times)} runs, process start to exit)  {crawl:6.2f} s"
    )
    print(f"  post to alert: median {statistics.median(delays):6.2f} s, max {max(delays):6.2f} s")
    print(f"  bound: interval + crawl time            {bound:6.2f} s")
    ratio = max(delays) / bound
    print(f"  max / bound                             {ratio:6.2f}  ({sent} alerts sent)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--interval", type=int, default=6)
    parser.add_argument("--only", choices=["latency", "memory"], help="run one half")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        if args.only != "memory":
            latency(args.samples, args.interval, Path(one))
        if args.only != "latency":
            memory(args.cycles, Path(two))


if __name__ == "__main__":
    main()
