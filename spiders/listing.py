"""Reading listing pages (home, category, archive, news index): article links and the next page.

Known theme patterns first, then generic ones (headings inside ``<article>``,
headings with links in the main column). A source's ``links`` / ``next``
selectors replace the guesses for a site whose markup defeats them.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

_LINK_PATTERNS = [
    CSSSelector(css)
    for css in (
        "article .entry-title a, .entry-title a[href], a[rel~=bookmark]",
        ".post-title a, .td-module-title a, h2.title a, .headline a, .teaser-title a",
        "article h1 a, article h2 a, article h3 a",
        "main h2 a, main h3 a, #content h2 a, #content h3 a, #main h2 a, #main h3 a",
    )
] + [
    # Teaser cards that wrap the heading in the link: <a href><h2>Title</h2></a>.
    etree.XPath("//a[@href][.//h1 or .//h2 or .//h3 or .//h4]"),
]
_NEXT_PATTERNS = [
    CSSSelector(css)
    for css in (
        "link[rel~=next], a[rel~=next]",
        "a.next.page-numbers, .pagination a.next, .nav-previous a, a.next, li.next a",
        ".older-posts a, a.older-posts",
    )
]
_NOT_ARTICLE = re.compile(
    r"/(category|tag|tags|author|page|feed|wp-login\.php|wp-admin|comments)(/|$)|[?&](cat|tag|paged|feed|s)="
)


def parse_listing(
    body: str, url: str, *, links_css: str | None = None, next_css: str | None = None
) -> tuple[list[str], str | None]:
    """Article links on a listing page, in page order, and the next (older) page if any."""
    doc = lxml_html.fromstring(body or "<html></html>", base_url=url)
    return article_links(doc, url, links_css), next_page(doc, url, next_css)


def _links_base(doc: lxml_html.HtmlElement, url: str) -> str:
    """What the page's links are relative to: its ``<base href>``, else its own URL."""
    base = doc.find(".//base[@href]")
    return (resolve_link(url, base.get("href", "").strip()) or url) if base is not None else url


def article_links(doc: lxml_html.HtmlElement, url: str, css: str | None = None) -> list[str]:
    """Links to articles on the page: the first pattern that finds any wins."""
    patterns = [CSSSelector(css)] if css else _LINK_PATTERNS
    host, base = _bare_host(url), _links_base(doc, url)
    for pattern in patterns:
        found: list[str] = []
        for anchor in pattern(doc):
            target = resolve_link(base, (anchor.get("href") or "").strip())
            if target is None or target in found:
                continue
            if _looks_like_article(target, host, explicit=bool(css)):
                found.append(target)
        if found:
            return found
    return []


def next_page(doc: lxml_html.HtmlElement, url: str, css: str | None = None) -> str | None:
    """The next (older) listing page, from rel=next or the theme's pagination links."""
    patterns = [CSSSelector(css)] if css else _NEXT_PATTERNS
    base = _links_base(doc, url)
    for pattern in patterns:
        for element in pattern(doc):
            href = (element.get("href") or "").strip()
            if href and not href.startswith(("#", "javascript:")):
                target = resolve_link(base, href)
                if target and target.split("#")[0] != url.split("#")[0]:
                    return target
    return None


def resolve_link(url: str, href: str) -> str | None:
    """``href`` made absolute against ``url``; None for one that is no URL
    (``http://[oops``, a port out of range): one bad link must not cost the page's others."""
    try:
        target = urljoin(url, href)
        urlsplit(target).port  # noqa: B018 (raises for a port out of range)
    except ValueError:
        return None
    return target


def _looks_like_article(target: str, host: str | None, *, explicit: bool) -> bool:
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or _bare_host(target) != host:
        return False
    if explicit:
        return True
    return bool(parts.path.strip("/") or parts.query) and not _NOT_ARTICLE.search(
        parts.path + ("?" + parts.query if parts.query else "")
    )


def _bare_host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host
