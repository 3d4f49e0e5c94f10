"""Run crawls of configured sources in this process: ``python -m spiders.runner``.

The command line and the daemon start this as a child process, because Twisted's
reactor cannot be restarted in one process and Scrapy's memory only grows; the
child crawls the named sources side by side, stores through the pipeline, and
exits 0 when every run ended ``ok``, 1 when any did not, 2 on a bad config.

Each crawl's ingest worker is started before Scrapy is imported, so that it
starts up on the other core meanwhile (see :mod:`spiders.workerprocess`).
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from typing import TYPE_CHECKING

# First the few modules that check the config and start the workers; Scrapy and
# the spiders, which take most of a second to import, once the workers are starting.
import storage
from spiders import workerprocess
from wirewatch.config import Config, ConfigError, load_config
from wirewatch.logs import redact_logging

if TYPE_CHECKING:
    from scrapy.settings import Settings

    from wirewatch.config import Source

logger = logging.getLogger(__name__)


def scrapy_settings(config: Config, *, log_level: str, progress: bool) -> Settings:
    """Scrapy's settings for a crawl started by wirewatch rather than by ``scrapy crawl``."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    settings.set("WIREWATCH_CONFIG", str(config.path), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("WIREWATCH_PROGRESS", progress, priority="cmdline")
    return settings


def run_crawls(
    config: Config,
    names: list[str],
    *,
    full: bool = False,
    no_alerts: bool = False,
    log_level: str = "WARNING",
    progress: bool = False,
) -> dict[str, str]:
    """Crawl the named sources (all enabled ones when empty); returns status per source."""
    # A name given twice is crawled once: two crawls of one source in one process would
    # fetch every page twice, and the busy check lets a process's own runs through.
    named = [config.source(n) for n in dict.fromkeys(names)]
    sources = named or [s for s in config.sources if s.enabled]
    # Their workers first, then Scrapy: the workers start up on the other core meanwhile.
    workerprocess.prestart(config.path, not no_alerts, len(sources))
    try:
        return _crawl(
            config, sources, full=full, no_alerts=no_alerts, log_level=log_level, progress=progress
        )
    finally:
        workerprocess.end_unused()  # a source already being crawled elsewhere took none


def _crawl(
    config: Config,
    sources: list[Source],
    *,
    full: bool,
    no_alerts: bool,
    log_level: str,
    progress: bool,
) -> dict[str, str]:
    from scrapy.crawler import CrawlerProcess

    from spiders.sources import spider_for
    from spiders.worker import tune_gc

    process = CrawlerProcess(scrapy_settings(config, log_level=log_level, progress=progress))
    # Scrapy sets its loggers to DEBUG and filters at the handler: every response then
    # builds a "Crawled (200)" record only to drop it. At the logger, none is built.
    logging.getLogger("scrapy").setLevel(log_level)
    redact_logging(config)  # before the spiders load the config again (Apprise logs URLs)
    crawlers = {}
    for source in sources:
        crawler = process.create_crawler(spider_for(source))
        crawlers[source.name] = crawler
        process.crawl(
            crawler,
            source=source.name,
            config=str(config.path),
            full=full,
            no_alerts=no_alerts,
        )
    tune_gc()
    process.start()
    return {name: _status(crawler) for name, crawler in crawlers.items()}


def _status(crawler) -> str:
    from spiders.sources import SourceSpider

    spider = getattr(crawler, "spider", None)
    if isinstance(spider, SourceSpider) and spider.status:
        return spider.status
    return "failed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spiders.runner", description=__doc__)
    parser.add_argument("sources", nargs="*", help="source names; default: all enabled")
    parser.add_argument("--config", help="config file")
    parser.add_argument("--full", action="store_true", help="walk the whole archive")
    parser.add_argument("--no-alerts", action="store_true", help="store and match, alert no one")
    parser.add_argument("--log-level", default="WARNING", help="Scrapy's log level")
    parser.add_argument("--progress", action="store_true", help="progress line on a terminal")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        for name in args.sources:
            config.source(name)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    try:  # refused here in a line, not by each spider with a traceback
        storage.open_db(config.database).close()
    except (storage.StorageError, sqlite3.Error) as exc:
        print(f"error: {storage.open_problem(config.database, exc)}", file=sys.stderr)
        return 2
    statuses = run_crawls(
        config,
        args.sources,
        full=args.full,
        no_alerts=args.no_alerts,
        log_level=args.log_level,
        progress=args.progress,
    )
    return 0 if statuses and all(s == "ok" for s in statuses.values()) else 1


if __name__ == "__main__":
    from spiders.worker import exit_now

    exit_now(main())  # its crawl's runs are recorded and its worker has ended
