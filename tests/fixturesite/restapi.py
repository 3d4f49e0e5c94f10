"""The WordPress REST API (``/wp/v2/posts`` and friends), open or closed by a security plugin.

Behaviour copied from WordPress because crawlers depend on it: ``per_page`` at most
100; ``X-WP-Total``/``X-WP-TotalPages``; HTTP 400 ``rest_post_invalid_page_number``
past the last page; and ``after``/``modified_after`` compare the *wall-clock* part
of the value with the post's site-local time, ignoring any offset in the value
(so a UTC timestamp is off by the site's ``gmt_offset``: query with an overlap).
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from . import messages
from .content import Post, slugify
from .markup import iso_naive, wp_text

if TYPE_CHECKING:
    from .messages import Request, Response
    from .wordpress import WordPressApp

ORDER_BY = {
    "date": lambda p: (p.date, p.id),
    "modified": lambda p: (p.modified, p.id),
    "id": lambda p: p.id,
    "title": lambda p: (p.title or "").lower(),
    "slug": lambda p: p.slug,
}


class ApiError(Exception):
    """A WordPress REST error: its code, message and HTTP status."""

    def __init__(self, status: int, code: str, message: str, params: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.params = status, code, message, params

    def response(self) -> Response:
        data: dict[str, Any] = {"status": self.status}
        if self.params:
            data["params"] = self.params
        return messages.as_json(
            {"code": self.code, "message": self.message, "data": data}, self.status
        )


def handle(app: WordPressApp, req: Request, route: str) -> Response:
    """Answer one REST request for ``route`` (``/wp/v2/posts`` ...)."""
    if not app.config.rest_open:
        return ApiError(401, "rest_forbidden", "Sorry, you are not allowed to do that.").response()
    if "rest-html" in app.config.quirks:
        return app.listing(app.posts(), 1, None)  # a plugin's page, or the home page
    try:
        return _dispatch(app, req, route.rstrip("/") or "/")
    except ApiError as error:
        return error.response()


def _dispatch(app: WordPressApp, req: Request, route: str) -> Response:
    q = req.query
    if route == "/":
        return messages.as_json(_root_index(app))
    if route == "/wp/v2/posts":
        return _posts(app, req)
    if m := re.fullmatch(r"/wp/v2/posts/(\d+)", route):
        post = app.site.store.get(int(m.group(1)))
        if post is None:
            raise ApiError(404, "rest_post_invalid_id", "Invalid post ID.")
        return messages.as_json(_shape(_post_json(app, post, "_embed" in q), q))
    if route in ("/wp/v2/categories", "/wp/v2/tags", "/wp/v2/users"):
        return _terms(app, req, route.rsplit("/", 1)[1])
    if m := re.fullmatch(r"/wp/v2/(categories|tags|users)/(\d+)", route):
        items = [t for t in _term_list(app, m.group(1)) if t["id"] == int(m.group(2))]
        if not items:
            raise ApiError(404, "rest_term_invalid", "Term does not exist.")
        return messages.as_json(items[0])
    raise ApiError(404, "rest_no_route", "No route was found matching the URL and request method.")


def _int_param(q: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = q.get(name, str(default))
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ApiError(
            400,
            "rest_invalid_param",
            f"Invalid parameter(s): {name}",
            {name: f"{name} must be between {low} (inclusive) and {high} (inclusive)"},
        )
    return int(raw)


def _wall_clock(q: dict[str, str], name: str) -> datetime | None:
    """The parameter's wall-clock time with any offset dropped, as WordPress compares it."""
    if name not in q:
        return None
    try:
        return datetime.fromisoformat(q[name]).replace(tzinfo=None)
    except ValueError:
        raise ApiError(
            400, "rest_invalid_param", f"Invalid parameter(s): {name}", {name: "Invalid date."}
        ) from None


def _ids(q: dict[str, str], name: str) -> set[int] | None:
    if not q.get(name):
        return None
    return {int(x) for x in q[name].split(",") if x.strip().isdigit()}


