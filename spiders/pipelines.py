"""The item pipeline: every page or article a spider yields is stored through ingest.

Extraction and ingest run in a worker process (:mod:`spiders.worker`) so that they
use the second core instead of slowing the crawl. Each item waits for its outcome,
which keeps Scrapy's own back-pressure: a slow store slows fetching instead of
queueing pages without bound.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import queue
import threading
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from spiders.worker import Outcome, PageTask, serve
from storage import Article


class WorkerGone(Exception):
    """The worker process ended before answering."""


class IngestWorker:
    """The crawl's side of the worker: submit tasks, await their outcomes."""

    def __init__(
        self, config_path: Path, send_alerts: bool, loop: asyncio.AbstractEventLoop
    ) -> None:
        # spawn, not fork: this process runs a reactor and threads.
        context = multiprocessing.get_context("spawn")
        self._tasks = context.Queue()
        self._results = context.Queue()
        self._process = context.Process(
            target=serve,
            args=(str(config_path), send_alerts, self._tasks, self._results),
            name="wirewatch-ingest",
            daemon=True,
        )
        self._process.start()
        self._loop = loop
        self._keys = itertools.count()
        self._pending: dict[int, asyncio.Future[Outcome]] = {}
        self._reader = threading.Thread(target=self._read, name="ingest-results", daemon=True)
        self._reader.start()

    async def submit(self, task: PageTask | Article) -> Outcome:
        if not self._process.is_alive():
            raise WorkerGone("the ingest worker is not running")
        key = next(self._keys)
        future = self._loop.create_future()
        self._pending[key] = future
        self._tasks.put((key, task))
        return await future

    def _read(self) -> None:
        """Hand each outcome to its waiting item, on the reactor's loop."""
        while True:
            try:
                outcome = self._results.get(timeout=1.0)
            except queue.Empty:
                if self._process.is_alive():
                    continue
                outcome = None
            if outcome is None:
                self._loop.call_soon_threadsafe(self._fail_pending)
                return
            self._loop.call_soon_threadsafe(self._resolve, outcome)

    def _resolve(self, outcome: Outcome) -> None:
        future = self._pending.pop(outcome.key, None)
        if future is not None and not future.done():
            future.set_result(outcome)

    def _fail_pending(self) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(WorkerGone("the ingest worker ended"))
        self._pending.clear()

    def close(self, timeout: float = 60.0) -> None:
        """Let the worker finish what it has, then end it."""
        if self._process.is_alive():
            self._tasks.put(None)
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)
        self._reader.join(5)
        self._tasks.close()
        self._results.close()


class IngestPipeline:
    """Store each page or article in one transaction; failures are recorded, the crawl goes on."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.worker: IngestWorker | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IngestPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.worker = IngestWorker(
            spider.config.path, not spider.no_alerts, asyncio.get_event_loop()
        )

    def close_spider(self) -> None:
        if self.worker is not None:
            self.worker.close()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageTask | Article) or self.worker is None:
            return item
        context = self.crawler.spider.context
        try:
            outcome = await self.worker.submit(item)
        except WorkerGone as exc:
            context.error(item.url, "store", str(exc))
            raise DropItem(str(exc)) from exc
        if outcome.status == "no-body":
            context.error(outcome.url, "extraction", outcome.message or "no article body")
        elif outcome.status == "error":
            context.error(outcome.url, "store", outcome.message or "not stored")
        else:
            context.stored(outcome.status, outcome.new_items)
        return item
