"""The paragraph work of a crawl, in a second process: extract each page, then ingest it.

Scrapy's own work on a page already fills one core (pitfalls.md: ~3.5 ms a page);
extraction and ingest cost about as much again. Done in the crawl's process they
halve its speed; done here they use the machine's second core. The crawl process
hands over the raw page, or, when this worker is behind, an Article it extracted
and prepared itself (see :mod:`spiders.pipelines`).

Protocol: two one-way pipes of pickled messages, framed as multiprocessing's
``Connection`` frames them. The crawl writes ``(key, task)``, a task being a
:class:`PageTask` (a fetched page) or an :class:`~storage.Article` (already built,
e.g. from the REST API); the worker answers each batch it stores with one list
of ``Outcome``, in order, with the seconds it waited for that batch's first task
(how the crawl process knows it could have handed over more raw pages; see
:class:`spiders.pipelines.WorkShare`). ``None`` ends the worker, and so does the end of the
task pipe (the crawl process is gone). The worker is a plain ``python -m
spiders.worker`` child given the pipes' two ends: it imports no Scrapy (a
multiprocessing spawn imported the crawl's main module, and Scrapy with it, in
0.5 s of the worker's CPU, and started a resource tracker process besides).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import pickle
import select
import signal
import sqlite3
import struct
import sys
import time
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime
from multiprocessing.connection import Connection
from typing import NoReturn
from urllib.parse import urlsplit

import storage
from spiders import extract
from storage import Article
from storage.neardup import use_gazetteer

logger = logging.getLogger(__name__)

NO_BODY = "no article body found on the page"

#: Most articles stored under one commit; fewer when fewer are waiting.
BATCH = 32
#: The most read from the task pipe at once.
READ_SIZE = 1 << 20


@dataclass(frozen=True)
class PageHints:
    """What the crawl learnt of an article before fetching its page.

    The REST API's id and modified time, when the API left the text out and the page
    had to be fetched: stored with the article, they let the next run see the post
    unchanged. A feed's or the API's publication date, for a page that states none
    (a theme that prints no date), so its items' "On 3 March" still get their year.
    """

    external_id: str | None = None
    published: datetime | date | None = None
    modified: datetime | None = None


@dataclass(frozen=True)
class PageTask:
    """A fetched article page, as the worker needs it to make an Article of it."""

    source: str
    url: str
    requested: str
    body: bytes
    encoding: str | None
    selectors: extract.Selectors
    hints: PageHints | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one task: stored (new/updated/unchanged), no body, or an error."""

    key: int
    url: str
    status: str
    new_items: int = 0
    message: str | None = None


def article_from_page(task: PageTask) -> Article | None:
    """Extract an Article from a fetched page; None when the page has no article body."""
    page = extract.extract_page(
        task.body, task.url, selectors=task.selectors, encoding=task.encoding
    )
    if not page.body_found or not page.paragraphs:
        return None
    hints = task.hints or _NO_HINTS
    return Article(
        source=task.source,
        url=storage.canonical_url(same_site(page.canonical, task.url)),
        title=page.title,
        paragraphs=page.paragraphs,
        published=_published(page.published, hints.published),
        modified=hints.modified or page.modified,  # the API's: what the next run compares
        author=page.author,
        categories=page.categories,
        tags=page.tags,
        external_id=hints.external_id or (f"wp:{page.post_id}" if page.post_id else None),
        fetched_url=task.requested,
    )


_NO_HINTS = PageHints()


def _published(
    on_page: datetime | date | None, hinted: datetime | date | None
) -> datetime | date | None:
    """The page's publication date, unless it gives only the day the feed's or the
    API's stamp also names: then the stamp, which has the time and the zone."""
    if on_page is None or (
        isinstance(hinted, datetime)
        and not isinstance(on_page, datetime)
        and hinted.date() == on_page
    ):
        return hinted
    return on_page


