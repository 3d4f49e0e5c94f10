"""The item pipeline: every page or article a spider yields is stored through ingest.

Extraction and ingest run in a worker process (:mod:`spiders.worker`) so that they
use the second core instead of slowing the crawl. Items are handed over without
waiting for their outcome, up to :data:`IN_FLIGHT` at a time: the worker then finds
many waiting and stores them under one commit. Beyond that bound an item waits, so
a slow store slows fetching instead of queueing pages without limit. The run's
counts are complete when the spider closes: ``close_spider`` waits for the rest.

The two processes share the work by need: while the worker has a backlog of
:data:`EXTRACT_HERE` or more, the crawl process extracts pages itself and does
the database-free part of storing them (the paragraphs' hashes:
:func:`storage.prepare`), sending a prepared Article instead of the page, so
whichever core has room does it. With a backlog of :data:`FINGERPRINT_HERE` or
more it works out the near-duplicate fingerprints too; otherwise the worker does,
for the new paragraphs only.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import pickle
import subprocess
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler

import spiders
import storage
from spiders.worker import NO_BODY, Outcome, PageTask, article_from_page, frame, frames
from storage import Article


class WorkerGone(Exception):
    """The worker process ended before answering."""


class IngestWorker:
    """The crawl's side of the worker: submit tasks, await their outcomes.

    Two one-way pipes, served by the reactor's own event loop: a task is pickled
    and written here (buffered while the pipe is full), and the worker's answers
    are read when the pipe is readable. No threads: a feeder and a reader thread
    cost this busy process GIL hand-overs and a loop wake-up per page. The worker
    answers a whole batch in one message, and its end shows as the end of the
    answers' pipe, however it ended.
    """

    def __init__(
        self, config_path: Path, send_alerts: bool, loop: asyncio.AbstractEventLoop
    ) -> None:
        # A new interpreter, not a fork: this process runs a reactor and threads.
        task_reader, task_writer = os.pipe()
        result_reader, result_writer = os.pipe()
        command = [sys.executable, "-m", "spiders.worker", "--config", str(config_path)]
        command += ["--tasks", str(task_reader), "--results", str(result_writer)]
        if not send_alerts:
            command.append("--no-alerts")
        try:
            self._process = subprocess.Popen(
                command, pass_fds=(task_reader, result_writer), env=_child_env()
            )
        finally:
            # The worker has its own copies now; without ours, its end is our end of file.
            os.close(task_reader)
            os.close(result_writer)
        self._tasks = Connection(task_writer, readable=False)
        self._results = Connection(result_reader, writable=False)
        self._loop = loop
        self._keys = itertools.count()
        self._pending: dict[int, asyncio.Future[Outcome]] = {}
        self._outbox = bytearray()
        self._inbox = bytearray()
        self._gone = False
        os.set_blocking(self._tasks.fileno(), False)
        os.set_blocking(self._results.fileno(), False)
        loop.add_reader(self._results.fileno(), self._read)

    def submit(self, task: PageTask | Article) -> asyncio.Future[Outcome]:
        """Queue a task; the future resolves with its outcome (or WorkerGone)."""
        future = self._loop.create_future()
        if self._gone:
            future.set_exception(WorkerGone("the ingest worker is not running"))
            return future
        key = next(self._keys)
        self._pending[key] = future
        was_empty = not self._outbox
        self._outbox += frame(pickle.dumps((key, task), pickle.HIGHEST_PROTOCOL))
        if was_empty:
            self._write()
        return future

    def _write(self) -> None:
        """Write what the pipe takes now; wait for it to drain for the rest."""
        fd = self._tasks.fileno()
        try:
            written = os.write(fd, self._outbox)
        except BlockingIOError:
            written = 0
        except OSError:  # the worker is gone; its answers' pipe says so too
            written = len(self._outbox)
        del self._outbox[:written]
        if self._outbox:
            self._loop.add_writer(fd, self._write)
        else:
            self._loop.remove_writer(fd)

    def _read(self) -> None:
        """Hand each answered outcome to its waiting item."""
        try:
            data = os.read(self._results.fileno(), 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._ended()
            return
        self._inbox += data
        for message in frames(self._inbox):
            try:
                outcomes = pickle.loads(message)
            except Exception as exc:  # a broken answer must fail what waits, not hang it
                self._process.kill()
                self._ended(f"unreadable answer from the ingest worker: {exc}")
                return
            for outcome in outcomes:
                future = self._pending.pop(outcome.key, None)
                if future is not None and not future.done():
                    future.set_result(outcome)

    def _ended(self, why: str = "the ingest worker ended") -> None:
        """The worker is gone: nothing more will be answered."""
        self._gone = True
        self._loop.remove_reader(self._results.fileno())
        self._loop.remove_writer(self._tasks.fileno())
        for future in self._pending.values():
            if not future.done():
                future.set_exception(WorkerGone(why))
        self._pending.clear()

    def close(self, timeout: float = 60.0) -> None:
        """Let the worker finish what it has, then end it."""
        if not self._gone:
            self._loop.remove_writer(self._tasks.fileno())
            self._outbox += frame(pickle.dumps(None))
            os.set_blocking(self._tasks.fileno(), True)
            try:
                while self._outbox:
                    del self._outbox[: os.write(self._tasks.fileno(), self._outbox)]
            except OSError:  # already gone
                self._outbox.clear()
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.terminate()
            self._process.wait(5)
        if not self._gone:
            self._ended()
        self._tasks.close()
        self._results.close()


def _child_env() -> dict[str, str]:
    """This environment, with the directory this code runs from first on the path: the
    worker must import this ``spiders``, installed or run from a checkout."""
    root = str(Path(spiders.__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([root, path] if path else [root])}


#: Items handed to the worker and not yet answered, before the next one must wait.
IN_FLIGHT = 64
#: A worker backlog from which the crawl process extracts and prepares pages itself.
#: Measured on a 3,000-page bench site: 16 gave 126-133 pages/s, 4 gave 139-143, and
#: 1 gave 123 (the crawl process, doing nearly all of it, became the bottleneck).
EXTRACT_HERE = 4
#: A worker backlog from which the crawl process also works out the near-duplicate
#: fingerprints. Which process is the bottleneck depends on the site and on how much
#: is stored already: on the 3,000-page bench site fingerprints worked out by the
#: worker alone gave 10% more pages/s; on the 5,000-page one, where storing costs
#: more, no more than with them always worked out here.
FINGERPRINT_HERE = 48


class IngestPipeline:
    """Store each page or article in one transaction; failures are recorded, the crawl goes on."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.worker: IngestWorker | None = None
        self.in_flight: set[asyncio.Future[Outcome]] = set()
        self.slots: asyncio.Semaphore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IngestPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        if spider.busy:
            return  # nothing will be crawled
        self.slots = asyncio.Semaphore(IN_FLIGHT)
        self.worker = IngestWorker(
            spider.config.path, not spider.no_alerts, asyncio.get_event_loop()
        )

    async def close_spider(self) -> None:
        if self.in_flight:
            await asyncio.wait(set(self.in_flight))
        if self.worker is not None:
            self.worker.close()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageTask | Article) or self.worker is None:
            return item
        task = self.extract_here(item) if len(self.in_flight) >= EXTRACT_HERE else item
        if task is None:
            return item
        await self.slots.acquire()
        future = self.worker.submit(task)
        self.in_flight.add(future)
        future.add_done_callback(lambda done, url=item.url: self.record(done, url))
        return item

    def extract_here(self, item: PageTask | Article) -> PageTask | Article | None:
        """The worker is behind: make the Article here and do the database-free part of
        storing it (hashes), so the two processes share the work. None:
        the page has no article body."""
        fingerprints = len(self.in_flight) >= FINGERPRINT_HERE
        if isinstance(item, Article):
            return storage.prepare(item, fingerprints=fingerprints)
        try:
            article = article_from_page(item)
        except ValueError as exc:  # a configured selector that is not valid CSS
            self.crawler.spider.context.error(item.url, "extraction", str(exc))
            return None
        if article is None:
            self.crawler.spider.context.error(item.url, "extraction", NO_BODY)
            return None
        return storage.prepare(article, fingerprints=fingerprints)

    def record(self, done: asyncio.Future[Outcome], url: str) -> None:
        """Count a stored article, or record why it was not stored."""
        self.in_flight.discard(done)
        self.slots.release()
        context = self.crawler.spider.context
        if done.exception() is not None:
            context.error(url, "store", str(done.exception()))
            return
        outcome = done.result()
        if outcome.status == "no-body":
            context.error(outcome.url, "extraction", outcome.message or NO_BODY)
        elif outcome.status == "error":
            context.error(outcome.url, "store", outcome.message or "not stored")
        else:
            context.stored(outcome.status, outcome.new_items)
