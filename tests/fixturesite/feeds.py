"""RSS 2.0 feeds as WordPress writes them, with site-wide validators and ``?paged=N``.

The ETag and Last-Modified are the same for every feed of a site and change when
any post is added or edited, which is why a crawler cannot use them to tell which
post changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import messages
from .content import Post
from .markup import attr, cdata, rfc822, wp_text

if TYPE_CHECKING:
    from .messages import Response
    from .wordpress import WordPressApp

FEED_SIZE = 10
_NAMESPACES = """<rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>"""


def _link(app: WordPressApp, post: Post) -> str:
    """Plain-permalink sites (theme B) tag feed links for their analytics."""
    url = app.url_of(post)
    if "feed-relative" in app.config.quirks:
        return "/" + url.split("/", 3)[3]
    if app.pretty:
        return url
    return f"{url}&#038;utm_source=rss&#038;utm_medium=rss&#038;utm_campaign={post.slug}"


def _item(app: WordPressApp, post: Post) -> str:
    cats = "".join(f"\n\t\t<category>{cdata(c)}</category>" for c in post.categories + post.tags)
    return f"""	<item>
		<title>{wp_text(post.title or "")}</title>
		<link>{_link(app, post)}</link>
		<comments>{attr(app.url_of(post))}#respond</comments>
		<pubDate>{rfc822(post.date)}</pubDate>
		<dc:creator>{cdata(post.author)}</dc:creator>{cats}
		<guid isPermaLink="false">{app.shortlink(post)}</guid>
		<description>{cdata(wp_text(app.theme.excerpt(app, post)))}</description>
		<content:encoded>{cdata(app.theme.content_html(app, post, for_feed=True))}</content:encoded>
		<slash:comments>{len(post.comments)}</slash:comments>
	</item>
"""


def _bad_item(app: WordPressApp) -> str:
    if "bad-links" not in app.config.quirks:
        return ""
    from .wordpress import BAD_LINK

    return f"\t<item><title>Oops</title><link>{BAD_LINK}</link></item>\n"


def rss(app: WordPressApp, posts: list[Post], page: int, link: str) -> Response:
    """Page ``page`` of a feed over ``posts`` (newest first), 10 items a page."""
    chunk = posts[(page - 1) * FEED_SIZE : page * FEED_SIZE]
    if page < 1 or (page > 1 and not chunk):
        return app.not_found()
    etag, modified = app.feed_validators()
    chrome = app.chrome
    body = f"""<?xml version="1.0" encoding="UTF-8"?>{_NAMESPACES}

<channel>
	<title>{wp_text(chrome.name)}</title>
	<atom:link href="{attr(app.feed_url(page))}" rel="self" type="application/rss+xml" />
	<link>{attr(link)}</link>
	<description>{wp_text(chrome.tagline)}</description>
	<lastBuildDate>{rfc822(modified)}</lastBuildDate>
	<language>en-US</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<sy:updateFrequency>1</sy:updateFrequency>
	<generator>https://wordpress.org/?v=4.9.8</generator>
{_bad_item(app)}{"".join(_item(app, p) for p in chunk)}</channel>
</rss>
"""
    return messages.xml(
        body, "application/rss+xml; charset=UTF-8", etag=etag, last_modified=modified
    )


def comments_rss(app: WordPressApp) -> Response:
    """The site's comments feed: reader comments, which are never articles."""
    comments = sorted(
        ((c, p, k) for p in app.posts() for k, c in enumerate(p.comments)),
        key=lambda cpk: cpk[0].date,
        reverse=True,
    )[:FEED_SIZE]
    items = "".join(
        f"""	<item>
		<title>Comment on {wp_text(p.title or "")} by {wp_text(c.author)}</title>
		<link>{attr(app.url_of(p))}#comment-{p.id * 10 + k}</link>
		<dc:creator>{cdata(c.author)}</dc:creator>
		<pubDate>{rfc822(c.date)}</pubDate>
		<guid isPermaLink="false">{app.root}/?p={p.id}#comment-{p.id * 10 + k}</guid>
		<description>{cdata(wp_text(c.text))}</description>
		<content:encoded>{cdata(f"<p>{wp_text(c.text)}</p>")}</content:encoded>
	</item>
"""
        for c, p, k in comments
    )
    etag, modified = app.feed_validators()
    body = f"""<?xml version="1.0" encoding="UTF-8"?>{_NAMESPACES}
<channel>
	<title>Comments for {wp_text(app.chrome.name)}</title>
	<atom:link href="{attr(app.comments_feed_url())}" rel="self" type="application/rss+xml" />
	<link>{app.root}/</link>
	<description>{wp_text(app.chrome.tagline)}</description>
	<lastBuildDate>{rfc822(modified)}</lastBuildDate>
{items}</channel>
</rss>
"""
    return messages.xml(
        body, "application/rss+xml; charset=UTF-8", etag=etag, last_modified=modified
    )
