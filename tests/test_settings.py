"""Checks that the crawl settings turn off at run time, done once here instead."""

from __future__ import annotations

import inspect

from scrapy.utils.misc import is_generator_with_return_value

from spiders import settings, sources


def _callbacks() -> list:
    """Every parse method of every spider class: what Scrapy would check per response."""
    found = []
    for spider in {sources.SourceSpider, *sources.SPIDERS.values()}:
        for name, member in inspect.getmembers(spider, inspect.isfunction):
            if name.startswith("parse"):
                found.append(member)
    return found


def test_no_callback_is_a_generator_that_returns_a_value() -> None:
    """Scrapy's WARN_ON_GENERATOR_RETURN_VALUE, off in settings.py for speed: a value
    returned from a generator callback is silently lost, which this catches instead."""
    assert settings.WARN_ON_GENERATOR_RETURN_VALUE is False
    callbacks = _callbacks()
    assert {c.__name__ for c in callbacks} >= {"parse_article", "parse_rest", "parse_feed"}
    assert [c.__qualname__ for c in callbacks if is_generator_with_return_value(c)] == []


def test_the_check_sees_a_generator_returning_a_value() -> None:
    """The check above can fail: Scrapy's test finds the bug it looks for."""

    def parse_bad(self, response):
        yield response
        return 42

    assert is_generator_with_return_value(parse_bad)


def test_the_stats_collector_counts_with_plain_attribute_lookups() -> None:
    """settings.STATS_CLASS drops Scrapy's per-access wrapper (spiders/stats.py); the
    counts a run records (requests made) must still add up."""
    from scrapy.utils.misc import load_object
    from scrapy.utils.test import get_crawler

    from spiders.stats import PlainStatsCollector

    collector = load_object(settings.STATS_CLASS)
    assert collector is PlainStatsCollector
    assert collector.__getattribute__ is object.__getattribute__
    stats = collector(get_crawler())
    stats.inc_value("downloader/request_count")
    stats.inc_value("downloader/request_count", 2)
    stats.max_value("most", 3)
    stats.max_value("most", 1)
    assert stats.get_value("downloader/request_count") == 3
    assert stats.get_stats() == {"downloader/request_count": 3, "most": 3}


_PROBE = """
import sys
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.extension import ExtensionManager
from scrapy.settings import Settings
from scrapy.utils.misc import load_object
settings = Settings()
if sys.argv[1] == "ours":
    settings.setmodule("spiders.settings", priority="project")
extensions = ExtensionManager._get_mwlist_from_settings(settings)
middlewares = DownloaderMiddlewareManager._get_mwlist_from_settings(settings)
for path in extensions + middlewares:  # as the managers load them, enabled or not
    load_object(path)
names = ("extensions.remote_control", "extensions.telnet", "downloadermiddlewares.cookies")
print(" ".join(n for n in names if "scrapy." + n in sys.modules))
print(len(extensions), len(middlewares))
"""


def _components(which: str) -> tuple[str, list[int]]:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, which], cwd=root, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return out[0], [int(n) for n in out[1].split()]


def test_components_that_are_off_are_not_even_imported() -> None:
    """Scrapy imports every component its lists name, None or not: the crawl's lists
    leave out those it turns off (the remote control's module took 0.1 s of each crawl
    process's start). Scrapy's own lists, the control, do import them."""
    assert _components("scrapy")[0] == (
        "extensions.remote_control extensions.telnet downloadermiddlewares.cookies"
    )
    imported, (extensions, middlewares) = _components("ours")
    assert imported == ""
    assert extensions >= 5 and middlewares >= 8  # the rest are still there
