"""robots.txt and sitemaps: WordPress core's ``/wp-sitemap.xml`` or Yoast's index.

Both list posts oldest first, so the newest sit on the last page. Core sitemaps put
``<lastmod>`` on URL entries but not on the index; Yoast puts it on both and
redirects ``/wp-sitemap.xml`` and ``/sitemap.xml`` to its own index.
"""

from __future__ import annotations

import gzip
import math
import re
from typing import TYPE_CHECKING

from . import messages
from .markup import iso

if TYPE_CHECKING:
    from .content import Post
    from .messages import Response
    from .wordpress import WordPressApp

_XMLNS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def robots(app: WordPressApp) -> Response:
    """WordPress's virtual robots.txt, plus a private area on sites that have one."""
    sitemap = "/wp-sitemap.xml" if app.config.sitemap == "core" else "/sitemap_index.xml"
    if "sitemap-elsewhere" in app.config.quirks:
        sitemap = ELSEWHERE
    private = "Disallow: /private/\n" if app.config.private_page else ""
    return messages.text(
        f"User-agent: *\nDisallow: /wp-admin/\n{private}Allow: /wp-admin/admin-ajax.php\n\n"
        f"Sitemap: {app.root}{sitemap}\n"
    )


ELSEWHERE = "/seo-plugin/maps/index.xml"


def handle(app: WordPressApp, path: str) -> Response:
    """Any ``*.xml`` path of a WordPress site."""
    if "sitemap-elsewhere" in app.config.quirks:
        if path == ELSEWHERE:
            path = "/wp-sitemap.xml"
        elif path in ("/wp-sitemap.xml", "/sitemap.xml", "/sitemap_index.xml"):
            return app.not_found()
    if app.config.sitemap == "core":
        return _core(app, path)
    return _yoast(app, path)


def _pages(app: WordPressApp) -> list[list[Post]]:
    posts, size = app.site.store.oldest_first(), app.config.sitemap_page_size
    return [posts[i * size : (i + 1) * size] for i in range(max(1, math.ceil(len(posts) / size)))]


def _urlset(app: WordPressApp, posts: list[Post], stylesheet: str) -> str:
    urls = "".join(
        f"<url><loc>{_xml_url(app.url_of(p))}</loc><lastmod>{iso(p.modified)}</lastmod></url>"
        for p in posts
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" '
        f'href="{app.root}/{stylesheet}" ?>\n<urlset {_XMLNS}>{urls}</urlset>\n'
    )


def _xml_url(url: str) -> str:
    return url.replace("&", "&amp;")


def _core(app: WordPressApp, path: str) -> Response:
    if path == "/sitemap.xml":
        return messages.redirect(f"{app.root}/wp-sitemap.xml")
    packed = "sitemap-gzip" in app.config.quirks
    if path == "/wp-sitemap.xml":
        suffix = ".xml.gz" if packed else ".xml"
        maps = [f"wp-sitemap-posts-post-{n}{suffix}" for n in range(1, len(_pages(app)) + 1)]
        maps += [
            "wp-sitemap-posts-page-1.xml",
            "wp-sitemap-taxonomies-category-1.xml",
            "wp-sitemap-users-1.xml",
        ]
        entries = "".join(f"<sitemap><loc>{app.root}/{m}</loc></sitemap>" for m in maps)
        return messages.xml(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" '
            f'href="{app.root}/wp-sitemap-index.xsl" ?>\n<sitemapindex {_XMLNS}>{entries}'
            f"</sitemapindex>\n"
        )
    if m := re.fullmatch(r"/wp-sitemap-posts-post-(\d+)\.xml(\.gz)?", path):
        pages, n = _pages(app), int(m.group(1))
        if 1 <= n <= len(pages) and packed == bool(m.group(2)):
            body = _urlset(app, pages[n - 1], "wp-sitemap.xsl")
            if packed:  # a file, as a plugin writes it: no Content-Encoding to undo
                return messages.Response(200, gzip.compress(body.encode()), "application/x-gzip")
            return messages.xml(body)
    if path == "/wp-sitemap-posts-page-1.xml":
        urls = "".join(f"<url><loc>{app.page_url(p)}</loc></url>" for p in ("about", "subscribe"))
        return messages.xml(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {_XMLNS}>{urls}</urlset>\n'
        )
    if path == "/wp-sitemap-taxonomies-category-1.xml":
        return messages.xml(_terms(app, "category"))
    if path == "/wp-sitemap-users-1.xml":
        return messages.xml(_terms(app, "author"))
    return app.not_found()


def _terms(app: WordPressApp, kind: str) -> str:
    index = app.index()
    names = index.categories if kind == "category" else index.users
    used = {n for p in app.posts() for n in (p.categories if kind == "category" else [p.author])}
    urls = "".join(
        f"<url><loc>{_xml_url(app.archive_url(kind, n))}</loc></url>" for n in names if n in used
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {_XMLNS}>{urls}</urlset>\n'


def _yoast(app: WordPressApp, path: str) -> Response:
    if path in ("/wp-sitemap.xml", "/sitemap.xml"):
        return messages.redirect(f"{app.root}/sitemap_index.xml")
    pages = _pages(app)
    names = ["post-sitemap.xml"] + [f"post-sitemap{n}.xml" for n in range(2, len(pages) + 1)]
    if path == "/sitemap_index.xml":
        entries = "".join(
            f"<sitemap><loc>{app.root}/{name}</loc><lastmod>{iso(max(p.modified for p in chunk))}"
            f"</lastmod></sitemap>"
            for name, chunk in zip(names, pages, strict=True)
            if chunk
        )
        entries += f"<sitemap><loc>{app.root}/page-sitemap.xml</loc></sitemap>"
        entries += f"<sitemap><loc>{app.root}/category-sitemap.xml</loc></sitemap>"
        return messages.xml(
            f'<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" '
            f'href="{app.root}/main-sitemap.xsl"?>\n<sitemapindex xmlns:xsi="http://www.w3.org/'
            f'2001/XMLSchema-instance" {_XMLNS}>{entries}</sitemapindex>\n<!-- XML Sitemap '
            f"generated by Yoast SEO -->"
        )
    if path.lstrip("/") in names:
        return messages.xml(_urlset(app, pages[names.index(path.lstrip("/"))], "main-sitemap.xsl"))
    if path == "/page-sitemap.xml":
        urls = f"<url><loc>{app.root}/</loc></url><url><loc>{app.page_url('about')}</loc></url>"
        return messages.xml(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {_XMLNS}>{urls}</urlset>\n'
        )
    if path == "/category-sitemap.xml":
        return messages.xml(_terms(app, "category"))
    return app.not_found()
