"""Turn an article page's HTML into clean metadata and body paragraphs.

:func:`extract_page` reads a whole page: the article body, located by the source's configured
selector, else known theme containers, else a readability-like scoring of containers; then the
metadata, from ``<meta>``, JSON-LD, ``<time>`` and theme markup around the body.
:func:`extract_body` reads a body fragment such as a WordPress REST ``content.rendered``.

Inside the body, non-article elements (scripts, figures and captions, share blocks, related
posts, comments, author boxes, tag lines ...) are skipped while the text is read, headings become
the ``section`` of the paragraphs below them, and what is left is filtered by the text rules of
:mod:`spiders.boilerplate`.

Speed matters (this runs on every page of a crawl). Measured with lxml 6, XPath and CSS
selectors that test ``@class`` on every element cost 0.3-0.5 ms each on an 80 KB WordPress page,
so theme markup is found by one pass over a few tag names with set look-ups on class tokens,
and metadata markup is looked for first in the article element around the body.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from html import unescape
from itertools import islice
from urllib.parse import urljoin, urlsplit

from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector
from w3lib.encoding import html_to_unicode

from spiders.boilerplate import match_rule, opens_like_reporting
from spiders.dates import parse_page_date
from storage.model import Paragraph

try:  # storage's optional C module (storage/_fastdup.c)
    from storage._fastdup import ascii_squeeze as _ascii_squeeze
except ImportError:  # pragma: no cover - built with no compiler
    _ascii_squeeze = None

__all__ = ["Page", "Selectors", "compile_selector", "extract_body", "extract_page"]

Element = etree._Element


@dataclass
class Selectors:
    """Per-source CSS overrides from the config; each one, when it matches, wins."""

    body: str | None = None
    title: str | None = None
    published: str | None = None  # element whose datetime/content attribute or text holds it
    author: str | None = None


@dataclass
class Page:
    """What one fetched page says about itself, as clean text.

    ``published`` is an aware datetime when the page gives a time with a zone, else a date;
    ``modified`` is kept only as an aware datetime. ``body_found`` is False when no article
    body could be located (a listing, a 404 page), and then ``paragraphs`` is empty.
    ``dropped`` lists the body lines removed as boilerplate, with the reason, for logs.
    """

    url: str
    canonical: str | None = None
    title: str | None = None
    author: str | None = None
    published: datetime | date | None = None
    modified: datetime | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    body_found: bool = False
    language: str | None = None
    dropped: list[tuple[str, str]] = field(default_factory=list)
    #: WordPress's post id, from the ``postid-N`` class it gives a single post's <body>.
    post_id: int | None = None


# --- where themes put things ----------------------------------------------------------------

# Article-body containers of common themes, most specific first (rank = position).
_BODY_CLASSES = (
    "entry-content", "post-content", "td-post-content", "tdb_single_content", "post-body",
    "article-body", "article-content", "article__body", "story-body", "single-content",
    "post-entry", "entry-body", "blog-post-content", "field--name-body",
    "elementor-widget-theme-post-content", "et_pb_post_content",
)  # fmt: skip
_BODY_RANK = {name: rank for rank, name in enumerate(_BODY_CLASSES)}
_ITEMPROP_BODY_RANK = len(_BODY_CLASSES)  # [itemprop=articleBody]
_ARTICLE_CONTENT_RANK = _ITEMPROP_BODY_RANK + 1  # article .content
_BODY_TAGS = ("div", "section", "article", "main", "td")
# Ancestors that delimit one post: its title, byline, dates and terms are inside.
_POST_CLASSES = frozenset(("hentry", "post", "type-post", "h-entry", "article", "blog-post"))
_TITLE_CLASSES = frozenset(("entry-title", "post-title", "article-title", "headline"))
_SITE_TITLE_CLASSES = frozenset(("site-title", "site-name", "blog-title", "logo-text"))
_AUTHOR_CLASSES = {  # class -> rank: the lower the better
    "fn": 0, "entry-author-name": 0, "author-name": 0, "post-author-name": 0,
    "wp-block-post-author-name": 0, "elementor-post-info__item--type-author": 0,
    "p-author": 0,  # microformats (Jekyll's minima, IndieWeb themes)
    "author": 1, "byline-author": 1, "username": 1,  # Drupal's "Submitted by <span.username>"
}  # fmt: skip
_AUTHOR_TAGS = ("span", "a", "div", "b", "cite", "address")  # not p, li: the body is made of them
_DATELINE_CLASSES = frozenset((
    "posted-on", "entry-date", "post-date", "published", "dateline", "date-header", "meta-date",
    "article-date", "story-date", "entry-time", "timestamp", "date", "entry-meta", "post-meta",
    "byline", "elementor-post-info__item--type-date",
))  # fmt: skip
_PUBLISHED_TIME_CLASSES = frozenset(("published", "entry-date", "entry-time"))
_MODIFIED_CLASSES = frozenset(("updated", "modified", "date-modified", "last-updated"))
# Containers of a post's byline and dateline wherever the theme puts them (a footer too): with
# what precedes the body, the only place an unmarked date or author link is believed.
_BYLINE_AREA_CLASSES = frozenset((
    "entry-header", "post-header", "article-header", "td-post-header", "entry-meta", "post-meta",
    "article-meta", "meta-info", "entry-footer", "byline", "post-info", "elementor-post-info",
))  # fmt: skip
_BYLINE_AREA_TAGS = ("div", "header", "footer", "section", "p", "span", "ul")
# What sits in a post's header without being its byline: a photo's caption has its own date.
_NOT_BYLINE_TAGS = frozenset((
    "figure", "figcaption", "picture", "img", "svg", "nav", "aside", "form", "button", "script",
    "style", "noscript", "template", "select", "textarea", "label", "iframe",
))  # fmt: skip
_NOT_BYLINE_CLASS = re.compile(r"caption|gallery|shar(?:e|ing)|breadcrumb|screen-reader|sr-only")
# Elements whose text, when it holds no block inside, can be a whole byline or dateline line.
_DATELINE_LINE_TAGS = ("div", "p", "li", "span", "small", "address", "header", "footer")
# "Posted on 3rd March 2025 by Amal", "By Amal Haddad | 3 March 2025": a byline's opening.
_DATELINE_OPENING = re.compile(r"(?:posted|published|written|dated?|by)\b", re.IGNORECASE)
# From here on a dateline states the modified date, which is never the published one.
_MODIFIED_WORD = re.compile(r"\b(?:last\s+)?(?:updated|modified|edited|revised)\b", re.IGNORECASE)
# WordPress permalinks: /2025/03/03/slug/ (a month alone, /2025/03/slug/, says no day).
_URL_DATE = re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/")
_AUTHOR_ARCHIVE_PATH = re.compile(r"/author/[^/?#]+/?$")
_AUTHOR_ARCHIVE_QUERY = re.compile(r"(?:^|&)author=\d+(?:&|$)")
# Author-archive links that are no byline: "View all posts by Amal", "More articles".
_NOT_A_NAME = re.compile(r"^(?:view|see|read|more|all)\b|\b(?:posts|articles|stories)\b", re.I)
_JSONLD = etree.XPath('//script[contains(@type, "ld+json")]')
_LINKS_WITH_REL = etree.XPath("descendant::a[@rel]")
_ITEMPROP = etree.XPath("descendant-or-self::*[@itemprop=$name][not(self::meta)]")
_LINKED_HEADING = etree.XPath("(.//h1|.//h2|.//h3|.//h4)[.//a or parent::a][1]")

_META_PUBLISHED = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.date",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published",
)  # fmt: skip
_META_MODIFIED = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
    "last-modified", "article.updated",
)  # fmt: skip
_META_AUTHOR = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator")
_ARTICLE_TYPES = frozenset((
    "Article", "NewsArticle", "BlogPosting", "Report", "ReportageNewsArticle",
    "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting",
    "TechArticle", "ScholarlyArticle", "SocialMediaPosting",
))  # fmt: skip

# --- what is not article text ---------------------------------------------------------------

# Elements skipped (with everything inside them) while a body's text is read.
_SKIP_TAGS = frozenset((
    "script", "style", "noscript", "iframe", "frame", "form", "nav", "aside", "footer",
    "header", "figure", "figcaption", "img", "picture", "svg", "video", "audio", "object",
    "embed", "canvas", "button", "input", "select", "textarea", "template", "map", "area",
    "link", "meta", "source", "track", "label", "dialog",
))  # fmt: skip
# A class or id token is junk when a run of its hyphen/underscore-separated segments says so.
# Not "widget" (Elementor wraps every text block in "elementor-widget-container") nor "hidden"
# ("hidden md:block", "hidden-xs" are responsive and shown on some screens).
_JUNK_TOKEN = re.compile(
    r"(?:^|[-_])(?:share|sharing|sharedaddy|sd-sharing|sd-like|addtoany|a2a|social|shariff"
    r"|related|relatedposts|yarpp|crp|comments?|respond|disqus|author-?(?:box|bio|info|block)"
    r"|about-author|saboxplugin|newsletter|subscribe|subscription|mc4wp|optin|opt-in|enews"
    r"|signup|sign-up|mailchimp|advert|ads?|adsbygoogle|sponsor|promo|tags?|tags?-links"
    r"|cat-links|categories|entry-meta|post-meta|entry-footer|byline|breadcrumbs?|navigation"
    r"|nav-links|pagination|printfriendly|wp-caption|caption|gallery|screen-reader-text"
    r"|sr-only|visually-?hidden|sidebar|twitter-tweet|instagram-media|wp-embedded-content"
    r"|jp-post-flair|post-navigation|td-a-rec|td-post-sharing|code-block)(?:$|[-_])",
    re.IGNORECASE,
)
# Classes WordPress derives from a post's terms and type (tag-social-media, category-ads,
# post-1234) say nothing about the element.
_TAXONOMY_TOKEN = re.compile(r"^(?:(?:tag|category|format|type|status)-|post-\d+$)", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Containers whose metadata-looking markup belongs to other posts or to commenters. Layout
# classes on wrappers ("content-sidebar", "has-sidebar", "sidebar-right") must not match, nor
# "widget" (Blogger wraps the whole blog in div.widget.Blog).
_CHROME_TOKEN = re.compile(
    r"^(?:widget-area|widget_\w+|sidebar|secondary|(?:primary|secondary|main)[-_]"
    r"sidebar|sidebar[-_](?:primary|secondary|main)|td-main-sidebar|footer-widgets"
    r"|comments?|comment-list|comments-area|commentlist|comment-body|comment-content"
    r"|(?:\w+[-_])*related(?:[-_]\w+)*|yarpp\w*|crp_related)$",
    re.IGNORECASE,
)
# WordPress <body> classes of pages that are no single article; "blog" alone is too common
# a class elsewhere, so the posts page is recognised by "home blog" or "blog paged".
_LISTING_BODY_CLASSES = frozenset(("archive", "search-results", "search-no-results", "error404"))
_LISTING_BODY_PAIRS = (frozenset(("home", "blog")), frozenset(("blog", "paged")))
_BLOCK_TAGS = frozenset((
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "section", "article",
    "main", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "center", "address",
    "details", "summary", "hr", "body", "html", "caption", "fieldset",
))  # fmt: skip
_HEADING_TAGS = frozenset(("h2", "h3", "h4", "h5", "h6"))  # h1 is the title again
_ALL_HEADINGS = frozenset(("h1", *_HEADING_TAGS))
_LINE_BREAKERS = _BLOCK_TAGS | _ALL_HEADINGS
# Skipped elements a browser lays out as blocks: the text either side of one (an advert's
# <div>, a <figure>) is two paragraphs, not one glued at the seam. A <script> or a
# share <span> between two sentences leaves them one line, as on screen.
_SKIPPED_BLOCKS = _LINE_BREAKERS | {
    "figure", "figcaption", "nav", "aside", "footer", "header", "form", "dialog", "iframe",
    "video", "audio", "canvas", "object", "embed",
}  # fmt: skip
_BOLD_TAGS = frozenset(("b", "strong"))
# Headings that say the text below them is chrome ("Related", "Share this:", "About the author").
_CHROME_HEADING_RULES = frozenset((
    "share-button", "related", "comments", "site-bio", "author-bio", "subscribe-cta",
    "tags-line", "post-meta", "republished", "donate-cta", "follow-cta",
))  # fmt: skip

_INVISIBLE = re.compile("[\u200b\ufeff\xad\u200e\u200f\u202a-\u202e]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WORD = re.compile(r"\w+")
_BYLINE_PREFIX = re.compile(r"^(?:(?:posted|written|words|story)\s+)?by\s*:?\s+", re.IGNORECASE)
_TITLE_SEPARATORS = (" | ", " – ", " — ", " :: ", " « ", " » ", " · ", " - ")
_GENERIC_SITE_SEPARATORS = (" | ", " – ", " — ", " :: ", " « ", " » ", " · ")

_MAX_HEADING_WORDS = 12  # a bold-only line longer than this is a bold paragraph
_MAX_HEADING_TAG_WORDS = 25  # an <h2> longer than this is a standfirst, i.e. text
_MAX_DATELINE_CHARS = 200
_MAX_BARE_DATELINE_WORDS = 6  # "Tuesday, 3 March 2025 | 4 min read"; longer lines are prose
_MAX_BYLINE_WORDS = 12  # "Posted on 3rd March 2025 by Amal Haddad, senior analyst"
_MIN_GENERIC_TEXT = 250  # characters outside links a generic body candidate must hold
_LINK_LINE_MAX_WORDS = 15  # a line that is all link and this short is navigation
_LISTING_MIN_ENTRIES = 3
_LISTING_HEADINGS = ("h1", "h2", "h3", "h4")


# --- public API -----------------------------------------------------------------------------


def extract_page(
    html: str | bytes,
    url: str,
    *,
    selectors: Selectors | None = None,
    encoding: str | None = None,
) -> Page:
    """Extract metadata and body paragraphs from one fetched page.

    ``encoding`` is the charset of the HTTP ``Content-Type`` header, when bytes are given.
    Raises ``ValueError`` only for an invalid CSS selector in ``selectors``.
    """
    selectors = selectors or Selectors()
    page = Page(url=url)
    root = _parse_document(html, encoding)
    if root is None:
        return page
    bodies = _locate_body(root, selectors.body)
    meta = _Meta(root, url, _post_scope(bodies), bodies)
    page.language = meta.language()
    page.canonical = meta.canonical()
    page.title = _pick_title(meta, selectors.title)
    page.published = _pick_published(meta, selectors.published)
    page.modified = _pick_modified(meta)
    page.author = _pick_author(meta, selectors.author)
    page.categories, page.tags = _pick_terms(meta)
    page.post_id = _wordpress_post_id(root)
    if bodies:
        page.body_found = True
        page.paragraphs, page.dropped = _read_paragraphs(bodies, title=page.title)
    return page


def extract_body(html: str, *, base_url: str = "") -> list[Paragraph]:
    """Return the clean paragraphs of an article-body fragment (a REST ``content.rendered``).

    ``base_url`` is handed to the parser as the fragment's address; paragraphs are text only.
    """
    html = _CONTROL_CHARS.sub("", html or "")
    if not html.strip():
        return []
    try:
        root = etree.fromstring(html, _parser(), base_url=base_url or None)
    except (etree.ParserError, ValueError):
        return []
    body = root.find("body") if root is not None else None
    return _read_paragraphs([body])[0] if body is not None else []


@lru_cache(maxsize=256)
def compile_selector(css: str) -> CSSSelector:
    """Compile a configured CSS selector once; ``ValueError`` says what is wrong with it."""
    try:
        return CSSSelector(css)
    except SelectorError as exc:
        raise ValueError(f"invalid CSS selector {css!r}: {exc}") from exc


# --- decoding and parsing -------------------------------------------------------------------

_local = threading.local()


def _parser() -> etree.HTMLParser:
    """Return this thread's HTML parser (lxml parsers must not be shared between threads).

    A plain ``etree.HTMLParser``, not ``lxml.html``'s: that one looks up a Python element
    class for every element touched, which cost 0.1 ms a page.
    """
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
        _local.parser = parser
    return parser


def _decode(data: bytes, encoding: str | None) -> str:
    """Decode like a browser: BOM, the header's charset, <meta>, then UTF-8 or windows-1252."""
    header = f"text/html; charset={encoding}" if encoding else None
    return html_to_unicode(header, data, auto_detect_fun=_utf8_or_windows_1252)[1]