def _filter(app: WordPressApp, q: dict[str, str]) -> list[Post]:
    """The posts matching the query's filters, in the requested order."""
    index = app.index()
    posts = app.posts()
    bounds = [
        (name, _wall_clock(q, name))
        for name in ("after", "before", "modified_after", "modified_before")
    ]
    for name, bound in bounds:
        if bound is None:
            continue
        attr = "modified" if name.startswith("modified") else "date"
        if name.endswith("after"):
            posts = [p for p in posts if _local(app, getattr(p, attr)) > bound]
        else:
            posts = [p for p in posts if _local(app, getattr(p, attr)) < bound]
    for name, table, field in (
        ("categories", index.categories, "categories"),
        ("tags", index.tags, "tags"),
    ):
        wanted = _ids(q, name)
        if wanted is not None:
            posts = [p for p in posts if any(table.get(n) in wanted for n in getattr(p, field))]
    if (include := _ids(q, "include")) is not None:
        posts = [p for p in posts if p.id in include]
    if (author := _ids(q, "author")) is not None:
        posts = [p for p in posts if index.users.get(p.author) in author]
    if q.get("slug"):
        posts = [p for p in posts if p.slug in q["slug"].split(",")]
    if q.get("search"):
        needle = q["search"].lower()
        posts = [
            p for p in posts if needle in " ".join([p.title or "", *p.paragraph_texts()]).lower()
        ]
    orderby = q.get("orderby", "date")
    if orderby not in ORDER_BY or q.get("order", "desc") not in ("asc", "desc"):
        bad = "orderby" if orderby not in ORDER_BY else "order"
        raise ApiError(
            400,
            "rest_invalid_param",
            f"Invalid parameter(s): {bad}",
            {bad: f"{bad} is not one of {', '.join(ORDER_BY)}."},
        )
    return sorted(posts, key=ORDER_BY[orderby], reverse=q.get("order", "desc") == "desc")


def _local(app: WordPressApp, dt: datetime) -> datetime:
    return app.local(dt).replace(tzinfo=None)


def _posts(app: WordPressApp, req: Request) -> Response:
    q = req.query
    per_page = _int_param(q, "per_page", 10, 1, 100)
    page = _int_param(q, "page", 1, 1, 10**6)
    posts = _filter(app, q)
    total, pages = len(posts), math.ceil(len(posts) / per_page)
    if page > pages and total > 0:
        raise ApiError(
            400,
            "rest_post_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        )
    chunk = posts[(page - 1) * per_page : page * per_page]
    body = [_shape(_post_json(app, p, "_embed" in q), q) for p in chunk]
    headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]
    if "rest-no-total" in app.config.quirks:
        headers = []
    links = [(page - 1, "prev")] if page > 1 else []
    links += [(page + 1, "next")] if page < pages else []
    for n, rel in links:
        headers.append(
            ("Link", f'<{app.rest_url("/wp/v2/posts")}{_query(app, q, n)}>; rel="{rel}"')
        )
    headers.append(("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link"))
    return messages.as_json(body, headers=headers)


def _query(app: WordPressApp, q: dict[str, str], page: int) -> str:
    params = {k: v for k, v in q.items() if k not in ("rest_route", "page")}
    params["page"] = str(page)
    return ("?" if app.pretty else "&") + urlencode(params)


def _post_json(app: WordPressApp, post: Post, embed: bool) -> dict[str, Any]:
    index = app.index()
    rest = app.rest_url
    data: dict[str, Any] = {
        "id": post.id,
        "date": iso_naive(app.local(post.date)),
        "date_gmt": iso_naive(post.date),
        "guid": {"rendered": app.shortlink(post)},
        "modified": iso_naive(app.local(post.modified)),
        "modified_gmt": iso_naive(post.modified),
        "slug": post.slug,
        "status": "publish",
        "type": "post",
        "link": app.url_of(post),
        "title": {"rendered": wp_text(post.title or "")},
        "content": {"rendered": app.theme.content_html(app, post), "protected": False},
        "excerpt": {
            "rendered": f"<p>{wp_text(app.theme.excerpt(app, post))}</p>\n",
            "protected": False,
        },
        "author": index.users[post.author],
        "featured_media": 0,
        "comment_status": "open",
        "ping_status": "open",
        "sticky": False,
        "template": "",
        "format": "standard",
        "meta": [],
        "categories": [index.categories[c] for c in post.categories],
        "tags": [index.tags[t] for t in post.tags],
        "_links": {
            "self": [{"href": rest(f"/wp/v2/posts/{post.id}")}],
            "collection": [{"href": rest("/wp/v2/posts")}],
            "author": [
                {"embeddable": True, "href": rest(f"/wp/v2/users/{index.users[post.author]}")}
            ],
            "wp:term": [
                {
                    "taxonomy": "category",
                    "embeddable": True,
                    "href": rest("/wp/v2/categories")
                    + f"{'?' if app.pretty else '&'}post={post.id}",
                },
                {
                    "taxonomy": "post_tag",
                    "embeddable": True,
                    "href": rest("/wp/v2/tags") + f"{'?' if app.pretty else '&'}post={post.id}",
                },
            ],
        },
    }
    if "rest-no-content" in app.config.quirks:
        del data["content"]
    elif "rest-protected" in app.config.quirks and post.id % 4 == 0:
        data["content"] = {"rendered": "", "protected": True}
    if embed:
        terms = {t["name"]: t for kind in ("categories", "tags") for t in _term_list(app, kind)}
        data["_embedded"] = {
            "author": [_user(app, post.author)],
            "wp:term": [[terms[c] for c in post.categories], [terms[t] for t in post.tags]],
        }
    return data


