"""A one-line progress display for crawls run from a terminal; silent in a pipe or a daemon."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class Progress:
    """Rewrite one stderr line with the source's counts, at most a few times a second."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.last = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("WIREWATCH_PROGRESS") or not sys.stderr.isatty():
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.update, signal=signals.response_received)
        crawler.signals.connect(extension.done, signal=signals.spider_closed)
        return extension

    def line(self) -> str:
        spider = self.crawler.spider
        counts = spider.context.counts
        return (
            f"\r{spider.src.name}: {counts.pages} pages, {counts.new_articles} new articles, "
            f"{counts.new_items} new items, {counts.errors} errors"
        )

    def update(self) -> None:
        now = time.monotonic()
        if now - self.last >= 0.25:
            self.last = now
            sys.stderr.write(self.line())
            sys.stderr.flush()

    def done(self) -> None:
        if self.crawler.spider.busy:  # not crawled: another process has the source
            return
        sys.stderr.write(self.line() + "\n")
        sys.stderr.flush()
