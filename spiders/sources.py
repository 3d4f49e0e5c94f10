"""The spiders: one crawl of one configured source.

``scrapy crawl source -a source=NAME`` uses the source's configured ``kind``; the
``wordpress``, ``feed``, ``sitemap`` and ``html`` spiders force one. Strategy, for
WordPress (``auto`` finds out whether a site is one):

1. The REST API (``wp/v2/posts``) when the site announces or answers it: ids and
   ``modified_gmt`` catch edits, ``modified_after`` makes an unchanged rerun one request.
2. When the API is closed (401/403), absent, or answers no JSON (a security plugin's
   page): remembered until ``--full``; then the feed for new posts, with
   conditional requests; on a first run or ``--full``, the sitemap or the paginated
   listings for the whole archive (never the sitemap for a category start URL).
3. Listing pages, for non-WordPress sites: article links and rel=next, stopping at
   the first page whose articles are all known.
"""

from __future__ import annotations

import html
import json
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.encoding import http_content_type_encoding

import storage
from spiders import extract
from spiders.context import CrawlContext
from spiders.dates import parse_page_date
from spiders.discovery import (
    WELL_KNOWN_FEEDS,
    WELL_KNOWN_SITEMAPS,
    discover,
    rest_url,
    site_root,
    with_page,
)
from spiders.feeds import feed_entries, is_post_sitemap, sitemap_entries
from spiders.listing import parse_listing, resolve_link
from spiders.middlewares import quiet_network_tracebacks
from spiders.worker import PageHints, PageTask
from storage import Article
from wirewatch.config import Config, Crawl, Source, load_config
from wirewatch.logs import redact_logging, secret_values

logger = logging.getLogger(__name__)

REST_PAGE_SIZE = 100
# modified_after compares the site's local time: look back a day to cover any zone.
REST_OVERLAP = timedelta(days=1)
_TAGS = re.compile(r"<[^>]+>")
_HANDLE = [304, 400, 401, 403, 404, 410]
_NO_LINKS = (
    "no article links found on the listing page: set the source's [source.selectors]"
    " links to a CSS selector for them"
)


def apply_settings(settings: BaseSettings, crawl: Crawl, source: Source) -> None:
    """Copy the config's crawl settings into Scrapy's, for this source's crawler."""
    values = {
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency,
        "DOWNLOAD_DELAY": crawl.delay,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.delay, 0.5),
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "CLOSESPIDER_PAGECOUNT": source.max_pages or crawl.max_pages,
        "RETRY_TIMES": crawl.retries,
        "RETRY_MAX_WAIT": crawl.max_retry_after,
        "DOWNLOAD_MAXSIZE": crawl.max_page_size,
    }
    for key, value in values.items():
        settings.set(key, value, priority="spider")