def _shape(data: dict[str, Any], q: dict[str, str]) -> dict[str, Any]:
    """Apply ``_fields`` (top-level names, or ``title.rendered`` style paths)."""
    if not q.get("_fields"):
        return data
    out: dict[str, Any] = {}
    for path in q["_fields"].split(","):
        head, _, sub = path.strip().partition(".")
        if head not in data:
            continue
        if sub and isinstance(data[head], dict):
            out.setdefault(head, {})[sub] = data[head].get(sub)
        else:
            out[head] = data[head]
    return out


def _user(app: WordPressApp, name: str) -> dict[str, Any]:
    uid = app.index().users[name]
    return {
        "id": uid,
        "name": name,
        "url": "",
        "description": "",
        "link": app.archive_url("author", name),
        "slug": slugify(name),
        "avatar_urls": {"24": "https://secure.gravatar.com/avatar/?s=24"},
        "_links": {"self": [{"href": app.rest_url(f"/wp/v2/users/{uid}")}]},
    }


def _term_list(app: WordPressApp, kind: str) -> list[dict[str, Any]]:
    index = app.index()
    if kind == "users":
        return [_user(app, name) for name in index.users]
    table = index.categories if kind == "categories" else index.tags
    taxonomy = "category" if kind == "categories" else "post_tag"
    field = "categories" if kind == "categories" else "tags"
    counts = {n: sum(n in getattr(p, field) for p in app.posts()) for n in table}
    return [
        {
            "id": tid,
            "count": counts[name],
            "description": "",
            "link": app.archive_url("category" if kind == "categories" else "tag", name),
            "name": name,
            "slug": slugify(name),
            "taxonomy": taxonomy,
            "parent": 0,
            "meta": [],
            "_links": {"self": [{"href": app.rest_url(f"/wp/v2/{kind}/{tid}")}]},
        }
        for name, tid in sorted(table.items(), key=lambda kv: kv[0].lower())
    ]


def _terms(app: WordPressApp, req: Request, kind: str) -> Response:
    q = req.query
    items = _term_list(app, kind)
    if q.get("slug"):
        items = [t for t in items if t["slug"] in q["slug"].split(",")]
    if (include := _ids(q, "include")) is not None:
        items = [t for t in items if t["id"] in include]
    if (post_id := q.get("post", "")).isdigit():
        post = app.site.store.get(int(post_id))
        names = set(post.categories + post.tags) if post else set()
        items = [t for t in items if t["name"] in names]
    per_page = _int_param(q, "per_page", 10, 1, 100)
    page = _int_param(q, "page", 1, 1, 10**6)
    pages = math.ceil(len(items) / per_page)
    headers = [("X-WP-Total", str(len(items))), ("X-WP-TotalPages", str(pages))]
    return messages.as_json(items[(page - 1) * per_page : page * per_page], headers=headers)


def _root_index(app: WordPressApp) -> dict[str, Any]:
    routes = [
        "/",
        "/wp/v2",
        "/wp/v2/posts",
        "/wp/v2/posts/(?P<id>[\\d]+)",
        "/wp/v2/categories",
        "/wp/v2/tags",
        "/wp/v2/users",
    ]
    return {
        "name": app.chrome.name,
        "description": app.chrome.tagline,
        "url": app.root,
        "home": app.root,
        "gmt_offset": f"{app.config.utc_offset:g}",
        "timezone_string": "",
        "namespaces": ["oembed/1.0", "wp/v2"],
        "authentication": [],
        "routes": {
            r: {
                "namespace": "wp/v2" if r != "/" else "",
                "methods": ["GET"],
                "endpoints": [{"methods": ["GET"], "args": {}}],
                "_links": {"self": [{"href": app.rest_url(r)}]},
            }
            for r in routes
        },
        "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
    }
