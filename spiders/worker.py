"""The paragraph work of a crawl, in a second process: extract each page, then ingest it.

Scrapy's own work on a page already fills one core (pitfalls.md: ~3.5 ms a page);
extraction and ingest cost about as much again. Done in the crawl's process they
halve its speed; done here they use the machine's second core. The crawl process
hands over the raw page, or, when this worker is behind, an Article it extracted
and prepared itself (see :mod:`spiders.pipelines`).

Protocol: the crawl puts ``(key, task)`` on the task queue, a task being a
:class:`PageTask` (a fetched page) or an :class:`~storage.Article` (already built,
e.g. from the REST API); the worker answers ``Outcome`` on the result queue, in
order. ``None`` on the task queue ends the worker. The worker imports no Scrapy.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

import storage
from spiders import extract
from storage import Article
from storage.neardup import use_gazetteer

logger = logging.getLogger(__name__)

NO_BODY = "no article body found on the page"

#: Most articles stored under one commit; fewer when fewer are waiting.
BATCH = 32


@dataclass(frozen=True)
class PageTask:
    """A fetched article page, as the worker needs it to make an Article of it."""

    source: str
    url: str
    requested: str
    body: bytes
    encoding: str | None
    selectors: extract.Selectors


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
    return Article(
        source=task.source,
        url=storage.canonical_url(same_site(page.canonical, task.url)),
        title=page.title,
        paragraphs=page.paragraphs,
        published=page.published,
        modified=page.modified,
        author=page.author,
        categories=page.categories,
        tags=page.tags,
        fetched_url=task.requested,
    )


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


def serve(config_path: str, send_alerts: bool, tasks, results) -> None:
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
    try:
        while batch := _batch(tasks):
            for outcome in store_batch(db, batch, router):
                results.put(outcome)
        try:
            storage.update_search_index(db)
        except sqlite3.Error as exc:  # a full disk; a later search indexes what is missing
            logger.warning("search index not updated: %s", exc)
    finally:
        db.close()
        results.put(None)


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


def _batch(tasks, most: int = BATCH) -> list:
    """The next task and whatever else is already queued, up to ``most``; [] at the end."""
    first = _next(tasks)
    if first is None:
        return []
    batch = [first]
    while len(batch) < most:
        try:
            message = tasks.get_nowait()
        except queue.Empty:
            break
        if message is None:
            tasks.put(None)  # seen again by the next _batch, which then ends the loop
            break
        batch.append(message)
    return batch


def _next(tasks):
    """The next task; None when told to stop or when the crawl process has died."""
    parent = multiprocessing.parent_process()
    while True:
        try:
            return tasks.get(timeout=1.0)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                return None