def _utf8_or_windows_1252(data: bytes) -> str:
    """Guess an undeclared encoding: UTF-8 if the bytes are valid UTF-8, else windows-1252."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _parse_document(html: str | bytes, encoding: str | None) -> Element | None:
    """Parse a page into an lxml tree, or ``None`` when there is nothing to parse."""
    text = _decode(html, encoding) if isinstance(html, bytes) else html
    # lxml refuses str input that declares an encoding, and control characters.
    if declaration := _XML_DECLARATION.match(text):
        text = text[declaration.end() :]
    if not text or text.isspace():
        return None
    if "\x00" in text:  # libxml2 turns a NUL into U+FFFD; browsers drop it (measured)
        text = text.replace("\x00", "")
    try:
        root = etree.fromstring(text, _parser())
    except ValueError:  # other control characters: rare, so cleaned only then
        root = _parse_or_none(_CONTROL_CHARS.sub("", text))
    except etree.ParserError:
        return None
    return root if root is not None and isinstance(root.tag, str) else None


def _parse_or_none(text: str) -> Element | None:
    """Parse ``text``, or return ``None`` when lxml cannot."""
    try:
        return etree.fromstring(text, _parser())
    except (ValueError, etree.ParserError):
        return None


# --- small helpers --------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    """Collapse whitespace (non-breaking spaces, line breaks) and drop invisible characters."""
    if not text:
        return ""
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    elif _ascii_squeeze is not None:
        return _ascii_squeeze(text)  # one pass in C; split and join make a string a word
    return " ".join(text.split())


def _text_content(el: Element) -> str:
    """Return all the text inside ``el`` (not its tail); C-level, 10x faster than itertext."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _first(items: Iterable[str | None]) -> str | None:
    """Return the first non-empty item."""
    return next((item for item in items if item), None)


