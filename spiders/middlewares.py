"""Downloader middlewares: polite retries, conditional requests from stored validators,
meta refreshes read only where a page can have one, and the request count."""

from __future__ import annotations

import asyncio
import codecs
import email.utils
import logging
import time
from datetime import UTC
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    NotConfigured,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.web._newclient import ResponseFailed

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 522, 524})
# Scrapy 2.13+ raises its own download exceptions (a timeout, a body cut short by a
# reset) where older versions raised Twisted's; both are listed.
RETRY_EXCEPTIONS = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
    ConnectError,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
    ResponseFailed,
    IOError,
)


class NetworkTracebacks(logging.Filter):
    """Drop the traceback of a logged network failure: its message names the error.

    Scrapy's robots.txt middleware logs a failed download with some sixty lines of
    Twisted and Scrapy internals; for a dead site that is every run, and the daemon
    relays each line. The failure itself is recorded in the run. The traceback of
    anything else (a bug) is kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], RETRY_EXCEPTIONS):
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_network_tracebacks() -> None:
    """Put :class:`NetworkTracebacks` on Scrapy's robots.txt logger (once per process)."""
    robots = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    if not any(isinstance(f, NetworkTracebacks) for f in robots.filters):
        robots.addFilter(NetworkTracebacks())


def retry_after_seconds(value: bytes | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; None if absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": a time in UTC whose zone the sender did not know
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class BackoffRetryMiddleware:
    """Retry 429, 5xx and connection failures, waiting between tries.

    Scrapy's own RetryMiddleware retries at once, which hammers a server that just
    said it is overloaded. Here the wait is the server's Retry-After (capped), or
    an exponential backoff from the ``RETRY_BACKOFF`` base.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("WIREWATCH_RETRY_ENABLED", True):
            raise NotConfigured
        self.crawler = crawler
        self.max_retries = settings.getint("RETRY_TIMES", 3)
        self.backoff = settings.getfloat("RETRY_BACKOFF", 1.0)
        self.max_wait = settings.getfloat("RETRY_MAX_WAIT", 300.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Any:
        if response.status not in RETRY_STATUSES or request.meta.get("dont_retry"):
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        retry = await self._retry(request, f"HTTP {response.status}", wait)
        return retry or response

    async def process_exception(self, request: Request, exception: Exception) -> Any:
        if not isinstance(exception, RETRY_EXCEPTIONS) or request.meta.get("dont_retry"):
            return None
        return await self._retry(request, exception, None)

    async def _retry(
        self, request: Request, reason: str | Exception, wait: float | None
    ) -> Request | None:
        tries = request.meta.get("retry_times", 0)
        if tries >= self.max_retries:
            get_retry_request(request, spider=self.crawler.spider, reason=reason, max_retry_times=0)
            return None
        delay = min(self.max_wait, wait if wait is not None else self.backoff * 2**tries)
        logger.info("retrying %s in %.1fs (%s)", request.url, delay, reason)
        if delay > 0:
            await asyncio.sleep(delay)
        return get_retry_request(
            request, spider=self.crawler.spider, reason=reason, max_retry_times=self.max_retries
        )


class ConditionalRequestMiddleware:
    """Send stored ETag / Last-Modified for requests marked ``meta["conditional"]``.

    New validators are only remembered here; the spider saves them when the run
    ends well, so a crawl killed half way never leaves a validator that would hide
    content it did not finish storing.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not request.meta.get("conditional"):
            return None
        context = getattr(self.crawler.spider, "context", None)
        stored = context.validators_for(request.url) if context else None
        if stored:
            etag, last_modified = stored
            if etag:
                request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
            if last_modified:
                request.headers.setdefault(b"If-Modified-Since", last_modified.encode("latin-1"))
        request.meta.setdefault("handle_httpstatus_list", [304])
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        context = getattr(self.crawler.spider, "context", None)
        if request.meta.get("conditional") and context and response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                context.remember_validators(
                    request.url,
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None,
                )
        return response


class MetaRefresh(MetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, without reading the pages that cannot have one.

    Scrapy decodes every HTML page and runs w3lib's search over its first 4,096
    characters: 1.9% of a bench crawl's process, for a tag few pages have. A
    refresh tag needs a literal ``http-equiv`` attribute (browsers decode entities
    in attribute values, never in names), and in an encoding that writes ASCII as
    ASCII those 4,096 characters lie within :attr:`HEAD_BYTES` bytes. A page
    without it there is passed on unread; any other goes through Scrapy's check.
    """

    HEAD_BYTES = 4 * 4096

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if isinstance(response, HtmlResponse) and not _may_refresh(response, self.HEAD_BYTES):
            return response
        return super().process_response(request, response)


def _may_refresh(response: HtmlResponse, head_bytes: int) -> bool:
    try:
        wide = codecs.lookup(response.encoding).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        wide = True
    return wide or b"http-equiv" in response.body[:head_bytes].lower()


class RequestCount:
    """Count requests sent: the one downloader figure a run records (its ``requests``).

    Stands in for Scrapy's DownloaderStats, which also sizes every request's and
    response's headers and counts each status and method, for figures nothing here reads:
    that cost some 2% of a bare crawl's CPU.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestCount:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        self.stats.inc_value("downloader/request_count")
        return None
