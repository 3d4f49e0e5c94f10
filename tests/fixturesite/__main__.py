"""Serve a benchmark site until killed: ``python -m tests.fixturesite --posts 5000 --port 8000``.

Prints the root URL on stdout (flushed) once the site is listening. Served by the
lean asyncio front (:mod:`.lean`): in a benchmark the site shares the machine with
the crawlers it serves, and should take as little of it as it can.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time

from . import lean
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

    def ready() -> None:
        print(site.root, flush=True)
        elapsed = time.perf_counter() - started
        print(f"{args.posts} posts, built in {elapsed:.2f}s", file=sys.stderr, flush=True)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await lean.serve(site, "127.0.0.1", args.port, stop, ready)

    asyncio.run(run())


if __name__ == "__main__":
    main()