def same_site(canonical: str | None, fetched: str) -> str:
    """The page's canonical URL, unless it points at another site.

    A republished copy's canonical often names the origin; taking it would make
    the copy look like a new version of the original article.
    """
    if not canonical:
        return fetched
    host = (urlsplit(canonical).hostname or "").removeprefix("www.")
    return canonical if host == (urlsplit(fetched).hostname or "").removeprefix("www.") else fetched


def handle(db, key: int, task: PageTask | Article, on_new_items=None) -> Outcome:
    """Extract (for a page) and ingest one task; every failure becomes an Outcome."""
    url = task.url
    try:
        article = task if isinstance(task, Article) else article_from_page(task)
        if article is None:
            return Outcome(key, url, "no-body", message=NO_BODY)
        result = storage.ingest(db, article, on_new_items=on_new_items)
    except ValueError as exc:  # a configured selector that is not valid CSS
        return Outcome(key, url, "error", message=f"extraction: {exc}")
    except Exception as exc:
        logger.exception("cannot store %s", url)
        return Outcome(key, url, "error", message=f"{type(exc).__name__}: {exc}")
    return Outcome(key, article.url, result.status, len(result.new_item_ids))


#: The cyclic collector's thresholds in a crawl's busy processes (Python's: 700, 10, 10).
GC_THRESHOLDS = (50_000, 20, 20)


def tune_gc() -> None:
    """Collect reference cycles in larger batches, and never rescan what start-up made.

    A crawl makes millions of short-lived containers (tree wrappers, shingle sets,
    tuples, unpickled articles); at Python's default threshold the collector runs
    every 700 of them and scans the survivors each time. Measured on 1,000 bench
    pages in one process, the default made extraction and preparing 9% and the
    pickled hand-over 2.4x dearer; over a whole bench crawl, the CPU per page fell
    about 9% with these thresholds. Cycles are still collected; ``freeze`` moves
    the modules, Scrapy and the config out of the collector's sight.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def serve(config_path: str, send_alerts: bool, tasks: Connection, results: Connection) -> None:
    """The worker's main loop: tasks in, outcomes out, until ``None`` or the crawl is gone.

    The watchlist router is built here, from the config, so that matching and
    enqueueing alerts happen in ingest's transaction, in this process.
    """
    from alerts.routing import Router
    from wirewatch.config import load_config
    from wirewatch.logs import redact_logging

    config = load_config(config_path)
    redact_logging(config)
    router = Router(config, send_alerts=send_alerts)
    use_gazetteer({w.id: [*w.names, *w.acronyms] for w in config.watches})
    # Ctrl-C reaches the whole process group; the crawl process handles it and then
    # ends this worker in order. SIGTERM keeps its default: a transaction cut short
    # is rolled back by SQLite, so nothing half-stored remains.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    db = storage.open_db(config.database)
    storage.tune_for_bulk_writes(db)
    tune_gc()
    inbox = _Tasks(tasks)
    try:
        while batch := inbox.batch():
            outcomes = store_batch(db, batch, router)
            try:
                answer = (outcomes, inbox.waited)
                results.send_bytes(pickle.dumps(answer, pickle.HIGHEST_PROTOCOL))
            except OSError:  # the crawl process is gone; what was stored stays stored
                break
        try:
            storage.update_search_index(db)
        except sqlite3.Error as exc:  # a full disk; a later search indexes what is missing
            logger.warning("search index not updated: %s", exc)
    finally:
        db.close()
        results.close()


def store_batch(db, batch: list[tuple[int, PageTask | Article]], router) -> list[Outcome]:
    """Store the queued tasks in one commit, each article in a savepoint of its own.

    An article is still all or nothing (a failure rolls back its savepoint only);
    sharing the commit saves most of ingest's cost. Outcomes are reported only
    once the commit is done: a crash before it loses the batch, and the next run
    fetches those pages again because nothing of them was stored.
    """
    try:
        with storage.write_transaction(db):
            outcomes = [handle(db, key, task, on_new_items=router.many) for key, task in batch]
    except sqlite3.Error as exc:  # the commit itself failed (disk full, I/O error)
        message = f"not stored: {type(exc).__name__}: {exc}"
        return [Outcome(key, task.url, "error", message=message) for key, task in batch]
    return outcomes


class _Tasks:
    """The task pipe's reading end, in batches: the tasks that have arrived whole.

    Read in large chunks and cut into messages here: a batch never waits for the
    rest of a message the crawl process has only begun to write. That process
    writes when its event loop comes round to it, which can be a page's
    extraction later; waiting for it mid-batch left this process idle for a
    quarter of a bench crawl.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn  # owns the descriptor: it closes it when collected
        self.fd = conn.fileno()
        self.buffer = bytearray()
        self.whole: deque[bytes] = deque()  # messages read in full, not yet taken
        self.ended = False  # told to stop, or the crawl process is gone
        self.waited = 0.0  # seconds the last batch waited for its first task

    def batch(self, most: int = BATCH) -> list[tuple[int, PageTask | Article]]:
        """Up to ``most`` tasks, at least one; [] once told to stop or the crawl is gone."""
        started = time.perf_counter()
        while not self.whole and not self.ended:
            self._read()  # blocks for more; the crawl process gone shows as the pipe's end
        self.waited = time.perf_counter() - started
        if not self.ended and select.select([self.fd], [], [], 0)[0]:
            self._read()  # whatever else has come meanwhile
        batch = []
        while self.whole and len(batch) < most:
            message = pickle.loads(self.whole.popleft())
            if message is None:
                self.ended = True
                self.whole.clear()
                break
            batch.append(message)
        return batch

    def _read(self) -> None:
        data = os.read(self.fd, READ_SIZE)
        if not data:  # the crawl process closed its end or died
            self.ended = True
            return
        self.buffer += data
        self.whole.extend(frames(self.buffer))


