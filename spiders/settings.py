"""Scrapy settings for wirewatch's spiders.

Only what differs from Scrapy's defaults, each with why. Per-source values from
the config file (user agent, delay, concurrency, page bound) are applied by the
spider when it starts, so `scrapy crawl` and `wirewatch crawl` behave the same.
"""

from scrapy.settings import default_settings as _defaults

BOT_NAME = "wirewatch"
SPIDER_MODULES = ["spiders.sources"]
NEWSPIDER_MODULE = "spiders.sources"

ROBOTSTXT_OBEY = True
# A crawl is one source; the per-domain bound is the per-crawl bound.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 8
# Measured (pitfalls.md): the default of 100 item tasks per callback costs ~1.5x wall time.
CONCURRENT_ITEMS = 4
# Sites without a cookie wall; cookies only add state between runs.
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# A crawl child must not open listening ports of its own (Scrapy 2.19 remote control).
REMOTE_CONTROL_ENABLED = False
# Our own middleware retries with backoff and honours Retry-After; Scrapy's retries at once.
RETRY_ENABLED = False
# Each middleware is a layer every request and response passes through: those whose
# work nothing here uses are left out. Measured with bench/bare_spider.py's crawl of 2,000
# pages, medians of 4: 4.15 s of CPU with them, 3.8 s without (0.18 ms a page; that
# test also left out the Referer middleware, kept here: redirects warn without it).
DOWNLOADER_MIDDLEWARES = {
    # No source has a login; HttpAuth only checks for spider attributes never set.
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    "spiders.middlewares.BackoffRetryMiddleware": 550,
    "spiders.middlewares.ConditionalRequestMiddleware": 560,
    # Scrapy's, passing over pages with no http-equiv attribute unread (see the class).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "spiders.middlewares.MetaRefresh": 580,
    # Sizes every header for byte counts nothing reads; the request count a run records stays.
    "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
    "spiders.middlewares.RequestCount": 850,
}
# Scrapy imports every component its lists name, even one set to None, before asking
# it whether it is enabled: the remote control's module took 0.1 s of the crawl
# process's start and the cookies middleware's 36 ms. Off here, so out of the lists.
_UNUSED = {
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",  # COOKIES_ENABLED
    "scrapy.extensions.remote_control.RemoteControl",  # REMOTE_CONTROL_ENABLED
    "scrapy.extensions.telnet.TelnetConsole",  # TELNETCONSOLE_ENABLED
}
DOWNLOADER_MIDDLEWARES_BASE = {
    path: order
    for path, order in _defaults.DOWNLOADER_MIDDLEWARES_BASE.items()
    if path not in _UNUSED
}
EXTENSIONS_BASE = {
    path: order for path, order in _defaults.EXTENSIONS_BASE.items() if path not in _UNUSED
}
SPIDER_MIDDLEWARES = {
    # No depth limit is used: max_pages bounds a crawl, and listings stop at known articles.
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    # A development aid that checks every request's meta keys.
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
# Scrapy checks each response's callback for a generator that returns a value, parsing
# its source with ast every time: a bound method is a new object per call, so its
# cache never hits. 1.9% of the crawl process's time (py-spy, bench crawl); the
# same check runs once over every callback in tests/test_settings.py instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Scrapy's collector runs Python code on every attribute access (see spiders/stats.py).
STATS_CLASS = "spiders.stats.PlainStatsCollector"
ITEM_PIPELINES = {"spiders.pipelines.IngestPipeline": 300}
EXTENSIONS = {"spiders.progress.Progress": 500}
# Pages over this are not articles: bounds memory against a hostile or broken server.
DOWNLOAD_MAXSIZE = 10_000_000
DOWNLOAD_WARNSIZE = 0
# WordPress's canonical redirects take one or two hops; a longer chain is a loop.
REDIRECT_MAX_TIMES = 5
# Feeds and sitemaps carry the site's structure; robots.txt must not be cached across runs.
HTTPCACHE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