def _classes(el: Element) -> list[str]:
    """Return the class tokens of ``el``."""
    cls = el.get("class")
    return cls.split() if cls else []


def _with_class(scope: Element, tags: Iterable[str], names: frozenset[str]) -> Iterator[Element]:
    """Yield the elements of ``tags`` under ``scope`` having one of the class ``names``."""
    for el in scope.iter(*tags):
        cls = el.get("class")
        if cls and not names.isdisjoint(cls.split()):
            yield el


@lru_cache(maxsize=4096)
def _junk_attr(value: str) -> bool:
    """Tell whether a class or id attribute names a non-article element."""
    return any(
        _JUNK_TOKEN.search(token) and not _TAXONOMY_TOKEN.match(token) for token in value.split()
    )


@lru_cache(maxsize=4096)
def _chrome_attr(value: str) -> bool:
    """Tell whether a class or id attribute names a comments, widget or related-posts box."""
    return any(_CHROME_TOKEN.match(token) for token in value.split())


def _is_junk(el: Element) -> bool:
    """Tell whether ``el`` (with its subtree) is not article text."""
    tag = el.tag
    if not isinstance(tag, str) or tag in _SKIP_TAGS:
        return True
    for name, value in el.items():
        if name == "class" or name == "id":
            if _junk_attr(value):
                return True
        elif name == "style":
            if _HIDDEN_STYLE.search(value):
                return True
        elif name == "hidden" or (name == "aria-hidden" and value == "true"):
            return True
    return False


def _in_chrome(el: Element, memo: dict[Element, bool]) -> bool:
    """Tell whether ``el`` sits in a sidebar, navigation, widget, comment or related-posts box.

    ``memo`` remembers the answer for every ancestor walked, for the next question.
    """
    path: list[Element] = []
    result = False
    for anc in el.iterancestors():
        if anc in memo:
            result = memo[anc]
            break
        path.append(anc)
        if anc.tag in ("body", "html"):
            break
        if anc.tag in ("aside", "nav") or _chrome_attr(
            f"{anc.get('class', '')} {anc.get('id', '')}"
        ):
            result = True
            break
    for anc in path:
        memo[anc] = result
    return result


def _visible_text(el: Element) -> str:
    """Return the clean text of ``el``, leaving out junk descendants (screen-reader text, img)."""
    parts: list[str] = []
    _collect_visible(el, parts)
    return _clean("".join(parts))


def _collect_visible(el: Element, parts: list[str]) -> None:
    """Append the text of ``el`` and its non-junk descendants to ``parts``."""
    if el.text:
        parts.append(el.text)
    for child in el:
        if not _is_junk(child):
            _collect_visible(child, parts)
        if child.tail:
            parts.append(child.tail)


def _outermost(elements: list[Element]) -> list[Element]:
    """Drop the elements nested inside another element of the list."""
    chosen = set(elements)
    return [el for el in elements if not any(a in chosen for a in el.iterancestors())]


# --- metadata -------------------------------------------------------------------------------


