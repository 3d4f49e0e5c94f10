"""The item pipeline: every article a spider yields goes through storage's ingest."""

from __future__ import annotations

import sqlite3
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

import storage
from storage import Article


class IngestPipeline:
    """Store each article in one transaction; a failed store is recorded, the crawl goes on."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IngestPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        context = self.crawler.spider.context
        try:
            result = storage.ingest(context.db, item)
        except (sqlite3.Error, storage.StorageError) as exc:
            context.error(item.url, "store", f"{type(exc).__name__}: {exc}")
            raise DropItem(f"not stored: {exc}") from exc
        context.stored(result)
        return item
