"""Serve a benchmark site until killed: ``python -m tests.fixturesite --posts 5000 --port 8000``.

Prints the root URL on stdout (flushed) once the site is listening.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import time

from .factory import make_bench_site


def main(argv: list[str] | None = None) -> None:
    """Build, start, print the root URL, and serve until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m tests.fixturesite", description=__doc__)
    parser.add_argument("--posts", type=int, default=5000, help="number of posts (default 5000)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free)")
    parser.add_argument("--seed", type=int, default=1, help="content seed (default 1)")
    parser.add_argument("--rest", action="store_true", help="open the REST API (default: 401)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    site = make_bench_site(args.posts, rest_api=args.rest, seed=args.seed, port=args.port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with site:
        print(site.root, flush=True)
        elapsed = time.perf_counter() - started
        print(f"{args.posts} posts, built in {elapsed:.2f}s", file=sys.stderr, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()


if __name__ == "__main__":
    main()