class _Meta:
    """What the page states about itself: <meta>, <link>, JSON-LD, and the post's markup.

    ``scope`` is the element holding the post around its body (or the whole page); theme
    markup (bylines, <time>, term links) is looked for there first. ``bodies`` are the body
    elements: dates and links in the article text are not metadata.
    """

    def __init__(
        self, root: Element, url: str, scope: Element | None, bodies: Iterable[Element] = ()
    ) -> None:
        self.root, self.url, self.scope = root, url, scope
        self.bodies = frozenset(bodies)
        self._byline_area: list[Element] | None = None
        self.chrome: dict[Element, bool] = {}
        self.values: dict[str, list[str]] = {}
        for el in root.iter("meta"):
            key = el.get("property") or el.get("name") or el.get("itemprop")
            content = el.get("content")
            if key and content and not content.isspace():
                self.values.setdefault(key.strip().lower(), []).append(_clean(content))
        self.links: dict[str, str] = {}
        for el in root.iter("link"):
            href = el.get("href")
            for rel in (el.get("rel") or "").lower().split():
                if href and rel not in self.links:
                    self.links[rel] = href.strip()
        self.jsonld = _JsonLd(root)

    def post(self) -> tuple[Element, ...]:
        """Return where to look for post markup (bylines, terms): the post around the body;
        nothing on a page without an article (its markup belongs to the entries it lists)."""
        return () if self.scope is None else (self.scope,)

    def post_then_page(self) -> tuple[Element, ...]:
        """Return the post, then the whole page (a blog's date header can sit outside posts)."""
        return () if self.scope is None else (self.scope, self.root)

    def in_chrome(self, el: Element) -> bool:
        """Tell whether ``el`` sits in a sidebar, navigation, widget, comment or related box."""
        return _in_chrome(el, self.chrome)

    def in_body(self, el: Element) -> bool:
        """Tell whether ``el`` is part of the article text (a date there dates an event)."""
        return _within(el, self.bodies)

    def byline_area(self) -> list[Element]:
        """Return the post's header and meta elements, outside the body and chrome.

        Only there is an unmarked date or author link taken as the post's own: the same
        markup in the text is about an event or another writer. Computed once, when needed.
        """
        if self._byline_area is None:
            area = [] if self.scope is None else _byline_area(self.scope, self.bodies)
            self._byline_area = [el for el in area if not self.in_chrome(el)]
        return self._byline_area

    def get(self, *keys: str) -> str | None:
        """Return the first content of the first key present."""
        return _first(self.values.get(key, [None])[0] for key in keys)

    def canonical(self) -> str | None:
        """Return the absolute canonical URL from <link rel=canonical>, else og:url."""
        href = self.links.get("canonical") or self.get("og:url")
        if not href:
            return None
        base = self.root.find(".//base[@href]")
        base_url = urljoin(self.url, base.get("href").strip()) if base is not None else self.url
        return urljoin(base_url, href)

    def language(self) -> str | None:
        """Return the page language from <html lang>, else a content-language meta."""
        lang = self.root.get("lang") or self.root.get("xml:lang")
        return _clean(lang) or self.get("content-language") or None

    def site_name(self) -> str | None:
        """Return the site's name, used to strip it from <title>."""
        if name := self.get("og:site_name", "application-name") or self.jsonld.site_name:
            return name
        return _first(
            _visible_text(el)
            for el in _with_class(self.root, ("p", "h1", "div", "a"), _SITE_TITLE_CLASSES)
        )


class _JsonLd:
    """The article object of a page's JSON-LD (``@graph`` and lists flattened)."""

    def __init__(self, root: Element) -> None:
        objects: list[dict] = []
        for script in _JSONLD(root):
            try:
                _flatten_jsonld(json.loads(script.text or "", strict=False), objects)
            except (ValueError, RecursionError):
                continue
        self.by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
        typed = [(o, _types(o)) for o in objects]
        self.article = next((o for o, t in typed if t & _ARTICLE_TYPES), None)
        self.page = next(
            (o for o, t in typed if "datePublished" in o and o is not self.article), None
        )
        site = next((o for o, t in typed if "WebSite" in t), None)
        self.site_name = _jsonld_text(site.get("name")) if site else None

    def value(self, key: str) -> str | None:
        """Return ``key`` of the article object, else of another object that has it."""
        for obj in (self.article, self.page):
            if obj is not None and (text := _jsonld_text(obj.get(key))):
                return text
        return None

    def authors(self) -> str | None:
        """Return the article's author name(s), resolving ``@id`` references."""
        if self.article is None:
            return None
        raw = self.article.get("author") or self.article.get("creator")
        names = []
        for item in raw if isinstance(raw, list) else [raw]:
            if isinstance(item, dict):
                item = item.get("name") or self.by_id.get(item.get("@id"), {}).get("name")
            if name := _jsonld_text(item):
                names.append(name)
        return ", ".join(dict.fromkeys(names)) or None

    def terms(self, key: str) -> list[str]:
        """Return a list-valued field (``articleSection``, ``keywords``) of the article."""
        raw = self.article.get(key) if self.article else None
        items = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list) else []
        return [text for item in items if (text := _jsonld_text(item))]


def _within(el: Element, group: frozenset[Element]) -> bool:
    """Tell whether ``el`` is one of ``group`` or inside one of them."""
    return el in group or any(a in group for a in el.iterancestors())


def _byline_area(scope: Element, bodies: frozenset[Element]) -> list[Element]:
    """Return what precedes the first body in ``scope``, and the post-meta boxes around it.

    When ``scope`` is no post element (it was guessed from the body's ancestors), the header
    is taken from the title on, so that a site header's "today is ..." date stays out.
    """
    if scope in bodies:
        return []
    area: dict[Element, None] = {}
    started = scope.tag == "article" or not _POST_CLASSES.isdisjoint(_classes(scope))
    for el in _byline_walk(scope, bodies):
        started = started or _is_post_title(el)
        if started:
            area[el] = None
    for box in _with_class(scope, _BYLINE_AREA_TAGS, _BYLINE_AREA_CLASSES):
        box_set = frozenset((box,))
        if not _within(box, bodies) and not any(_within(body, box_set) for body in bodies):
            area[box] = None
            area.update((el, None) for el in _byline_walk(box, bodies))
    return list(area)


def _byline_walk(top: Element, bodies: frozenset[Element]) -> Iterator[Element]:
    """Yield the elements under ``top`` in document order until the first body.

    Figures, captions, forms, navigation and share boxes are left out with all inside them.
    """
    left_out: set[Element] = set()
    for el in top.iterdescendants():
        if el in bodies:
            return
        if not isinstance(el.tag, str):
            continue
        if el.getparent() in left_out or _not_byline(el):
            left_out.add(el)
        else:
            yield el


def _not_byline(el: Element) -> bool:
    """Tell whether ``el`` is a figure, caption, form or the like: never part of a byline."""
    cls = el.get("class")
    return el.tag in _NOT_BYLINE_TAGS or bool(cls and _NOT_BYLINE_CLASS.search(cls.lower()))


def _is_post_title(el: Element) -> bool:
    """Tell whether ``el`` is a post's title heading (not the site's name set as an <h1>)."""
    if el.tag not in ("h1", "h2", "h3"):
        return False
    classes = _classes(el)
    if not _TITLE_CLASSES.isdisjoint(classes):
        return True
    return el.tag == "h1" and _SITE_TITLE_CLASSES.isdisjoint(classes)


def _flatten_jsonld(node: object, out: list[dict]) -> None:
    """Collect every object of a JSON-LD document, descending into lists and ``@graph``."""
    if isinstance(node, list):
        for item in node:
            _flatten_jsonld(item, out)
    elif isinstance(node, dict):
        out.append(node)
        for key in ("@graph", "mainEntity"):
            if key in node:
                _flatten_jsonld(node[key], out)


