"""The item pipeline: every page or article a spider yields is stored through ingest.

Extraction and ingest run in a worker process (:mod:`spiders.worker`) so that they
use the second core instead of slowing the crawl. Items are handed over without
waiting for their outcome, up to :data:`IN_FLIGHT` at a time: the worker then finds
many waiting and stores them under one commit. Beyond that bound an item waits, so
a slow store slows fetching instead of queueing pages without limit. The run's
counts are complete when the spider closes: ``close_spider`` waits for the rest.

The two processes share the work by need (:class:`WorkShare`): the crawl process
may extract a page itself and do the database-free part of storing it (the
paragraphs' hashes, perhaps their near-duplicate fingerprints, perhaps their
watchlist mentions and event dates: :func:`storage.prepare`), sending a prepared
Article instead of the page. It does
more of that while it has to wait for the worker, and less while the worker waits
for it, so whichever core has room does the work.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import pickle
import subprocess
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.crawler import Crawler

import storage
from spiders import workerprocess
from spiders.worker import NO_BODY, Outcome, PageTask, article_from_page, frame, frames
from storage import Article

if TYPE_CHECKING:
    from alerts.matcher import Matcher


class WorkerGone(Exception):
    """The worker process ended before answering."""


class IngestWorker:
    """The crawl's side of the worker: submit tasks, await their outcomes.

    Two one-way pipes, served by the reactor's own event loop: a task is pickled
    and written here (buffered while the pipe is full), and the worker's answers
    are read when the pipe is readable. No threads: a feeder and a reader thread
    cost this busy process GIL hand-overs and a loop wake-up per page. The worker
    answers a whole batch in one message, and its end shows as the end of the
    answers' pipe, however it ended. The worker is one the runner started ahead
    (:mod:`spiders.workerprocess`), or one started now.
    """

    def __init__(
        self,
        config_path: Path,
        send_alerts: bool,
        loop: asyncio.AbstractEventLoop,
        on_answer: Callable[[float], None] | None = None,
    ) -> None:
        """``on_answer`` is called with the seconds the worker waited for each batch
        it answers."""
        started = workerprocess.take(config_path, send_alerts)
        self._process = started.process
        self._tasks = Connection(started.tasks, readable=False)
        self._results = Connection(started.results, writable=False)
        self._loop = loop
        self._keys = itertools.count()
        self._pending: dict[int, asyncio.Future[Outcome]] = {}
        self._outbox = bytearray()
        self._inbox = bytearray()
        self._gone = False
        self._on_answer = on_answer
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
                outcomes, waited = pickle.loads(message)
            except Exception as exc:  # a broken answer must fail what waits, not hang it
                self._process.kill()
                self._ended(f"unreadable answer from the ingest worker: {exc}")
                return
            for outcome in outcomes:
                future = self._pending.pop(outcome.key, None)
                if future is not None and not future.done():
                    future.set_result(outcome)
            if self._on_answer is not None:
                self._on_answer(waited)

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


#: Items handed to the worker and not yet answered, before the next one must wait.
IN_FLIGHT = 64


class WorkShare:
    """How much of each page's paragraph work the crawl process does itself.

    Which process has room depends on the machine, the site and how much is stored
    already (a fixed backlog threshold was right for one bench site and wrong for
    another), so the share follows what each side waits for. The crawl process
    waiting for a free slot means the worker is behind: do more here. The worker
    waiting for its next task means it could take more: do less here.

    ``share`` runs from 0 (every page goes raw to the worker) through 1 (every
    page extracted and hashed here) and 2 (their fingerprints worked out here too)
    to 3 (their watchlist mentions and event dates as well); a fraction is spread
    evenly over pages, so 1.25 extracts every page and works out the fingerprints
    of one in four.
    """

    #: The most work done here for a page (see above).
    TOP = 3

    #: How far one wait moves the share; some 20 batches from one level to the next.
    STEP = 0.05
    #: A worker's wait shorter than this is the hand-over itself, not room to spare.
    IDLE = 0.002

    def __init__(self, share: float = 1.0) -> None:
        self.share = share
        self.credit = 0.0
        self.crawl_waited = False

    def next_page(self) -> int:
        """The level of work to do here for the next page: 0 to :attr:`TOP`."""
        self.credit += self.share
        level = min(int(self.credit), self.TOP)
        self.credit -= level
        return level

    def worker_answered(self, waited: float) -> None:
        """Move the share by what each side waited for since the last answer."""
        if self.crawl_waited:
            self.share = min(float(self.TOP), self.share + self.STEP)
        if waited > self.IDLE:
            self.share = max(0.0, self.share - self.STEP)
        self.crawl_waited = False


class IngestPipeline:
    """Store each page or article in one transaction; failures are recorded, the crawl goes on."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.worker: IngestWorker | None = None
        self.in_flight: set[asyncio.Future[Outcome]] = set()
        self.slots: asyncio.Semaphore | None = None
        self.share = WorkShare()
        self._matcher: Matcher | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IngestPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        if spider.busy:
            return  # nothing will be crawled
        self.slots = asyncio.Semaphore(IN_FLIGHT)
        self.worker = IngestWorker(
            spider.config.path,
            not spider.no_alerts,
            asyncio.get_event_loop(),
            on_answer=self.share.worker_answered,
        )

    async def close_spider(self) -> None:
        if self.in_flight:
            await asyncio.wait(set(self.in_flight))
        if self.worker is not None:
            self.worker.close()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageTask | Article) or self.worker is None:
            return item
        level = self.share.next_page()
        task = self.extract_here(item, level) if level else item
        if task is None:
            return item
        if self.slots.locked():
            self.share.crawl_waited = True
        await self.slots.acquire()
        future = self.worker.submit(task)
        self.in_flight.add(future)
        future.add_done_callback(lambda done, url=item.url: self.record(done, url))
        return item

    def extract_here(self, item: PageTask | Article, level: int) -> PageTask | Article | None:
        """Make the Article here and do the database-free part of storing it to
        ``level`` (see :class:`WorkShare`), so the two processes share the work.
        None: the page has no article body."""
        if isinstance(item, Article):
            return self.prepare(item, level)
        try:
            article = article_from_page(item)
        except ValueError as exc:  # a configured selector that is not valid CSS
            self.crawler.spider.context.error(item.url, "extraction", str(exc))
            return None
        if article is None:
            self.crawler.spider.context.error(item.url, "extraction", NO_BODY)
            return None
        return self.prepare(article, level)

    def prepare(self, article: Article, level: int) -> Article:
        find = self.matcher().find_spans if level >= 3 else None
        return storage.prepare(article, fingerprints=level >= 2, find=find)

    def matcher(self) -> Matcher:
        """The config's watchlist matcher, as the worker's router has it; built when
        first needed (most crawls on a quiet machine never reach that level)."""
        if self._matcher is None:
            from alerts.matcher import Matcher

            self._matcher = Matcher.from_watches(self.crawler.spider.config.watches)
        return self._matcher

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