class SourceSpider(scrapy.Spider):
    """Crawl one configured source (``-a source=NAME``) with the strategy its kind asks for."""

    name = "source"
    forced_kind: str | None = None
    config: Config
    src: Source
    context: CrawlContext
    status: str | None = None
    no_alerts: bool = False
    #: Why this source is not crawled now: another live process is crawling it.
    busy: str | None = None
    #: Whether a post sitemap failed and the listings were read instead (once a run).
    _listings_walked: bool = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SourceSpider:
        config = load_config(kwargs.pop("config", None) or crawler.settings.get("WIREWATCH_CONFIG"))
        redact_logging(config)
        quiet_network_tracebacks()
        if not kwargs.get("source"):
            raise ValueError("name the source to crawl: -a source=NAME")
        source = config.source(kwargs["source"])
        apply_settings(crawler.settings, config.crawl, source)
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.config, spider.src = config, source
        spider.allowed_domains = source.domains
        full = _flag(kwargs.get("full"))
        spider.no_alerts = _flag(kwargs.get("no_alerts"))
        db = storage.open_db(config.database)
        try:
            spider.context = CrawlContext(db, source, full=full, secrets=secret_values(config))
        except storage.SourceBusy as exc:
            db.close()
            spider.busy = str(exc)
            spider.logger.error("not crawled: %s", exc)
        crawler.signals.connect(spider.on_response, signal=signals.response_received)
        crawler.signals.connect(spider.on_spider_error, signal=signals.spider_error)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        return spider

    @property
    def kind(self) -> str:
        return self.forced_kind or self.src.kind

    @property
    def selectors(self) -> extract.Selectors:
        s = self.src.selectors
        return extract.Selectors(body=s.body, title=s.title, published=s.published, author=s.author)

    # -- signals -------------------------------------------------------------

    def on_response(self, response: Response, request: Request, spider: scrapy.Spider) -> None:
        if spider is not self or response.url.endswith("/robots.txt"):
            return
        if response.status == 304:
            self.context.counts.not_modified += 1
        self.context.counts.pages += 1

    def on_spider_error(self, failure: Failure, response: Response, spider: scrapy.Spider) -> None:
        """A callback raised (a page shaped as no one foresaw): the page counts as failed,
        so the run is not ``ok`` and the next one walks the archive again."""
        if spider is self and not self.busy:
            message = f"{failure.type.__name__}: {failure.getErrorMessage()}"
            self.context.error(response.url, "spider", message)

    def on_closed(self, spider: scrapy.Spider, reason: str) -> None:
        if spider is not self:
            return
        if self.busy:
            self.status = "busy"  # no run of ours to close: the other process records its own
            return
        requests = self.crawler.stats.get_value("downloader/request_count", 0)
        if dropped := self.crawler.stats.get_value("offsite/filtered", 0):
            # Scrapy drops them without a word: a feed linking through a tracking host,
            # an API or sitemap that moved. Said here, so the run is not "ok".
            self.context.error(
                self.src.url,
                "offsite",
                f"{dropped} request(s) to hosts outside {', '.join(self.allowed_domains)}"
                " were dropped (a redirecting feed link, a moved site?): see the source's"
                " allowed_domains",
            )
        try:
            self.status = self.context.finish(reason, requests)
        except sqlite3.Error as exc:  # a full disk: the next run closes this one as interrupted
            self.logger.error("cannot record the end of the run: %s", exc)
            self.status = "failed"
        self.context.db.close()

    # -- entry ---------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        if self.busy:
            return
        for request in self.entry_requests():
            yield request

    def entry_requests(self) -> Iterator[Request]:
        state, full = self.context.state, self.context.full
        feeds = self._feeds(state)
        if self.kind in ("auto", "wordpress") and not full and self._rest_usable(state):
            yield self.rest_request(state["api_root"], 1)
        elif self.kind in ("auto", "wordpress", "feed") and not self.context.walk_all and feeds:
            # Known feed, no usable API: an unchanged site answers this one request with 304.
            yield self.feed_request(feeds[0], 1)
        else:
            yield Request(
                self.src.url, self.parse_start, errback=self.entry_error, dont_filter=True
            )

    @staticmethod
    def _rest_usable(state: dict) -> bool:
        if not state.get("api_root") or state.get("rest_closed"):
            return False
        return not state.get("is_archive") or _term_id(state) is not None

    def _feeds(self, state: dict) -> list[str]:
        return [self.src.feed] if self.src.feed else list(state.get("feeds") or [])

    def parse_start(self, response: Response) -> Iterator[Any]:
        """Read the start page: where the API, feeds and archive term are; pick a strategy."""
        if not _on_site(response.url, self.allowed_domains):
            # The site moved: everything found from here would be dropped as off-site.
            self.context.entry_failed(
                response.url,
                f"the start URL redirects to another host ({response.url}): the site may have"
                " moved; set the source's url to it (or add its host to allowed_domains)",
            )
            return
        self.context.entry_ok = True
        links = [h.decode("latin-1") for h in response.headers.getlist(b"Link")]
        found = discover(response.text, response.url, links)
        guess_api = found.is_wordpress or self.kind == "wordpress"
        guessed = self.kind in ("auto", "wordpress") and not found.api_root and guess_api
        if guessed:
            found.api_root = urljoin(site_root(response.url), "wp-json/")
        # A closed API stays remembered as closed until --full looks again.
        reopen = {"rest_closed": False} if self.context.full else {}
        self.context.update_state(
            **found.as_state(),
            **reopen,
            api_guessed=guessed,
            discovered=_now(),
            start_url=response.url,
        )
        yield from self.after_discovery(response)

    def after_discovery(self, response: Response) -> Iterator[Any]:
        state = self.context.state
        if self.kind == "html":
            yield from self.parse_listing(response)
        elif self.kind == "feed":
            feeds = self._feeds(state) or [urljoin(response.url, p) for p in WELL_KNOWN_FEEDS[:1]]
            yield self.feed_request(feeds[0], 1, fallback=response)
        elif self.kind == "sitemap":
            yield from self.sitemap_chain(response)
        elif state.get("api_root") and not state.get("rest_closed"):
            yield from self.rest_or_term(state, response)
        else:
            yield from self.fallback(response)

    def rest_or_term(self, state: dict, response: Response) -> Iterator[Request]:
        term = state.get("term")
        if state.get("is_archive") and not term:
            yield from self.fallback(response)  # an archive we cannot name: read its listing
        elif term and not str(term[1]).isdigit():
            url = rest_url(state["api_root"], f"wp/v2/{term[0]}", {"slug": term[1]})
            yield Request(url, self.parse_term, errback=self.rest_error, meta=_meta(response))
        else:
            yield self.rest_request(state["api_root"], 1, start=response)

    def entry_error(self, failure: Failure) -> None:
        self.context.entry_failed(failure.request.url, _describe(failure))

    # -- REST API --------------------------------------------------------------

    def rest_request(self, api_root: str, page: int, start: Response | None = None) -> Request:
        state = self.context.state
        params: dict[str, object] = {
            "per_page": REST_PAGE_SIZE,
            "page": page,
            "orderby": "modified",
            "order": "desc",
            "_embed": "author,wp:term",
        }
        term = _term_id(state)
        if state.get("is_archive") and term:
            params[term[0]] = term[1]
        since = self._modified_since()
        if since:
            params["modified_after"] = since
        return Request(
            rest_url(api_root, "wp/v2/posts", params),
            self.parse_rest,
            errback=self.rest_error,
            meta={
                "rest_page": page,
                "api_root": api_root,
                "start_response": start,
                "handle_httpstatus_list": _HANDLE,
            },
            dont_filter=True,
        )

    def _modified_since(self) -> str | None:
        if self.context.walk_all:
            return None
        stamps = [_parse_iso(v) for v in self.context.known_ids.values() if v]
        stamps = [s for s in stamps if s]
        if not stamps:
            return None
        return (max(stamps) - REST_OVERLAP).strftime("%Y-%m-%dT%H:%M:%S")

    def parse_term(self, response: Response) -> Iterator[Any]:
        found = _json(response)
        if response.status != 200 or not isinstance(found, list) or not found:
            yield from self.rest_unusable(response)
            return
        state = self.context.state
        self.context.update_state(term=[state["term"][0], str(found[0].get("id"))])
        yield self.rest_request(state["api_root"], 1, start=response.meta.get("start_response"))

    def parse_rest(self, response: Response) -> Iterator[Any]:
        posts = _json(response)
        if response.status == 400 and response.meta["rest_page"] > 1:
            return  # rest_post_invalid_page_number: past the last page
        if response.status != 200 or not isinstance(posts, list):
            yield from self.rest_unusable(response)
            return
        self.context.entry_ok = True
        for post in posts:
            if isinstance(post, dict) and self._rest_post_changed(post):
                yield from self.article_from_rest(post, response)
        page = response.meta["rest_page"]
        # Without the header (a CDN or a hardening plugin strips it), a full page may
        # have a next one: ask, and a 400 or an empty page ends the walk.
        full_page = page + 1 if len(posts) >= REST_PAGE_SIZE else page
        total = _int(response.headers.get(b"X-WP-TotalPages"), default=full_page)
        if page < total and posts:
            yield self.rest_request(response.meta["api_root"], page + 1)

    def _rest_post_changed(self, post: dict) -> bool:
        if self.context.full:
            return True
        stored = self.context.known_ids.get(f"wp:{post.get('id')}")
        return stored is None or _parse_iso(stored) != _gmt(post.get("modified_gmt"))

    def article_from_rest(self, post: dict, response: Response) -> Iterator[Any]:
        link = post.get("link")
        link = (_web_url(response.url, link) if isinstance(link, str) and link else None) or ""
        content = post.get("content") if isinstance(post.get("content"), dict) else {}
        if content.get("protected"):
            # Password-protected: the API and the page both withhold the text. Not a
            # failure of the crawl, which would make every later run walk the archive.
            self.logger.info("%s: password-protected post %s skipped", self.src.name, link)
            self.context.counts.protected += 1
            return
        paragraphs = extract.extract_body(content.get("rendered") or "", base_url=link)
        published = _gmt(post.get("date_gmt")) or parse_page_date(post.get("date") or "")
        hints = PageHints(f"wp:{post.get('id')}", published, _gmt(post.get("modified_gmt")))
        if not paragraphs and link:
            # The API left the text out (a plugin, ``_fields``): the page has it.
            yield self.article_request(link, hints)
            return
        if not paragraphs or not link:
            problem = "has no body text" if not paragraphs else "has no link"
            self.context.error(response.url, "extraction", f"REST post {problem}")
            return
        categories, tags = _rest_terms(post)
        author = ((post.get("_embedded") or {}).get("author") or [{}])[0]
        yield Article(
            source=self.src.name,
            url=link,
            title=_plain((post.get("title") or {}).get("rendered")),
            paragraphs=paragraphs,
            published=published,
            modified=hints.modified,
            author=author.get("name") if isinstance(author, dict) else None,
            categories=categories,
            tags=tags,
            external_id=hints.external_id,
        )

    def rest_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        response = getattr(failure.value, "response", None)
        self.context.error(request.url, "rest", _describe(failure))
        yield from self.rest_unusable(response, request, recorded=True)

    def rest_unusable(
        self, response: Response | None, request: Request | None = None, *, recorded: bool = False
    ) -> Any:
        """The API is closed or broken: remember that, and read the site another way."""
        status = response.status if response is not None else None
        where = response if response is not None else request
        start = where.meta.get("start_response") if where is not None else None
        state = self.context.state
        if status == 404 and state.get("api_guessed") and "rest_route=" not in state["api_root"]:
            # No /wp-json/ (plain permalinks, no rewrite rules): the query form always works.
            plain = site_root(state["api_root"]) + "?rest_route=/"
            self.context.update_state(api_root=plain)
            yield self.rest_request(plain, 1, start=start)
            return
        if status in (401, 403) or (status == 404 and state.get("api_guessed")):
            self.context.update_state(rest_closed=True)
        elif status is not None and 200 <= status < 300:
            # Not JSON: a security plugin's page, or a site without the API whose home
            # page answers ``?rest_route=``. Closed, as far as a crawl can tell.
            self.logger.warning(
                "%s: the REST API at %s answered with no JSON list; reading the site "
                "without it until --full",
                self.src.name,
                response.url,
            )
            self.context.update_state(rest_closed=True)
        elif status is not None and status != 404 and not recorded:
            self.context.error(response.url, "rest", f"REST API answered HTTP {status}")
        if start is not None:
            yield from self.fallback(start)
        else:
            yield Request(self.src.url, self.parse_fallback, errback=self.entry_error)

    def parse_fallback(self, response: Response) -> Iterator[Any]:
        self.context.entry_ok = True
        yield from self.fallback(response)

    def fallback(self, start: Response) -> Iterator[Any]:
        """No usable API: feed for news, sitemap or listings for the whole archive."""
        state = self.context.state
        feeds = self._feeds(state)
        if self.context.walk_all and not state.get("is_archive"):
            yield from self.sitemap_chain(start)
        elif feeds and not self.context.walk_all:
            yield self.feed_request(feeds[0], 1, fallback=start)
        else:
            yield from self.parse_listing(start)

    # -- feeds -----------------------------------------------------------------

    def feed_request(self, url: str, page: int, fallback: Response | None = None) -> Request:
        meta = {"feed": url, "feed_page": page, "conditional": page == 1}
        meta["handle_httpstatus_list"] = _HANDLE
        if fallback is not None:
            meta["start_response"] = fallback
        return Request(with_page(url, page), self.parse_feed, errback=self.feed_error, meta=meta)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        page = response.meta["feed_page"]
        if response.status == 304:
            self.context.entry_ok = True
            return
        entries = feed_entries(response.body) if response.status == 200 else None
        if entries is None:
            if page == 1:
                yield from self.feed_unusable(response, f"HTTP {response.status}, not a feed")
            return
        self.context.entry_ok = True
        # A link may be relative (to the feed's URL; Atom's xml:base is applied already).
        dated = {}
        for entry in entries:
            if link := _web_url(response.url, entry.link):
                dated.setdefault(link, parse_page_date(entry.published or ""))
        fresh = [link for link in dated if self.context.wanted(link)]
        for link in fresh:
            yield self.article_request(link, PageHints(published=dated[link]))
        if dated and (self.context.walk_all or len(fresh) == len(dated)):
            yield self.feed_request(response.meta["feed"], page + 1)

    def feed_error(self, failure: Failure) -> Iterator[Any]:
        if failure.request.meta.get("feed_page", 1) == 1:
            yield from self.feed_unusable(failure.request, _describe(failure))

    def feed_unusable(self, where: Response | Request, message: str) -> Iterator[Any]:
        start = where.meta.get("start_response")
        self.context.error(where.url, "feed", message)
        if start is not None:
            yield from self.parse_listing(start)
        else:
            # The remembered feed is gone: forget it and read the listings instead.
            self.context.update_state(feeds=[])
            yield Request(self.src.url, self.parse_listing, errback=self.entry_error)

    # -- sitemaps --------------------------------------------------------------

    def sitemap_chain(self, start: Response) -> Iterator[Request]:
        """Try the configured sitemap, then those robots.txt names, then well-known ones;
        the listings if none answers."""
        root = site_root(start.url)
        candidates = [urljoin(root, p.lstrip("/")) for p in WELL_KNOWN_SITEMAPS]
        if self.src.sitemap:
            yield self.sitemap_request(self.src.sitemap, candidates, start)
            return
        meta = {"candidates": candidates, "start_response": start}
        meta["handle_httpstatus_list"] = _HANDLE
        yield Request(
            urljoin(root, "robots.txt"),
            self.parse_robots,
            errback=self.robots_error,
            meta=meta,
            dont_filter=True,
        )

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """Read every post sitemap robots.txt names (a plugin's own path, a ``.xml.gz``, a
        news sitemap beside the main one); the well-known paths when it names none."""
        start = response.meta["start_response"]
        named = []
        if response.status == 200 and isinstance(response, TextResponse):
            for line in response.text.splitlines():
                field, _, value = line.partition(":")
                if field.strip().lower() == "sitemap" and (
                    url := _web_url(response.url, value, canonical=False)
                ):
                    named.append(url)
        named = [url for url in dict.fromkeys(named) if is_post_sitemap(url)]
        for url in named:
            yield self.sitemap_request(url, [], start, child=True)
        if not named:
            candidates = response.meta["candidates"]
            yield self.sitemap_request(candidates[0], candidates[1:], start)

    def robots_error(self, failure: Failure) -> Iterator[Request]:
        candidates = failure.request.meta["candidates"]
        start = failure.request.meta["start_response"]
        yield self.sitemap_request(candidates[0], candidates[1:], start)

    def sitemap_request(
        self, url: str, rest: list[str], start: Response | None, *, child: bool = False
    ) -> Request:
        meta = {"candidates": rest, "start_response": start, "handle_httpstatus_list": _HANDLE}
        meta["child"] = child
        return Request(url, self.parse_sitemap, errback=self.sitemap_error, meta=meta)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        parsed = sitemap_entries(response.body) if response.status == 200 else None
        if parsed is None:
            yield from self.next_sitemap(response.request)
            return
        self.context.entry_ok = True
        is_index, entries = parsed
        start = response.meta.get("start_response")
        if is_index:
            for entry in entries:
                loc = _web_url(response.url, entry.loc, canonical=False)
                if loc and is_post_sitemap(loc):
                    yield self.sitemap_request(loc, [], start, child=True)
            return
        for entry in entries:
            loc = _web_url(response.url, entry.loc, canonical=False)
            if loc and self.context.wanted(loc):
                yield self.article_request(loc)

    def sitemap_error(self, failure: Failure) -> Iterator[Any]:
        yield from self.next_sitemap(failure.request, _describe(failure))

    def next_sitemap(self, request: Request, message: str = "not a sitemap") -> Iterator[Any]:
        candidates, start = request.meta.get("candidates"), request.meta.get("start_response")
        if candidates:
            yield self.sitemap_request(candidates[0], candidates[1:], start)
        elif start is None:
            self.context.error(request.url, "sitemap", message)
        elif not request.meta.get("child"):
            yield from self.parse_listing(start)
        elif not self._listings_walked:
            # A post sitemap the index names cannot be read: its articles are in the
            # listings too. Walked once, however many of the index's sitemaps fail.
            self.logger.warning(
                "%s: sitemap %s: %s; reading the listings instead",
                self.src.name,
                request.url,
                message,
            )
            self._listings_walked = True
            yield from self.parse_listing(start)

    # -- listings and articles ----------------------------------------------------

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """Follow unknown article links; go on to older pages until known articles appear."""
        self.context.entry_ok = True
        links, older = parse_listing(
            response.text,
            response.url,
            links_css=self.src.selectors.links,
            next_css=self.src.selectors.next,
        )
        if not links and self.context.first_run and not response.meta.get("older"):
            # Said, not left to look like an empty site: the theme's links were not found.
            self.context.error(response.url, "listing", _NO_LINKS)
        links = [storage.canonical_url(link) for link in links]
        fresh = [link for link in links if self.context.wanted(link)]
        for link in fresh:
            yield self.article_request(link)
        if older and (self.context.walk_all or (links and len(fresh) == len(links))):
            meta = {"older": True}
            yield Request(older, self.parse_listing, errback=self.page_error, meta=meta)

    def article_request(self, url: str, hints: PageHints | None = None) -> Request:
        meta = {"hints": hints} if hints else None
        return Request(url, self.parse_article, errback=self.page_error, meta=meta)

    def parse_article(self, response: Response) -> Iterator[Any]:
        """Hand the page to the ingest worker, which extracts and stores it."""
        # Not hasattr(response, "text"): that property decodes the whole body, which the
        # extraction does again from the bytes.
        if not isinstance(response, TextResponse):
            self.context.error(response.url, "extraction", "not an HTML page")
            return
        yield PageTask(
            source=self.src.name,
            url=response.url,
            requested=(response.meta.get("redirect_urls") or [response.url])[0],
            body=response.body,
            # The header's charset only: Scrapy's own guess for a page that declares none
            # (cp1250 for French names in windows-1252) would overrule the extraction's
            # <meta>, then UTF-8, then windows-1252.
            encoding=http_content_type_encoding(
                response.headers.get(b"Content-Type", b"").decode("latin-1")
            ),
            selectors=self.selectors,
            hints=response.meta.get("hints"),
        )

    def page_error(self, failure: Failure) -> None:
        if failure.check(HttpError) and failure.value.response.status in (404, 410):
            self.context.missing(failure.request.url)
        self.context.error(failure.request.url, "fetch", _describe(failure))