def _types(obj: dict) -> set[str]:
    """Return the ``@type`` names of a JSON-LD object."""
    raw = obj.get("@type")
    if isinstance(raw, str):
        return {raw}
    return {t for t in raw if isinstance(t, str)} if isinstance(raw, list) else set()


def _jsonld_text(value: object) -> str | None:
    """Return a JSON-LD string value as clean text (sites often leave HTML entities in it)."""
    if not isinstance(value, str):
        return None
    return _clean(unescape(value)) or None


def _selected(root: Element, css: str | None) -> list[Element]:
    """Return the elements a configured selector matches (none without a selector)."""
    return compile_selector(css)(root) if css else []


def _wordpress_post_id(root: Element) -> int | None:
    """The id in a single post's ``<body class="... single-post postid-123">``: it stays
    when the post's slug (its URL) changes, as the REST API's id does."""
    body = root.find("body")
    classes = _classes(body) if body is not None else []
    if "single" not in classes:
        return None
    ids = [c[7:] for c in classes if c.startswith("postid-") and c[7:].isdigit()]
    return int(ids[0]) if len(ids) == 1 else None


def _pick_title(meta: _Meta, css: str | None) -> str | None:
    """Choose the article title from the most reliable place the page offers."""

    def candidates() -> Iterator[str | None]:
        yield from (_visible_text(el) for el in _selected(meta.root, css))
        yield meta.jsonld.value("headline")
        h1s = list(meta.root.iter("h1"))
        yield from (_visible_text(h) for h in h1s if not _TITLE_CLASSES.isdisjoint(_classes(h)))
        yield from (
            _visible_text(h) for h in h1s if any(a.tag == "article" for a in h.iterancestors())
        )
        titled = list(_with_class(meta.root, ("h1", "h2", "h3"), _TITLE_CLASSES))
        if len(titled) == 1:  # several: a listing, whose first entry is not the page's title
            yield _visible_text(titled[0])
        site = meta.site_name()
        og_title = meta.get("og:title", "twitter:title")
        yield _strip_site_name(og_title, site, meta.url, generic=False)
        yield _strip_site_name(_clean(meta.root.findtext(".//title")), site, meta.url, generic=True)

    return _first(candidates())


def _strip_site_name(title: str | None, site: str | None, url: str, *, generic: bool) -> str | None:
    """Remove the site's name from a title: "Post – Site", "Site | Post"; None if only that.

    The name is recognised as ``site`` (og:site_name and the like) or by resembling the URL's
    host ("The Maghreb Desk" on maghrebdesk.example). With ``generic``, a short last segment
    after a strong separator (" | ", " – ") goes even when unrecognised; " - " is too common
    inside titles for that.
    """
    if not title:
        return None
    labels = _host_labels(url)
    if _is_site_name(title, site, labels):
        return None  # the page has no title of its own
    for sep in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if found and head and _names_site(tail, site, labels):
            return head.strip()
        first, found, rest = title.partition(sep)
        if found and rest and _names_site(first, site, labels):
            return rest.strip()
    for sep in _GENERIC_SITE_SEPARATORS if generic else ():
        head, found, tail = title.rpartition(sep)
        if found and head and len(tail.split()) <= 5 and len(tail) < len(head):
            return head.strip()
    return title


def _names_site(segment: str, site: str | None, labels: tuple[str, ...]) -> bool:
    """Tell whether a title segment is the site's name."""
    squeezed = _squeeze(segment)
    if site and squeezed == _squeeze(site):
        return True
    return len(squeezed) >= 4 and any(squeezed in label or label in squeezed for label in labels)


def _is_site_name(title: str, site: str | None, labels: tuple[str, ...]) -> bool:
    """Tell whether a whole title is just the site's name."""
    squeezed = _squeeze(title)
    return (bool(site) and squeezed == _squeeze(site)) or squeezed.removeprefix("the") in labels


def _squeeze(text: str) -> str:
    """Return ``text`` lower-cased with everything but letters and digits removed."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@lru_cache(maxsize=1024)
def _host_labels(url: str) -> tuple[str, ...]:
    """Return the distinctive labels of a URL's host ("maghrebdesk" for www.maghrebdesk.com)."""
    host = urlsplit(url).hostname or ""
    labels = host.split(".")[:-1]  # without the top-level domain
    return tuple(_squeeze(x) for x in labels if len(x) >= 4 and x not in _COMMON_HOST_LABELS)


_COMMON_HOST_LABELS = frozenset(
    ("www", "blog", "blogs", "news", "blogspot", "wordpress", "co", "com")
)


def _date_sources(meta: _Meta, css: str | None) -> Iterator[str | None]:
    """Yield the places a publication date may be stated, most reliable first."""
    for el in _selected(meta.root, css):
        yield el.get("datetime") or el.get("content") or _visible_text(el)
    yield from (meta.get(key) for key in _META_PUBLISHED)
    yield meta.jsonld.value("datePublished")
    for scope in meta.post_then_page():
        times = [t for t in scope.iter("time") if t.get("datetime") and not meta.in_chrome(t)]
        published = [t for t in times if not _PUBLISHED_TIME_CLASSES.isdisjoint(_classes(t))]
        yield from (t.get("datetime") for t in published + times)
    for scope in meta.post():
        for el in _ITEMPROP(scope, name="datePublished"):
            yield el.get("datetime") or el.get("content") or el.get("title") or _visible_text(el)
    for scope in meta.post_then_page():
        for el in _with_class(scope, ("*",), _DATELINE_CLASSES):
            text = _text_content(el)
            if len(text) <= 2 * _MAX_DATELINE_CHARS and not meta.in_chrome(el):
                yield _clean(text)[:_MAX_DATELINE_CHARS]


def _fallback_date_sources(meta: _Meta) -> Iterator[str | None]:
    """Yield weaker evidence of the publication date, for a post that states it nowhere else.

    A ``<time>`` without ``datetime`` (Elementor's post info), a dateline or byline line in
    the post's header or meta boxes, then the permalink's /YYYY/MM/DD/. Never the modified
    date: with none of these the date stays unknown, and storage anchors the article itself.
    """
    if meta.scope is None:
        return
    yield from _text_times(meta)
    for el in meta.byline_area():
        if el.tag in _DATELINE_LINE_TAGS and _is_plain_line(el):
            yield _dateline_text(_clean(_text_content(el)))
    yield _url_date(meta.url)


def _text_times(meta: _Meta) -> Iterator[str]:
    """Yield the text of the post's ``<time>`` elements that have no ``datetime``.

    Those in the body are left out (they date events), and "updated" ones (modified dates).
    Unlike a dateline line, a ``<time>`` is read anywhere in the post: it says it is a date.
    """
    times = [
        t
        for scope in meta.post()
        for t in scope.iter("time")
        if not t.get("datetime") and _MODIFIED_CLASSES.isdisjoint(_classes(t))
    ]
    times = [t for t in times if not meta.in_body(t) and not meta.in_chrome(t)]
    published = [t for t in times if not _PUBLISHED_TIME_CLASSES.isdisjoint(_classes(t))]
    for t in dict.fromkeys(published + times):
        if len(text := _clean(_text_content(t))) <= _MAX_DATELINE_CHARS:
            yield text


