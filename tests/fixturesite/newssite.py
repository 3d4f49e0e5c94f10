"""Site C: a plain news site, not WordPress, with nothing machine-readable.

Articles live at ``/news/YYYY/MM/slug.html`` in ``div#story.story-body`` under
``h1.headline``; the only date is the text of ``p.dateline`` ("7 March 2016").
The listing ``/news/`` pages with ``?page=N`` and a ``rel="next"`` link. There is no
feed, no sitemap and no API: a crawler has to walk the listing.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import messages
from .content import Post
from .markup import attr, uk_date, utf8_text

if TYPE_CHECKING:
    from .messages import Request, Response
    from .server import FixtureSite

ADVERT = "Advertisement"
SHARE = "Share this article: Facebook | Twitter | Email"
FOLLOW = "Follow North Africa Daily on Twitter for the latest news from the region."


@dataclass(frozen=True)
class NewsChrome:
    """The news site's own words: all boilerplate."""

    name: str = "North Africa Daily"
    tagline: str = "News from Libya, Tunisia and the Sahel"
    footer: str = (
        "© 2016 North Africa Daily. All rights reserved. Reproduction without permission is"
        " prohibited."
    )
    origin_name: str = "Libya Security Monitor"


class NewsApp:
    """Serves site C from the site's store."""

    per_page = 5

    def __init__(self, site: FixtureSite, chrome: NewsChrome | None = None) -> None:
        self.site, self.chrome = site, chrome or NewsChrome()
        self.default_headers: list[tuple[str, str]] = [("Cache-Control", "max-age=60")]

    @property
    def root(self) -> str:
        return self.site.root.rstrip("/")

    def url_of(self, post: Post) -> str:
        return f"{self.root}/news/{post.date:%Y/%m}/{post.slug}.html"

    def credit(self, post: Post) -> str | None:
        if not post.origin:
            return None
        return (
            f"This report first appeared on {self.chrome.origin_name}. {post.footer or ''}".strip()
        )

    def handle(self, req: Request) -> Response:
        """Answer one GET request."""
        path = req.path
        if path == "/robots.txt":
            return messages.text("User-agent: *\nDisallow: /search\n")
        if path == "/":
            return messages.html(self._page("Home", self._home()))
        if path == "/news":
            return messages.redirect(f"{self.root}/news/")
        if path == "/news/":
            page = req.query.get("page", "1")
            return self._listing(int(page) if page.isdigit() else 0)
        if path == "/about.html":
            about = f"<h1>About us</h1><p>{utf8_text(self.chrome.tagline)}.</p>"
            return messages.html(self._page("About us", about))
        if m := re.fullmatch(r"/news/(\d{4})/(\d{2})/([\w-]+)\.html", path):
            post = self.site.store.by_slug(m.group(3))
            if post and f"{post.date:%Y/%m}" == f"{m.group(1)}/{m.group(2)}":
                return self._article(post)
        return self.not_found()

    def not_found(self) -> Response:
        return messages.html(
            self._page(
                "Page not found",
                "<h1>Page not found</h1><p>Sorry, we could not find that page.</p>",
            ),
            404,
        )

    def _page(self, title: str, main: str, extra: str = "") -> str:
        name = utf8_text(self.chrome.name)
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{utf8_text(title)} - {name}</title>
<link rel="stylesheet" href="/static/site.css">
{extra}</head>
<body>
<div id="top"><a href="/" class="logo"><img src="/static/logo.gif" alt="{attr(self.chrome.name)}"></a>
<ul class="nav"><li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li><a href="/about.html">About</a></li></ul></div>
<div id="main">
{main}
</div>
<div id="footer"><p>{utf8_text(self.chrome.footer)}</p></div>
</body>
</html>
"""  # noqa: E501

    def _article(self, post: Post) -> Response:
        rng = random.Random(post.id)
        parts = [f'<div class="advert">{ADVERT}</div>'] if rng.random() < 0.7 else []
        for section in post.sections:
            if section.heading:
                parts.append(f'<h3 class="crosshead">{utf8_text(section.heading)}</h3>')
            parts += [f"<p>{utf8_text(p)}</p>" for p in section.paragraphs]
        parts.append(f'<p class="share">{SHARE}</p>')
        if credit := self.credit(post):
            parts.append(f'<p class="credit"><em>{utf8_text(credit)}</em></p>')
        parts.append(f"<p><strong>{utf8_text(FOLLOW)}</strong></p>")
        more = "".join(
            f'<li><a href="{self.url_of(p)}">{utf8_text(p.title or "")}</a></li>'
            for p in self._newest()[:4]
            if p.id != post.id
        )
        main = (
            f'<h1 class="headline">{utf8_text(post.title or "")}</h1>\n<p class="byline">By '
            f'{utf8_text(post.author)}</p>\n<p class="dateline">{uk_date(post.date)}</p>\n'
            f'<div id="story" class="story-body">\n' + "\n".join(parts) + "\n</div>\n"
            f'<div class="related"><h4>More from {utf8_text(self.chrome.name)}</h4><ul>{more}'
            f"</ul></div>"
        )
        resp = messages.html(self._page(post.title or self.chrome.name, main))
        resp.post_id = post.id
        return resp

    def article_without_body(self, post: Post) -> str:
        """The article page with the story element missing (for the "no-body" fault)."""
        main = (
            f'<h1 class="headline">{utf8_text(post.title or "")}</h1>\n<p class="dateline">'
            f"{uk_date(post.date)}</p>\n<p>This story is no longer available.</p>"
        )
        return self._page(post.title or self.chrome.name, main)

    def _newest(self) -> list[Post]:
        return self.site.store.newest_first()

    def _home(self) -> str:
        top = "".join(
            f'<li><a href="{self.url_of(p)}">{utf8_text(p.title or "")}</a></li>'
            for p in self._newest()[:3]
        )
        return (
            f'<h2>Top stories</h2><ul class="top-stories">{top}</ul>'
            '<p><a href="/news/">All news</a></p>'
        )

    def _listing(self, page: int) -> Response:
        posts = self._newest()
        pages = max(1, math.ceil(len(posts) / self.per_page))
        if not 1 <= page <= pages:
            return self.not_found()
        items = "".join(
            f'<li class="story"><a class="story-link" href="{self.url_of(p)}"><h2>'
            f'{utf8_text(p.title or "")}</h2></a><p class="summary">'
            f"{utf8_text(' '.join(p.paragraph_texts()[0].split()[:25]))}...</p>"
            f'<span class="date">{uk_date(p.date)}</span></li>'
            for p in posts[(page - 1) * self.per_page : page * self.per_page]
        )
        links = "".join(
            f'<span class="current">{n}</span>'
            if n == page
            else f'<a href="/news/?page={n}">{n}</a>'
            for n in range(1, pages + 1)
        )
        if page < pages:
            links += f' <a rel="next" href="/news/?page={page + 1}">Older stories</a>'
        extra = (
            f'<link rel="next" href="{self.root}/news/?page={page + 1}">\n' if page < pages else ""
        )
        main = f'<h1>News</h1><ul class="story-list">{items}</ul><div class="pager">{links}</div>'
        return messages.html(
            self._page("News" if page == 1 else f"News - page {page}", main, extra)
        )

    def boilerplate_for(self, post: Post) -> list[str]:
        """Every non-article text block on this post's page."""
        out = [ADVERT, SHARE, FOLLOW, self.chrome.footer, self.credit(post) or ""]
        out += [p.title or "" for p in self._newest()[:4] if p.id != post.id]
        return list(dict.fromkeys(t for t in out if t))

    def private_paths(self) -> list[str]:
        return []
