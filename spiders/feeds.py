"""Parsing feeds (RSS 2.0, Atom) and sitemaps (urlset and index) safely.

The XML parser never resolves entities, never loads a DTD and never touches the
network, so an entity bomb or an external entity in a hostile feed stays inert.
"""

from __future__ import annotations

import gzip
import io
import logging
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

logger = logging.getLogger(__name__)

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
)
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_GZIP_MAGIC = b"\x1f\x8b"
#: The most a gzipped document may unpack to: the sitemap protocol's own limit, 50 MB.
MAX_UNPACKED = 50 * 1024 * 1024
_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class FeedEntry:
    """One feed entry: where it links, its id, and its dates as the feed gave them."""

    link: str
    guid: str | None
    title: str | None
    published: str | None
    updated: str | None


@dataclass(frozen=True)
class SitemapEntry:
    """A ``<loc>`` of a sitemap, with its ``<lastmod>`` when given."""

    loc: str
    lastmod: str | None


def parse_xml(body: bytes) -> etree._Element | None:
    """The document's root, or None when the bytes are not XML or were an entity bomb.

    Entities are never expanded, yet libxml2 still counts a billion-laughs
    document's amplification, stops, and (recovering) returns a tree cut short
    there. A document that declares entities and was cut short is refused whole,
    so the crawl reads the site another way rather than trust half a feed.
    """
    if body.startswith(_GZIP_MAGIC):
        unpacked = _gunzip(body)
        if unpacked is None:
            return None
        body = unpacked
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    dtd = root.getroottree().docinfo.internalDTD
    damaged = any(e.level >= etree.ErrorLevels.ERROR for e in _PARSER.error_log)
    if damaged and dtd is not None and any(True for _ in dtd.iterentities()):
        logger.warning("XML document refused: its entities exceed the parser's limits")
        return None
    return root


def _gunzip(body: bytes) -> bytes | None:
    """A gzipped document's bytes (``sitemap.xml.gz`` served as a file, not with a
    ``Content-Encoding`` that the HTTP layer would undo); None when it is damaged or
    unpacks to more than :data:`MAX_UNPACKED`, as a gzip bomb would."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as packed:
            unpacked = packed.read(MAX_UNPACKED + 1)
    except (OSError, EOFError, zlib.error):
        logger.warning("gzipped document refused: it does not unpack")
        return None
    if len(unpacked) > MAX_UNPACKED:
        logger.warning("gzipped document refused: it unpacks to over %d bytes", MAX_UNPACKED)
        return None
    return unpacked


def feed_entries(body: bytes) -> list[FeedEntry] | None:
    """Entries of an RSS or Atom feed; None when the body is not a feed."""
    root = parse_xml(body)
    if root is None:
        return None
    if etree.QName(root).localname == "rss":
        return [_rss_entry(item) for item in root.iter("item") if _text(item, "link")]
    if root.tag == f"{_ATOM}feed":
        return [e for e in (_atom_entry(x) for x in root.iter(f"{_ATOM}entry")) if e.link]
    return None


def _rss_entry(item: etree._Element) -> FeedEntry:
    return FeedEntry(
        link=_text(item, "link") or "",
        guid=_text(item, "guid"),
        title=_text(item, "title"),
        published=_text(item, "pubDate"),
        updated=None,
    )


def _atom_entry(entry: etree._Element) -> FeedEntry:
    link = ""
    for el in entry.iter(f"{_ATOM}link"):
        if el.get("rel", "alternate") == "alternate":
            # Relative to the entry's xml:base, if any; the crawl resolves what is
            # still relative against the feed's own URL.
            link = urljoin(el.base or "", el.get("href", "").strip())
            break
    return FeedEntry(
        link=link,
        guid=_text(entry, f"{_ATOM}id"),
        title=_text(entry, f"{_ATOM}title"),
        published=_text(entry, f"{_ATOM}published"),
        updated=_text(entry, f"{_ATOM}updated"),
    )


def sitemap_entries(body: bytes) -> tuple[bool, list[SitemapEntry]] | None:
    """(is_index, entries) of a sitemap; None when the body is not a sitemap."""
    root = parse_xml(body)
    if root is None:
        return None
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        return None
    entries = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = lastmod = None
        for child in node:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = (child.text or "").strip() or None
        if loc:
            entries.append(SitemapEntry(loc, lastmod))
    return kind == "sitemapindex", entries


def is_post_sitemap(url: str) -> bool:
    """Whether a child sitemap of an index lists posts (not pages, terms or users).

    Only the sitemap's own name is read: a host or folder such as ``heritage-monitor``
    or ``/blog-pages/`` says nothing of what the file lists.
    """
    parts = urlsplit(url)
    lowered = (parts.path.rsplit("/", 1)[-1] + "?" + parts.query).lower()
    skip = ("page-sitemap", "-pages-", "taxonomies", "category", "tag", "author", "users", "-page")
    return not any(s in lowered for s in skip)


def _text(node: etree._Element, tag: str) -> str | None:
    child = node.find(tag)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None
