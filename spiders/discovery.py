"""What a site's start page says about where its posts can be read.

WordPress announces its REST API (``<link rel="https://api.w.org/">``) and its feeds
(``<link rel="alternate" type="application/rss+xml">``); an archive page names its
term in a JSON alternate link or in ``<body class="category-3">``. Where the page
says nothing, well-known paths are tried. Pure functions over HTML, no requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from lxml import html as lxml_html

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
WELL_KNOWN_FEEDS = ("/feed/", "/?feed=rss2")
WELL_KNOWN_SITEMAPS = ("/wp-sitemap.xml", "/sitemap_index.xml", "/sitemap.xml")
_TERM_LINK = re.compile(r"/wp/v2/(categories|tags)/(\d+)")
_BODY_TERM = re.compile(r"\b(category|tag)-(\d+)\b")
_LINK_HEADER = re.compile(r'<([^>]+)>\s*;\s*rel="?([^";]+)"?')
_PATH_TERM = re.compile(r"/(category|tag)/(?:[^/]+/)*([^/]+)/?$")


@dataclass
class Discovery:
    """Endpoints found on a start page. ``term`` is ("categories"|"tags", id or slug)."""

    api_root: str | None = None
    feeds: list[str] = field(default_factory=list)
    is_wordpress: bool = False
    is_archive: bool = False
    term: tuple[str, str] | None = None

    def as_state(self) -> dict:
        return {
            "api_root": self.api_root,
            "feeds": self.feeds,
            "is_wordpress": self.is_wordpress,
            "is_archive": self.is_archive,
            "term": list(self.term) if self.term else None,
        }


def discover(body: str, url: str, link_headers: list[str] | None = None) -> Discovery:
    """Read the start page at ``url`` for the REST root, feeds and the archive's term.

    ``link_headers`` are the response's HTTP ``Link`` headers: WordPress announces its
    API there too, which survives plugins that strip the ``<link>`` tag from the page.
    """
    doc = lxml_html.fromstring(body or "<html></html>", base_url=url)
    found = Discovery()
    found.api_root = _api_from_headers(link_headers or [], url)
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if not href:
            continue
        kind = (link.get("type") or "").lower()
        if "https://api.w.org/" in rel:
            found.api_root = urljoin(url, href)
        elif "alternate" in rel and kind in FEED_TYPES and not _is_comments_feed(link, href):
            found.feeds.append(urljoin(url, href))
        elif "alternate" in rel and kind == "application/json" and _TERM_LINK.search(href):
            taxonomy, term_id = _TERM_LINK.search(href).groups()
            found.term = (taxonomy, term_id)
    found.is_wordpress = bool(found.api_root) or "/wp-content/" in body or "/wp-includes/" in body
    body_class = " ".join(doc.xpath("//body/@class"))
    found.is_archive = _is_archive_url(url) or any(
        c in body_class.split() for c in ("archive", "category", "tag")
    )
    if found.term is None and found.is_archive:
        found.term = _term_from(body_class, url)
    # The site-wide feed is listed after an archive's own feed; keep the archive's first.
    return found


def _api_from_headers(headers: list[str], url: str) -> str | None:
    for header in headers:
        for part in header.split(","):
            match = _LINK_HEADER.match(part.strip())
            if match and "https://api.w.org/" in match.group(2).split():
                return urljoin(url, match.group(1))
    return None


def _is_comments_feed(link, href: str) -> bool:
    title = (link.get("title") or "").lower()
    return "comments" in title or "/comments/" in href or "feed=comments" in href


def _is_archive_url(url: str) -> bool:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    return bool(_PATH_TERM.search(parts.path)) or "cat" in query or "tag" in query


def _term_from(body_class: str, url: str) -> tuple[str, str] | None:
    match = _BODY_TERM.search(body_class)
    if match:
        return ("categories" if match.group(1) == "category" else "tags", match.group(2))
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if query.get("cat", [""])[0].isdigit():
        return ("categories", query["cat"][0])
    match = _PATH_TERM.search(parts.path)
    if match:
        return ("categories" if match.group(1) == "category" else "tags", match.group(2))
    return None


def site_root(url: str) -> str:
    """Scheme and host of ``url``, with a trailing slash."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def rest_url(api_root: str, route: str, params: dict[str, object]) -> str:
    """A REST URL for ``route`` under ``api_root``, pretty (/wp-json/) or plain (?rest_route=)."""
    query = {k: v for k, v in params.items() if v is not None}
    parts = urlsplit(api_root)
    if "rest_route=" in parts.query:
        base = api_root.split("?", 1)[0]
        return f"{base}?" + urlencode({"rest_route": "/" + route.lstrip("/"), **query})
    joined = urljoin(api_root if api_root.endswith("/") else api_root + "/", route.lstrip("/"))
    return f"{joined}?{urlencode(query)}" if query else joined


def with_page(feed_url: str, page: int) -> str:
    """The ``page``-th page of a WordPress feed (``?paged=N``)."""
    joiner = "&" if "?" in feed_url else "?"
    return feed_url if page <= 1 else f"{feed_url}{joiner}paged={page}"
