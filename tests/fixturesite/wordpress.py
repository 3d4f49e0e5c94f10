"""A WordPress site: URL scheme, routing, and the look-ups its theme, feeds and API share.

Two URL schemes, as WordPress has: pretty permalinks (``/2016/03/08/slug/``,
``/page/2/``, ``/feed/``) and plain ones (``/?p=123``, ``/?paged=2``,
``/?feed=rss2``). The theme module (:mod:`.theme_a` or :mod:`.theme_b`) draws the
pages; :mod:`.feeds`, :mod:`.sitemaps` and :mod:`.restapi` serve the rest.
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from . import feeds, messages, restapi, sitemaps, theme_a, theme_b
from .content import Post, slugify
from .markup import local
from .messages import Request, Response

if TYPE_CHECKING:
    from .server import FixtureSite

TRANSPARENT_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@dataclass(frozen=True)
class Chrome:
    """A site's own words around the articles: every string here is boilerplate."""

    name: str
    tagline: str
    sidebar: str  # a widget shown on every page (it names places on purpose)
    calls_to_action: tuple[str, ...] = ()
    bio: str = ""  # the origin blog's bio, shown under republished copies
    footer: str = ""
    republished_notice: str = ""
    about: tuple[str, ...] = ()
    private: tuple[str, ...] = ()  # paragraphs of a page robots.txt forbids


@dataclass(frozen=True)
class WordPressConfig:
    """What distinguishes one WordPress install from another here."""

    theme: str = "a"  # "a" (origin blog) or "b" (republisher)
    pretty_permalinks: bool = True
    rest_open: bool = True
    sitemap: str = "core"  # "core" (/wp-sitemap.xml) or "yoast" (/sitemap_index.xml)
    utc_offset: float = 0.0  # WordPress's gmt_offset, in hours
    categories: dict[str, int] = field(default_factory=lambda: {"Uncategorized": 1})
    per_page: int = 10
    sitemap_page_size: int = 2000
    private_page: bool = False  # serve /private/briefings/, linked but disallowed
    announce_api: bool = True  # the <link rel="https://api.w.org/"> tag and Link header
    wp_json_path: bool = True  # serve /wp-json/ (False: only ?rest_route= answers)
    #: Ways real sites differ from a fresh install (see :data:`QUIRKS`).
    quirks: frozenset[str] = frozenset()


#: ``rest-html``: every REST route answers 200 with the home page (a security plugin);
#: ``rest-no-content``: posts come without ``content`` (a plugin trimming the API);
#: ``rest-no-total``: no ``X-WP-Total``/``X-WP-TotalPages`` headers (a CDN strips them);
#: ``rest-protected``: posts whose id is a multiple of 4 are password-protected;
#: ``feed-relative``: feed items link with root-relative URLs;
#: ``sitemap-gzip``: the index lists its post sitemaps as ``.xml.gz`` files;
#: ``bad-links``: feed and listing pages link to ``http://[oops/`` (no URL) among the rest;
#: ``sitemap-elsewhere``: the sitemap index is at a plugin's path that only robots.txt names.
QUIRKS = frozenset(
    (
        "rest-html",
        "rest-no-content",
        "rest-no-total",
        "rest-protected",
        "feed-relative",
        "sitemap-gzip",
        "bad-links",
        "sitemap-elsewhere",
    )
)
BAD_LINK = "http://[oops/broken-link/"


@dataclass
class _Index:
    categories: dict[str, int]
    tags: dict[str, int]
    users: dict[str, int]