def _is_plain_line(el: Element) -> bool:
    """Tell whether ``el`` is one line of plain text that may be a dateline.

    Not when a block or heading is inside it, nor a ``<time>`` (weighed on its own already),
    nor anything marked as the modified date (``span.updated``).
    """
    for node in el.iter():
        if node is not el and (node.tag in _LINE_BREAKERS or node.tag == "time"):
            return False
        if not _MODIFIED_CLASSES.isdisjoint(_classes(node)):
            return False
    return True


def _dateline_text(text: str) -> str | None:
    """Return ``text`` when it is shaped like a dateline or byline, else None.

    A short line ("3 March 2025", "Amal Haddad · 3 March 2025") or one that opens like a
    byline ("Posted on 3rd March 2025 by Amal") qualifies; a sentence or dated reporting
    ("On 3 March 2025, gunmen ...", a standfirst) does not. Text from "Updated" on is cut.
    """
    text = _MODIFIED_WORD.split(text, maxsplit=1)[0].strip()
    words = len(_WORD.findall(text))
    if not text or words > _MAX_BYLINE_WORDS or opens_like_reporting(text):
        return None
    if _DATELINE_OPENING.match(text):
        return text
    short = words <= _MAX_BARE_DATELINE_WORDS and not text.endswith((".", "!", "?"))
    return text if short else None


def _url_date(url: str) -> str | None:
    """Return the ISO date of a /YYYY/MM/DD/ permalink, else None."""
    m = _URL_DATE.search(urlsplit(url).path)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None


def _pick_published(meta: _Meta, css: str | None) -> datetime | date | None:
    """Return the first publication date found; a bare date is upgraded by a later time that day.

    The fallback sources are read only when the page states no date in the usual places.
    """
    found: datetime | date | None = None
    for raw in _date_sources(meta, css):
        value = parse_page_date(raw) if raw else None
        if value is None:
            continue
        if isinstance(value, datetime):
            if found is None or value.date() == found:
                return value
        elif found is None:
            found = value
    if found is None:
        parsed = (parse_page_date(raw) for raw in _fallback_date_sources(meta) if raw)
        found = next((value for value in parsed if value is not None), None)
    return found


def _pick_modified(meta: _Meta) -> datetime | None:
    """Return the last-modified time, only when the page gives it with a time and zone."""

    def sources() -> Iterator[str | None]:
        yield from (meta.get(key) for key in _META_MODIFIED)
        yield meta.jsonld.value("dateModified")
        for scope in meta.post():
            for t in scope.iter("time"):
                if "updated" in _classes(t) and not meta.in_chrome(t):
                    yield t.get("datetime")
            for el in _ITEMPROP(scope, name="dateModified"):
                yield el.get("datetime") or el.get("content")

    for raw in sources():
        value = parse_page_date(raw) if raw else None
        if isinstance(value, datetime):
            return value
    return None


def _clean_author(text: str | None) -> str | None:
    """Return a plausible author name: no "By" prefix, not a URL, not a sentence."""
    text = _BYLINE_PREFIX.sub("", _clean(text)).strip(" |,·-")
    if not text or len(text) > 100 or text.startswith(("http://", "https://", "@")):
        return None
    return text


def _pick_author(meta: _Meta, css: str | None) -> str | None:
    """Choose the author from the configured selector, JSON-LD, metas, then byline markup."""

    def candidates() -> Iterator[str | None]:
        yield from (_visible_text(el) for el in _selected(meta.root, css))
        yield meta.jsonld.authors()
        yield from (meta.get(key) for key in _META_AUTHOR)
        for scope in meta.post():
            yield from (_visible_text(el) for el in _microdata_authors(scope, meta))
            yield from (_visible_text(el) for el in _author_markup(scope, meta))
        yield from _author_link_names(meta)

    return _first(_clean_author(c) for c in candidates())


def _microdata_authors(scope: Element, meta: _Meta) -> Iterator[Element]:
    """Yield ``itemprop="author"`` elements outside the body, or the ``name`` inside one
    (schema.org microdata: a Person with its name, beside its URL and image)."""
    for el in _ITEMPROP(scope, name="author"):
        if meta.in_body(el) or meta.in_chrome(el):
            continue
        names = _ITEMPROP(el, name="name")
        yield names[0] if names else el


def _author_markup(scope: Element, meta: _Meta) -> Iterator[Element]:
    """Yield byline elements under ``scope``: rel=author links, then .fn/.author-name, .author."""
    ranked: list[tuple[int, int, Element]] = []
    for order, el in enumerate(scope.iter(*_AUTHOR_TAGS)):
        cls, rank = el.get("class"), 9
        if cls:
            rank = min((1 + _AUTHOR_CLASSES.get(token, 9) for token in cls.split()), default=9)
        if el.tag == "a" and "author" in (el.get("rel") or "").split():
            rank = 0
        if rank < 9:
            ranked.append((rank, order, el))
    ranked.sort(key=lambda r: r[:2])
    return (el for _, _, el in ranked if not meta.in_chrome(el))


def _author_link_names(meta: _Meta) -> Iterator[str]:
    """Yield the text of links to an author archive (/author/<slug>/, ?author=N) in the byline.

    WordPress links a byline there even when the theme gives it no class ("By <a>Jane</a>");
    only the post's header and meta boxes count, since the body links to other writers.
    """
    for el in meta.byline_area():
        if el.tag == "a" and _is_author_archive(el.get("href")):
            text = _visible_text(el)
            if text and not _NOT_A_NAME.search(text):
                yield text


def _is_author_archive(href: str | None) -> bool:
    """Tell whether a link points to a WordPress author archive."""
    if not href:
        return False
    parts = urlsplit(href.strip())
    return bool(
        _AUTHOR_ARCHIVE_PATH.search(parts.path) or _AUTHOR_ARCHIVE_QUERY.search(parts.query)
    )


def _pick_terms(meta: _Meta) -> tuple[list[str], list[str]]:
    """Return (categories, tags) from post links, else article metas, else JSON-LD."""
    categories: list[str] = []
    tags: list[str] = []
    for scope in meta.post():
        for a in _LINKS_WITH_REL(scope):
            rel = a.get("rel").split()
            if "tag" in rel and not meta.in_chrome(a):
                (categories if "category" in rel else tags).append(_visible_text(a))
    categories = (
        _unique(categories)
        or _unique(meta.values.get("article:section", []))
        or _unique(meta.jsonld.terms("articleSection"))
    )
    tags = (
        _unique(tags)
        or _unique(meta.values.get("article:tag", []))
        or _unique(meta.jsonld.terms("keywords"))
    )
    return categories, tags


def _unique(items: Iterable[str]) -> list[str]:
    """Return the non-empty items once each (case-insensitively), in order."""
    seen: dict[str, str] = {}
    for item in items:
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return list(seen.values())


# --- locating the body ----------------------------------------------------------------------


def _locate_body(root: Element, css: str | None) -> list[Element]:
    """Return the element(s) holding the article body, or [] for a page that is no article."""
    if css and (chosen := _outermost(compile_selector(css)(root))):
        return chosen
    body = root.find("body")
    if body is None:
        body = root
    body_classes = frozenset(_classes(body))
    if not _LISTING_BODY_CLASSES.isdisjoint(body_classes) or any(
        pair <= body_classes for pair in _LISTING_BODY_PAIRS
    ):
        return []  # WordPress says so: an archive, search results, the posts page, a 404
    known = _known_body(root)
    if known is not None:
        return known
    return _generic_body(body)