class WordPressSpider(SourceSpider):
    """A WordPress source, whatever its configured kind says."""

    name = "wordpress"
    forced_kind = "wordpress"


class FeedSpider(SourceSpider):
    """A source read through its feed (the archive through its listings)."""

    name = "feed"
    forced_kind = "feed"


class SitemapSpider(SourceSpider):
    """A source read through its sitemap."""

    name = "sitemap"
    forced_kind = "sitemap"


class HtmlSpider(SourceSpider):
    """A source read through its listing pages: article links and rel=next."""

    name = "html"
    forced_kind = "html"


SPIDERS = {s.forced_kind: s for s in (WordPressSpider, FeedSpider, SitemapSpider, HtmlSpider)}


def spider_for(source: Source) -> type[SourceSpider]:
    """The spider class for a source's configured kind."""
    return SPIDERS.get(source.kind, SourceSpider)


# -- small helpers ---------------------------------------------------------------


def _flag(value: object) -> bool:
    """A spider argument (-a name=1) as a boolean."""
    return str(value or "").lower() in ("1", "true", "yes")


def _web_url(base: str, link: str, *, canonical: bool = True) -> str | None:
    """``link`` made absolute (and canonical), or None when it is no http(s) URL.

    Feeds and sitemaps of real sites hold relative links, ``mailto:`` and malformed
    ones (``http://[oops``); one of those must not cost the document's other links.
    """
    url = resolve_link(base, link.strip())
    if url is None:
        logger.warning("not a URL, skipped: %r (in %s)", link, base)
        return None
    if not url.startswith(("http://", "https://")):
        return None
    return storage.canonical_url(url) if canonical else url