_PRETTY = [
    (re.compile(r"^/$"), "home"),
    (re.compile(r"^/page/(\d+)/$"), "home"),
    (re.compile(r"^/(category|tag|author)/([\w-]+)/(?:page/(\d+)/)?$"), "archive"),
    (re.compile(r"^/category/([\w-]+)/feed/$"), "category_feed"),
    (re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([\w-]+)/$"), "post"),
    (re.compile(r"^/feed/$"), "feed"),
    (re.compile(r"^/comments/feed/$"), "comments_feed"),
    (re.compile(r"^/(about|subscribe)/$"), "page"),
    (re.compile(r"^/private/briefings/$"), "private"),
]


class WordPressApp:
    """Serves one WordPress site from its :class:`~.store.Store`."""

    def __init__(self, site: FixtureSite, chrome: Chrome, config: WordPressConfig) -> None:
        if unknown := config.quirks - QUIRKS:
            raise ValueError(f"unknown quirks: {sorted(unknown)}")
        self.site, self.chrome, self.config = site, chrome, config
        self.theme: ModuleType = theme_a if config.theme == "a" else theme_b
        self._index: tuple[int, _Index] | None = None
        self.default_headers = [("X-Powered-By", "PHP/7.0.33")]

    # -- URLs -------------------------------------------------------------------------
    @property
    def root(self) -> str:
        return self.site.root.rstrip("/")

    @property
    def pretty(self) -> bool:
        return self.config.pretty_permalinks

    def url_of(self, post: Post) -> str:
        """The canonical URL of a post."""
        if not self.pretty:
            return f"{self.root}/?p={post.id}"
        return f"{self.root}/{self.local(post.date):%Y/%m/%d}/{post.slug}/"

    def shortlink(self, post: Post) -> str:
        return f"{self.root}/?p={post.id}"

    def home_url(self, page: int = 1) -> str:
        if page == 1:
            return f"{self.root}/"
        return f"{self.root}/page/{page}/" if self.pretty else f"{self.root}/?paged={page}"

    def archive_url(self, kind: str, name: str, page: int = 1) -> str:
        """A category, tag or author listing."""
        if self.pretty:
            base = f"{self.root}/{kind}/{slugify(name)}/"
            return base if page == 1 else f"{base}page/{page}/"
        key, value = {
            "category": ("cat", self.index().categories.get(name)),
            "tag": ("tag", slugify(name)),
            "author": ("author", self.index().users.get(name)),
        }[kind]
        params: dict[str, object] = {key: value}
        if page > 1:
            params["paged"] = page
        return f"{self.root}/?{urlencode(params)}"

    def feed_url(self, page: int = 1) -> str:
        base = f"{self.root}/feed/" if self.pretty else f"{self.root}/?feed=rss2"
        return base if page == 1 else f"{base}{'?' if self.pretty else '&'}paged={page}"

    def comments_feed_url(self) -> str:
        return f"{self.root}/comments/feed/" if self.pretty else f"{self.root}/?feed=comments-rss2"

    def api_link(self) -> str:
        """The REST API's <link> tag for the page head, unless this site hides it."""
        if not self.config.announce_api:
            return ""
        return f"<link rel='https://api.w.org/' href='{self.rest_url('/')}' />\n"

    def rest_url(self, route: str = "/") -> str:
        if self.pretty:
            return f"{self.root}/wp-json{route}"
        return f"{self.root}/?rest_route={route}"

    def page_url(self, name: str) -> str:
        """``about``, ``subscribe`` or ``private``."""
        if name == "private":
            return f"{self.root}/private/briefings/"
        if self.pretty:
            return f"{self.root}/{name}/"
        return f"{self.root}/?page_id={2 if name == 'about' else 3}"

    def local(self, dt: datetime) -> datetime:
        return local(dt, self.config.utc_offset)

    # -- look-ups ---------------------------------------------------------------------
    def posts(self) -> list[Post]:
        return self.site.store.newest_first()

    def index(self) -> _Index:
        """Term and user ids, stable across mutations (new names get new ids)."""
        revision = self.site.store.revision
        if self._index and self._index[0] == revision:
            return self._index[1]
        categories = dict(self.config.categories)
        users: dict[str, int] = {}
        tags: dict[str, int] = {}
        for post in self.site.store.oldest_first():
            for name in post.categories:
                _assign(categories, name, 100, 900)
            for name in post.tags:
                _assign(tags, name, 1000, 9000)
            _assign(users, post.author, 2, 97)
        index = _Index(categories, tags, users)
        self._index = (revision, index)
        return index

    def recent(self, n: int = 5) -> list[Post]:
        return self.posts()[:n]

    def related(self, post: Post, n: int = 3) -> list[Post]:
        """The ``n`` posts published just before this one (stable when newer ones appear)."""
        at = self.site.store.position(post.id)
        return self.posts()[at + 1 : at + 1 + n]

    def neighbours(self, post: Post) -> tuple[Post | None, Post | None]:
        """(older, newer) for the post navigation links."""
        posts, at = self.posts(), self.site.store.position(post.id)
        newer = posts[at - 1] if at > 0 else None
        older = posts[at + 1] if at + 1 < len(posts) else None
        return older, newer

    def feed_validators(self) -> tuple[str, datetime]:
        """Site-wide ETag and Last-Modified: any new or edited post changes them."""
        store = self.site.store
        latest = store.latest_modified()
        digest = hashlib.md5(f"{latest.isoformat()}|{store.revision}|{len(store)}".encode())
        return f'"{digest.hexdigest()}"', latest

    # -- routing ----------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        """Answer one GET request."""
        path, query = req.path, req.query
        if "rest_route" in query:
            return restapi.handle(self, req, query["rest_route"] or "/")
        if self.config.wp_json_path and (path == "/wp-json" or path.startswith("/wp-json/")):
            return restapi.handle(self, req, path[len("/wp-json") :] or "/")
        if path == "/robots.txt":
            return sitemaps.robots(self)
        if path.endswith((".xml", ".xsl", ".xml.gz")):
            return sitemaps.handle(self, path)
        if path.startswith("/wp-content/uploads/"):
            return Response(200, TRANSPARENT_PNG, "image/png")
        if path == "/xmlrpc.php":
            return messages.text("XML-RPC server accepts POST requests only.", 405)
        if "share" in query and path != "/":
            return messages.redirect("https://twitter.com/intent/tweet", 302)
        return self._pretty(req) if self.pretty else self._plain(req)

    def _pretty(self, req: Request) -> Response:
        path, query = req.path, req.query
        if path == "/" and (redirect := self._query_redirect(query)):
            return redirect
        if path == "/" and query.get("feed") == "rss2":
            return self.feed(self.posts(), _int(query.get("paged", "1")), self.feed_url())
        for pattern, name in _PRETTY:
            if m := pattern.match(path):
                return self._route(name, m.groups(), query)
        if not path.endswith("/") and any(p.match(path + "/") for p, _ in _PRETTY):
            return messages.redirect(f"{self.root}{path}/")
        return self.not_found()

    def _query_redirect(self, query: dict[str, str]) -> Response | None:
        """WordPress's canonical redirect from plain query URLs to pretty ones."""
        if "p" in query:
            post = self.site.store.get(_int(query["p"]))
            return messages.redirect(self.url_of(post)) if post else self.not_found()
        if "paged" in query and "feed" not in query:
            return messages.redirect(self.home_url(_int(query["paged"])))
        if "cat" in query:
            names = {v: k for k, v in self.index().categories.items()}
            name = names.get(_int(query["cat"]))
            return messages.redirect(self.archive_url("category", name)) if name else None
        return None

    def _route(self, name: str, groups: tuple[str | None, ...], query: dict[str, str]) -> Response:
        if name == "home" and groups == ("1",):
            return messages.redirect(self.home_url())  # WordPress's canonical /page/1/ -> /
        if name == "home":
            return self.listing(self.posts(), _int(groups[0] or "1") if groups else 1, None)
        if name == "archive":
            kind, slug, page = groups
            return self.archive(kind or "", slug or "", _int(page or "1"))
        if name == "category_feed":
            cat = self._name_for("category", groups[0] or "")
            posts = [p for p in self.posts() if cat in p.categories]
            if cat is None:
                return self.not_found()
            return self.feed(
                posts, _int(query.get("paged", "1")), self.archive_url("category", cat)
            )
        if name == "post":
            post = self.site.store.by_slug(groups[3] or "")
            if post is None:
                return self.not_found()
            if f"{self.local(post.date):%Y/%m/%d}" != "/".join(g or "" for g in groups[:3]):
                return messages.redirect(self.url_of(post))  # a stale date in the link
            return self.post_page(post)
        if name == "feed":
            return self.feed(self.posts(), _int(query.get("paged", "1")), self.feed_url())
        if name == "comments_feed":
            return feeds.comments_rss(self)
        if name == "page":
            return self.static_page(groups[0] or "")
        if name == "private" and self.config.private_page:
            return self.static_page("private")
        return self.not_found()

    def _plain(self, req: Request) -> Response:
        path, q = req.path, req.query
        if path not in ("/", "/index.php"):
            return self.not_found()
        page = _int(q.get("paged", "1"))
        if "p" in q:
            post = self.site.store.get(_int(q["p"]))
            return self.post_page(post) if post else self.not_found()
        if "page_id" in q:
            return self.static_page({"2": "about", "3": "subscribe"}.get(q["page_id"], ""))
        if q.get("feed") == "rss2":
            return self.feed(self.posts(), page, self.feed_url())
        if q.get("feed") == "comments-rss2":
            return feeds.comments_rss(self)
        for key, kind in (("cat", "category"), ("tag", "tag"), ("author", "author")):
            if key in q:
                return self._plain_archive(kind, q[key], page)
        return self.listing(self.posts(), page, None)

    def _plain_archive(self, kind: str, value: str, page: int) -> Response:
        index = self.index()
        table = {"category": index.categories, "author": index.users}.get(kind)
        if table is not None:
            names = [n for n, i in table.items() if str(i) == value]
        else:
            names = [n for n in index.tags if slugify(n) == value]
        return self.archive(kind, slugify(names[0]), page) if names else self.not_found()

    def _name_for(self, kind: str, slug: str) -> str | None:
        index = self.index()
        table = {"category": index.categories, "tag": index.tags, "author": index.users}[kind]
        return next((n for n in table if slugify(n) == slug), None)

    # -- pages ------------------------------------------------------------------------
    def post_page(self, post: Post) -> Response:
        headers = [("Link", f"<{self.shortlink(post)}>; rel=shortlink")]
        if self.config.announce_api:
            headers.insert(0, ("Link", f'<{self.rest_url("/")}>; rel="https://api.w.org/"'))
        resp = messages.html(self.theme.article_page(self, post), headers=headers)
        resp.post_id = post.id
        if self.site.html_validators:
            digest = hashlib.md5(f"{post.id}|{post.modified.isoformat()}".encode()).hexdigest()
            resp.etag, resp.last_modified = f'"{digest}"', post.modified
        return resp

    def archive(self, kind: str, slug: str, page: int) -> Response:
        name = self._name_for(kind, slug)
        if name is None:
            return self.not_found()
        field_of = {
            "category": lambda p: p.categories,
            "tag": lambda p: p.tags,
            "author": lambda p: [p.author],
        }[kind]
        posts = [p for p in self.posts() if name in field_of(p)]
        return self.listing(posts, page, (kind, name))

    def listing(self, posts: list[Post], page: int, archive: tuple[str, str] | None) -> Response:
        """One page of a newest-first listing; 404 past the last page, as WordPress does."""
        pages = max(1, math.ceil(len(posts) / self.config.per_page))
        if not 1 <= page <= pages:
            return self.not_found()
        if archive is None:
            page_url = self.home_url
        else:
            kind, name = archive

            def page_url(n: int) -> str:
                return self.archive_url(kind, name, n)

        chunk = posts[(page - 1) * self.config.per_page : page * self.config.per_page]
        heading = f"{archive[0].title()}: {archive[1]}" if archive else None
        body = self.theme.listing_page(
            self, chunk, page=page, pages=pages, page_url=page_url, heading=heading
        )
        if "bad-links" in self.config.quirks:
            bad = f'<h2 class="entry-title"><a href="{BAD_LINK}" rel="bookmark">Oops</a></h2>'
            body = body.replace('<h2 class="entry-title">', bad + '<h2 class="entry-title">', 1)
        return messages.html(body)

    def feed(self, posts: list[Post], page: int, link: str) -> Response:
        return feeds.rss(self, posts, page, link)

    def static_page(self, name: str) -> Response:
        if name not in ("about", "subscribe", "private"):
            return self.not_found()
        return messages.html(self.theme.static_page(self, name))

    def not_found(self) -> Response:
        return messages.html(self.theme.not_found_page(self), 404)

    def article_without_body(self, post: Post) -> str:
        """The post's page with its content element missing (the "no-body" fault)."""
        return self.theme.article_page(self, post, with_body=False)

    # -- ground truth -----------------------------------------------------------------
    def boilerplate_for(self, post: Post) -> list[str]:
        """Every non-article string on this post's page (decoded text)."""
        return self.theme.boilerplate(self, post)

    def private_paths(self) -> list[str]:
        return ["/private/briefings/"] if self.config.private_page else []


def _assign(table: dict[str, int], name: str, base: int, spread: int) -> None:
    """Give ``name`` an id from a hash of its text (stable as posts come), probing on clashes."""
    if name in table:
        return
    taken = set(table.values())
    tid = base + zlib.crc32(name.encode()) % spread
    while tid in taken:
        tid += 1
    table[name] = tid


def _int(value: str) -> int:
    """A query or path number; junk reads as 0, which every caller treats as not found."""
    return int(value) if value.isdigit() else 0
