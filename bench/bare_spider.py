"""A bare Scrapy crawl of a site's sitemap and every page it lists: no parsing, no pipeline.

The baseline for bench/crawl.py. Run: python bench/bare_spider.py ROOT CONCURRENCY
"""

from __future__ import annotations

import sys

import scrapy
from scrapy.crawler import CrawlerProcess


class BareSpider(scrapy.Spider):
    """Fetch the sitemap index, its sitemaps and their pages; extract nothing."""

    name = "bare"

    def __init__(self, root: str, **kwargs):
        super().__init__(**kwargs)
        self.root = root

    async def start(self):
        yield scrapy.Request(self.root + "wp-sitemap.xml", self.parse_sitemap)

    def parse_sitemap(self, response):
        response.selector.remove_namespaces()
        for loc in response.xpath("//loc/text()").getall():
            if loc.endswith(".xml"):
                if "posts-post" in loc:
                    yield scrapy.Request(loc, self.parse_sitemap)
            else:
                yield scrapy.Request(loc, self.parse_page)

    def parse_page(self, response):
        return None


def main() -> None:
    root, concurrency = sys.argv[1], int(sys.argv[2])
    process = CrawlerProcess(
        {
            "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": 0,
            "TELNETCONSOLE_ENABLED": False,
            "REMOTE_CONTROL_ENABLED": False,
        }
    )
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, root=root)
    process.start()
    print(crawler.stats.get_value("response_received_count", 0))


if __name__ == "__main__":
    main()