def _known_body(root: Element) -> list[Element] | None:
    """Find the body by known theme classes: [el], [] for a listing, None when none is there."""
    by_rank: dict[int, list[Element]] = {}
    for el in root.iter(*_BODY_TAGS):
        rank = _body_rank(el)
        if rank is not None:
            by_rank.setdefault(rank, []).append(el)
    chrome: dict[Element, bool] = {}
    for rank in sorted(by_rank):
        found = [el for el in _outermost(by_rank[rank]) if not _in_chrome(el, chrome)]
        found = [el for el in found if not _text_content(el).isspace()]
        if len(found) >= _LISTING_MIN_ENTRIES:
            return []  # one body per post: a listing
        if found:
            return [max(found, key=lambda el: len(_text_content(el)))]
    return None


def _body_rank(el: Element) -> int | None:
    """Return how good a known body container ``el`` is (lower is better), or None."""
    cls = el.get("class")
    if cls is None and el.get("itemprop") is None:
        return None
    ranks = [_BODY_RANK[token] for token in cls.split() if token in _BODY_RANK] if cls else []
    if el.get("itemprop") == "articleBody":
        ranks.append(_ITEMPROP_BODY_RANK)
    in_article = not ranks and "content" in _classes(el)
    if in_article and any(a.tag == "article" for a in el.iterancestors()):
        ranks.append(_ARTICLE_CONTENT_RANK)
    return min(ranks) if ranks else None


def _post_scope(bodies: list[Element]) -> Element | None:
    """Return the element around the body that holds one post's title, byline and terms."""
    if not bodies:
        return None
    first = bodies[0]
    for anc in first.iterancestors():
        if anc.tag in ("body", "html"):
            break
        if anc.tag == "article" or not _POST_CLASSES.isdisjoint(_classes(anc)):
            return anc
    parent = first.getparent()
    grand = parent.getparent() if parent is not None else None
    for candidate in (grand, parent):
        if candidate is not None and candidate.tag not in ("body", "html"):
            return candidate
    return first


# Generic fallback, after Mozilla's Readability: paragraphs score the container they sit in;
# class and id names weigh +25 (content-like) or -25 (chrome-like); containers named like
# chrome, and not also like content, are not candidates at all.
_POSITIVE = re.compile(r"article|body|content|entry|main|page|post|text|blog|story|prose", re.I)
_NEGATIVE = re.compile(
    r"-ad-|hidden|banner|combx|comment|contact|foot|masthead|media|meta|outbrain|promo|related"
    r"|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|teaser|card",
    re.I,
)
_UNLIKELY = re.compile(
    r"-ad-|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr"
    r"|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social"
    r"|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|most-?read|trending|rail",
    re.I,
)
_MAYBE_CANDIDATE = re.compile(r"and|article|body|column|content|main|shadow", re.I)
_FLAG_PREFIXES = ("no-", "has-", "with-", "without-", "is-", "tag-", "category-")
_TAG_WEIGHT = {"div": 5, "article": 8, "main": 5, "section": 3, "td": 3, "blockquote": 3,
               "pre": 3, "form": -3, "ul": -3, "ol": -3, "li": -3}  # fmt: skip


def _names(el: Element) -> str:
    """Return an element's class and id names, without layout flags ("no-sidebar")."""
    return _without_flags(f"{el.get('class') or ''} {el.get('id') or ''}")


@lru_cache(maxsize=4096)
def _without_flags(names: str) -> str:
    """Drop layout flags ("no-sidebar", "has-comments") and taxonomy classes from names."""
    return " ".join(t for t in names.split() if not t.startswith(_FLAG_PREFIXES))


@lru_cache(maxsize=4096)
def _class_weight(names: str) -> int:
    """Score class/id names: content-like +25, chrome-like -25."""
    return 25 * bool(_POSITIVE.search(names)) - 25 * bool(_NEGATIVE.search(names))


@lru_cache(maxsize=4096)
def _unlikely(names: str) -> bool:
    """Tell whether names say chrome and nothing says content."""
    return bool(_UNLIKELY.search(names)) and not _MAYBE_CANDIDATE.search(names)