def frame(payload: bytes) -> bytes:
    """One message as multiprocessing's ``Connection.send_bytes`` frames it, so that
    ``recv_bytes`` reads it: a signed 32-bit big-endian length (-1 and then a 64-bit
    one for 2 GiB or more), then the bytes."""
    if len(payload) > 0x7FFFFFFF:
        return struct.pack("!iQ", -1, len(payload)) + payload
    return struct.pack("!i", len(payload)) + payload


def frames(buffer: bytearray) -> list[bytes]:
    """Take the whole messages off the front of ``buffer``, leaving a partial one."""
    messages = []
    while len(buffer) >= 4:
        (size,) = struct.unpack_from("!i", buffer)
        start = 4
        if size == -1:
            if len(buffer) < 12:
                break
            (size,) = struct.unpack_from("!Q", buffer, 4)
            start = 12
        if len(buffer) < start + size:
            break
        messages.append(bytes(buffer[start : start + size]))
        del buffer[: start + size]
    return messages


def main(argv: list[str] | None = None) -> int:
    """``python -m spiders.worker``: how :class:`spiders.pipelines.IngestWorker` starts it."""
    parser = argparse.ArgumentParser(prog="python -m spiders.worker", description=__doc__)
    parser.add_argument("--config", required=True, help="the crawl's config file")
    parser.add_argument("--tasks", type=int, required=True, help="fd of the task pipe")
    parser.add_argument("--results", type=int, required=True, help="fd of the answer pipe")
    parser.add_argument("--no-alerts", action="store_true", help="match, alert no one")
    args = parser.parse_args(argv)
    tasks = Connection(args.tasks, writable=False)
    results = Connection(args.results, readable=False)
    try:
        serve(args.config, not args.no_alerts, tasks, results)
    finally:
        tasks.close()
    return 0


def exit_now(code: int) -> NoReturn:
    """End this process once its work is done and saved, without the interpreter's teardown.

    Teardown frees every object one by one: for a worker holding a large store's
    near-duplicate index and fingerprints it took 0.36 s after the last article was
    stored, and the crawl waits for it. Everything that matters is already written
    (the database closed, the answers sent); logs and standard streams are flushed here.
    """
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    # From the module, not from __main__: what is pickled back must name spiders.worker.
    from spiders.worker import exit_now as worker_exit
    from spiders.worker import main as worker_main

    worker_exit(worker_main())