def _on_site(url: str, domains: list[str]) -> bool:
    """Whether ``url``'s host is one of ``domains`` or under one, as Scrapy's off-site
    filter judges it (a port does not count)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in (d.lower() for d in domains))


def _meta(start: Response) -> dict:
    return {"start_response": start, "handle_httpstatus_list": _HANDLE}


def _term_id(state: dict) -> tuple[str, str] | None:
    term = state.get("term")
    if term and str(term[1]).isdigit():
        return term[0], str(term[1])
    return None


def _describe(failure: Failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    value = failure.value
    return f"{type(value).__name__}: {value}".strip().rstrip(":")


def _json(response: Response) -> Any:
    try:
        return json.loads(response.body)
    except ValueError:
        return None


def _int(value: bytes | None, *, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _gmt(value: str | None) -> datetime | None:
    """A WordPress ``*_gmt`` field (no zone given, UTC meant) as an aware datetime."""
    parsed = _parse_iso(value)
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _plain(rendered: str | None) -> str | None:
    text = html.unescape(_TAGS.sub("", rendered or "")).strip()
    return " ".join(text.split()) or None


def _rest_terms(post: dict) -> tuple[list[str], list[str]]:
    categories: list[str] = []
    tags: list[str] = []
    for group in (post.get("_embedded") or {}).get("wp:term") or []:
        for term in group if isinstance(group, list) else []:
            name = _plain(term.get("name")) if isinstance(term, dict) else None
            if name and term.get("taxonomy") == "category":
                categories.append(name)
            elif name and term.get("taxonomy") == "post_tag":
                tags.append(name)
    return categories, tags


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