def _own_text(el: Element) -> str:
    """Return the text directly in ``el`` (its text and inline children), not in child blocks."""
    parts = [el.text or ""]
    for child in el:
        inline = child.tag not in _BLOCK_TAGS and child.tag not in _ALL_HEADINGS
        if inline and not _is_junk(child):
            parts.append(_text_content(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _generic_body(body: Element) -> list[Element]:
    """Find the body by scoring containers on the paragraph text directly below them."""
    scores: dict[Element, float] = {}
    blocked: dict[Element, bool] = {}
    for el in body.iter("p", "pre", "td", "div", "blockquote"):
        text = _own_text(el)
        if len(text.strip()) < 25 or _in_blocked(el, blocked):
            continue
        score = 1 + text.count(",") + min(len(text) // 100, 3)
        owner = el if el.tag == "div" else el.getparent()
        grand = owner.getparent() if owner is not None else None
        for weight, node in ((1.0, owner), (0.5, grand)):
            if node is not None and isinstance(node.tag, str):
                if node not in scores:
                    scores[node] = _TAG_WEIGHT.get(node.tag, 0) + _class_weight(_names(node))
                scores[node] += score * weight
    if not scores:
        return []
    for node in scores:
        scores[node] *= 1 - _link_density(node)
    best = max(scores, key=scores.__getitem__)
    text_chars = len(_clean(_text_content(best))) * (1 - _link_density(best))
    if text_chars < _MIN_GENERIC_TEXT or _is_listing(best, scores):
        return []
    return _with_siblings(best, scores)


def _in_blocked(el: Element, memo: dict[Element, bool]) -> bool:
    """Tell whether ``el`` or an ancestor is junk or chrome-like (memoised along the path)."""
    path = []
    node: Element | None = el
    result = False
    while node is not None and node.tag != "body":
        if node in memo:
            result = memo[node]
            break
        path.append(node)
        if _is_junk(node) or _unlikely(_names(node)):
            result = True
            break
        node = node.getparent()
    for seen in path:
        memo[seen] = result
    return result


def _link_density(el: Element) -> float:
    """Return the share of ``el``'s text that sits inside links."""
    total = len(_text_content(el))
    if not total:
        return 1.0
    return min(1.0, sum(len(_text_content(a)) for a in el.iter("a")) / total)


def _is_listing(best: Element, scores: dict[Element, float]) -> bool:
    """Tell whether the best container is a list of entries, each under its own linked title.

    Either the best container holds three or more linked headings, at least one per two
    paragraphs, or the strong containers are three or more entries with their own titles.
    """
    titles = [h for h in best.iter(*_LISTING_HEADINGS) if _is_link_heading(h)]
    if len(titles) >= _LISTING_MIN_ENTRIES:
        paragraphs = sum(len(_text_content(p)) >= 25 for p in best.iter("p"))
        if 2 * len(titles) >= paragraphs:
            return True
    strong = _outermost([n for n, s in scores.items() if s >= 0.5 * scores[best]])
    entry_titles = set()
    for node in strong:
        for scope in (node, node.getparent()):
            heading = _LINKED_HEADING(scope) if scope is not None else []
            if heading:
                entry_titles.add(heading[0])
                break
    return len(entry_titles) >= _LISTING_MIN_ENTRIES


def _is_link_heading(heading: Element) -> bool:
    """Tell whether a heading is (almost) all link, or inside one: an entry title in a listing."""
    if any(anc.tag == "a" for anc in islice(heading.iterancestors(), 2)):
        return True
    total = len(_text_content(heading).strip())
    linked = sum(len(_text_content(a).strip()) for a in heading.iter("a"))
    return total > 0 and linked >= 0.8 * total


def _with_siblings(best: Element, scores: dict[Element, float]) -> list[Element]:
    """Return ``best`` with its siblings that score well too (a body split by an ad or a box)."""
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, scores[best] * 0.2)
    return [n for n in parent if n is best or scores.get(n, 0.0) >= threshold]


# --- reading paragraphs ---------------------------------------------------------------------


def _row_cells(row: Element) -> list[str] | None:
    """The texts of a table row's cells, when each is plain text; None when a cell holds
    blocks (a page laid out in a table), whose paragraphs are read one by one instead.
    A header row (only ``<th>``) gives no cells: its names are no item."""
    cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
    for cell in cells:
        if any(d.tag in _LINE_BREAKERS or d.tag == "br" for d in cell.iterdescendants()):
            return None
    if all(c.tag == "th" for c in cells):
        return []
    return [text for c in cells if not _is_junk(c) and (text := _visible_text(c))]


class _Reader:
    """Walk body elements and turn their text into paragraphs with sections.

    Text is gathered line by line (a ``<br>`` ends a line, two end a paragraph, a block
    element ends both); for each line it is remembered whether all of it was bold, so that a
    short bold-only first line can become the section heading.
    """

    def __init__(self, title: str | None = None) -> None:
        self.title = title.casefold() if title else None
        self.paragraphs: list[Paragraph] = []
        self.dropped: list[tuple[str, str]] = []
        self.section: str | None = None
        self.chrome_section: str | None = None  # reason, while under a "Related"-like heading
        self.lines: list[tuple[str, bool]] = []  # finished lines of this paragraph
        self.texts: list[str] = []  # pieces of the current line
        self.line_bold = True  # every visible piece of the current line was bold
        self.line_visible = False
        self.link_chars = 0
        self.breaks = 0  # <br>s since the last visible text

    def read(self, el: Element) -> None:
        """Read one body element (its tail is not part of it)."""
        self._end_paragraph()
        self._children(el, False, False)
        self._end_paragraph()

    def _children(self, el: Element, bold: bool, link: bool) -> None:
        """Read ``el``'s own text and its children, each child's tail with ``el``'s styling."""
        if el.text:
            self._text(el.text, bold, link)
        for child in el:
            if not _is_junk(child):
                self._element(child, bold, link)
            elif child.tag in _SKIPPED_BLOCKS:
                self._end_paragraph()
            if child.tail:
                self._text(child.tail, bold, link)

    def _element(self, el: Element, bold: bool, link: bool) -> None:
        """Read one element: a heading, a line break, a block or inline markup."""
        tag = el.tag
        if tag == "br":
            self._end_line()
            self.breaks += 1
        elif tag == "tr" and (cells := _row_cells(el)) is not None:
            # A row of plain cells is one item: "26 January — Kufra — smugglers clashed
            # with ...", its date first, as a paragraph would say it.
            self._end_paragraph()
            if cells:
                self._text(" — ".join(cells), bold, link)
            self._end_paragraph()
        elif tag in _BLOCK_TAGS:
            self._end_paragraph()
            self._children(el, bold, link)
            self._end_paragraph()
        elif tag in _HEADING_TAGS:
            self._end_paragraph()
            text = _visible_text(el)
            if len(text.split()) > _MAX_HEADING_TAG_WORDS:  # a standfirst set as a heading
                self._keep_or_drop(text, 0)
            else:
                self._heading(text)
        elif tag == "h1":
            self._end_paragraph()  # the title again: neither a paragraph nor a section
        else:
            self._children(el, bold or tag in _BOLD_TAGS, link or tag == "a")

    def _text(self, text: str, bold: bool, link: bool) -> None:
        """Add a piece of text to the current line."""
        if not text.isspace():
            if self.breaks >= 2:
                self._end_paragraph()
            self.breaks = 0
            self.line_visible = True
            self.line_bold = self.line_bold and bold
            if link:
                self.link_chars += len(text.strip())
        self.texts.append(text)

    def _end_line(self) -> None:
        """Finish the current line."""
        if self.line_visible:
            self.lines.append(("".join(self.texts), self.line_bold))
        self.texts.clear()
        self.line_bold, self.line_visible = True, False

    def _end_paragraph(self) -> None:
        """Finish the current paragraph: a short bold-only first line is a section heading."""
        if not self.lines and not self.line_visible:
            self.texts.clear()
            self.link_chars = self.breaks = 0
            return
        self._end_line()
        lines, link_chars = self.lines, self.link_chars
        self.lines, self.link_chars, self.breaks = [], 0, 0
        if not lines:
            return
        first, bold = lines[0]
        if bold and _heading_like(first := _clean(first)):
            self._heading(first)
            lines = lines[1:]
        if lines:
            self._keep_or_drop(_clean(" ".join(line for line, _ in lines)), link_chars)

    def _heading(self, text: str) -> None:
        """Start a section; a chrome heading ("Related", "Share this:") starts a skipped one."""
        text = text.rstrip(":").strip()
        if not text or text.casefold() == self.title:
            return
        rule = match_rule(text)
        if rule is not None and rule.name in _CHROME_HEADING_RULES:
            self.chrome_section = f"under heading {text!r} ({rule.name})"
        else:
            self.section, self.chrome_section = text, None

    def _keep_or_drop(self, text: str, link_chars: int) -> None:
        """Keep ``text`` as a paragraph unless a rule says it is boilerplate."""
        if not text:
            return
        reason: str | None = self.chrome_section
        all_link = link_chars >= 0.8 * len(text)
        if reason is None and all_link and text.count(" ") < _LINK_LINE_MAX_WORDS:
            reason = "link-only line (navigation or related post)"
        if reason is None and (rule := match_rule(text, clean=True)) is not None:
            reason = f"{rule.name}: {rule.reason}"
        if reason is None:
            self.paragraphs.append(Paragraph(text, self.section))
        else:
            self.dropped.append((text, reason))


def _heading_like(line: str) -> bool:
    """Tell whether a bold-only line is a heading: short, unpunctuated, not dated reporting."""
    return (
        len(line.split()) <= _MAX_HEADING_WORDS
        and not line.endswith((".", "!", "?", ",", ";"))
        and not opens_like_reporting(line)
    )


def _read_paragraphs(
    bodies: list[Element], *, title: str | None = None
) -> tuple[list[Paragraph], list[tuple[str, str]]]:
    """Return the paragraphs of the body element(s), and the lines dropped with reasons.

    A heading that repeats the ``title`` is not a section.
    """
    reader = _Reader(title)
    for body in bodies:
        reader.read(body)
    return reader.paragraphs, reader.dropped
