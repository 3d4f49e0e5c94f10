"""Theme A: the origin blog, a twentysixteen-like WordPress theme with Jetpack.

The article sits in ``div.entry-content`` with texturized text (``&#8217;``,
``&nbsp;``), and so does the boilerplate real pages carry there: calls to action,
an image caption that leaks a screenshot's file name, Jetpack's share and
related-posts blocks. Dates are machine-readable twice (``article:published_time``
in UTC, ``time.entry-date`` in site time).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .content import Comment, Post
from .markup import attr, iso, page_numbers, us_date, wp_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from .wordpress import WordPressApp

SHARE_TITLE = "Share this:"
EMPTY_TAGS = "Tags: , , ,"


@dataclass(frozen=True)
class Extras:
    """The in-body boilerplate one post carries, drawn from its id so it never changes."""

    top_cta: str | None
    bottom_cta: str | None
    caption: str | None
    strong_headings: bool  # headings as <p><strong> rather than <h3>
    empty_tags: bool


def extras(ctx: WordPressApp, post: Post) -> Extras:
    """What boilerplate this post's page carries."""
    rng = random.Random(post.id * 31 + 7)
    ctas = ctx.chrome.calls_to_action
    top = ctas[0] if ctas and rng.random() < 0.5 else None
    bottom = rng.choice(ctas[1:]) if len(ctas) > 1 and rng.random() < 0.6 else None
    caption = None
    if rng.random() < 0.6:
        day = post.date.date().replace(day=max(1, post.date.day - 1))
        caption = (
            f"Screen Shot {day:%Y-%m-%d} at {rng.randint(1, 11)}.{rng.randint(10, 59)}."
            f"{rng.randint(10, 59)} PM"
        )
    return Extras(top, bottom, caption, rng.random() < 0.4, rng.random() < 0.2)


def _cta_html(ctx: WordPressApp, text: str) -> str:
    """A call to action whose last word "here" links to the subscribe page."""
    body = wp_text(text)
    if body.endswith(" here."):
        body = body[: -len("here.")] + f'<a href="{ctx.page_url("subscribe")}">here</a>.'
    return f"<p>{body}</p>"


def _caption_html(ctx: WordPressApp, post: Post, caption: str) -> str:
    stamp = f"{post.date:%Y/%m}"
    file = caption.replace(" ", "-") + "-1024x576.png"
    img = (
        f'<img class="size-large wp-image-{post.id + 1}" src="{ctx.root}/wp-content/uploads/'
        f'{stamp}/{attr(file)}" alt="{attr(caption)}" width="640" height="360" />'
    )
    return (
        f'<div id="attachment_{post.id + 1}" style="width: 650px" class="wp-caption '
        f'aligncenter">{img}<p class="wp-caption-text">{wp_text(caption)}</p></div>'
    )


def _share_html(ctx: WordPressApp, post: Post) -> str:
    url = ctx.url_of(post)
    items = "".join(
        f'<li class="share-{net.lower()}"><a rel="nofollow noopener noreferrer" class="share-'
        f'{net.lower()} sd-button share-icon" href="{url}?share={net.lower()}" target="_blank" '
        f'title="Click to share on {net}"><span>{net}</span></a></li>'
        for net in ("Twitter", "Facebook", "LinkedIn")
    )
    return (
        f'<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block '
        f'sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">{SHARE_TITLE}</h3>'
        f'<div class="sd-content"><ul>{items}<li class="share-end"></li></ul></div></div>'
        f"</div>"
    )


def _related_html(ctx: WordPressApp, post: Post) -> str:
    items = "".join(
        f'<div class="jp-relatedposts-post jp-relatedposts-post{k}" data-post-id="{r.id}">'
        f'<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" '
        f'href="{ctx.url_of(r)}" title="{attr(r.title or "")}" rel="nofollow">'
        f'{wp_text(r.title or "")}</a></h4><p class="jp-relatedposts-post-date">'
        f"{us_date(ctx.local(r.date))}</p>"
        f'<p class="jp-relatedposts-post-context">In &quot;{wp_text(r.categories[0])}&quot;</p>'
        f"</div>"
        for k, r in enumerate(ctx.related(post))
    )
    return (
        f"<div id='jp-relatedposts' class='jp-relatedposts' ><h3 class=\"jp-relatedposts-"
        f'headline"><em>Related</em></h3><div class="jp-relatedposts-items '
        f'jp-relatedposts-items-visual">{items}</div></div>'
    )


def content_html(ctx: WordPressApp, post: Post, *, for_feed: bool = False) -> str:
    """The entry-content HTML, in-body boilerplate included (also the REST ``content``)."""
    ex = extras(ctx, post)
    out = []
    if ex.top_cta:
        out.append(_cta_html(ctx, ex.top_cta))
    if ex.caption:
        out.append(_caption_html(ctx, post, ex.caption))
    for section in post.sections:
        if section.heading and ex.strong_headings:
            out.append(f"<p><strong>{wp_text(section.heading)}</strong></p>")
        elif section.heading:
            out.append(f"<h3>{wp_text(section.heading)}</h3>")
        out.extend(f"<p>{wp_text(p)}</p>" for p in section.paragraphs)
    if ex.bottom_cta:
        out.append(_cta_html(ctx, ex.bottom_cta))
    if not for_feed:
        out.append(_share_html(ctx, post))
        out.append(_related_html(ctx, post))
    return "\n".join(out) + "\n"


def excerpt(ctx: WordPressApp, post: Post, words: int = 55) -> str:
    """WordPress's automatic excerpt: the first 55 words of the content text, then […]."""
    ex = extras(ctx, post)
    parts = [ex.top_cta or ""] + [
        t for s in post.sections for t in [s.heading or "", *s.paragraphs]
    ]
    tokens = " ".join(parts).split()
    return " ".join(tokens[:words]) + (" […]" if len(tokens) > words else "")


def _head(ctx: WordPressApp, title: str, canonical: str, extra: str = "") -> str:
    name = wp_text(ctx.chrome.name)
    return f"""<!DOCTYPE html>
<html lang="en-US" class="no-js">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="http://gmpg.org/xfn/11">
<title>{title}</title>
<link rel="canonical" href="{canonical}" />
{extra}<link rel='dns-prefetch' href='//fonts.googleapis.com' />
<link rel="alternate" type="application/rss+xml" title="{name} &raquo; Feed" href="{ctx.feed_url()}" />
<link rel="alternate" type="application/rss+xml" title="{name} &raquo; Comments Feed" href="{ctx.comments_feed_url()}" />
<link rel='stylesheet' id='twentysixteen-style-css' href='{ctx.root}/wp-content/themes/twentysixteen/style.css?ver=4.9.8' type='text/css' media='all' />
{ctx.api_link()}<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{ctx.root}/xmlrpc.php?rsd" />
<meta name="generator" content="WordPress 4.9.8" />
</head>
"""  # noqa: E501


def _masthead(ctx: WordPressApp) -> str:
    links = [
        ("Home", ctx.home_url()),
        ("Weekly Updates", ctx.archive_url("category", "Weekly Update")),
        ("Analysis", ctx.archive_url("category", "Analysis")),
        ("About", ctx.page_url("about")),
        ("Subscribe", ctx.page_url("subscribe")),
    ]
    if ctx.config.private_page:
        links.append(("Subscriber briefings", ctx.page_url("private")))
    items = "".join(f'<li class="menu-item"><a href="{u}">{t}</a></li>' for t, u in links)
    return f"""<div id="page" class="site"><div class="site-inner">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header" role="banner"><div class="site-header-main">
<div class="site-branding"><a href="{ctx.home_url()}" class="custom-logo-link" rel="home"><img src="{ctx.root}/wp-content/uploads/2015/01/logo.png" class="custom-logo" alt="{attr(ctx.chrome.name)} logo" /></a>
<p class="site-title"><a href="{ctx.home_url()}" rel="home">{wp_text(ctx.chrome.name)}</a></p>
<p class="site-description">{wp_text(ctx.chrome.tagline)}</p></div>
<div id="site-header-menu" class="site-header-menu"><nav id="site-navigation" class="main-navigation" role="navigation" aria-label="Primary Menu"><div class="menu-main-container"><ul id="menu-main" class="primary-menu">{items}</ul></div></nav></div>
</div></header>
<div id="content" class="site-content">
"""  # noqa: E501


def _sidebar_and_footer(ctx: WordPressApp) -> str:
    recent = "".join(
        f'<li><a href="{ctx.url_of(p)}">{wp_text(p.title or "")}</a></li>' for p in ctx.recent()
    )
    return f"""<aside id="secondary" class="sidebar widget-area" role="complementary">
<section id="text-2" class="widget widget_text"><h2 class="widget-title">About this blog</h2><div class="textwidget"><p>{wp_text(ctx.chrome.sidebar)}</p></div></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section>
</aside>
</div>
<footer id="colophon" class="site-footer" role="contentinfo"><nav class="main-navigation" aria-label="Footer Primary Menu"><ul class="primary-menu"><li><a href="{ctx.page_url("about")}">About</a></li><li><a href="{ctx.page_url("subscribe")}">Subscribe</a></li></ul></nav>
<div class="site-info"><span class="site-title"><a href="{ctx.home_url()}" rel="home">{wp_text(ctx.chrome.name)}</a></span> {wp_text(ctx.chrome.footer)}</div></footer>
</div></div>
</body>
</html>
"""  # noqa: E501


def _entry_footer(ctx: WordPressApp, post: Post, *, empty_tags: bool) -> str:
    loc_date, loc_mod = ctx.local(post.date), ctx.local(post.modified)
    author = (
        f'<a class="url fn n" href="{ctx.archive_url("author", post.author)}">{post.author}</a>'
    )
    cats = ", ".join(
        f'<a href="{ctx.archive_url("category", c)}" rel="category tag">{wp_text(c)}</a>'
        for c in post.categories
    )
    tags = ", ".join(
        f'<a href="{ctx.archive_url("tag", t)}" rel="tag">{wp_text(t)}</a>' for t in post.tags
    )
    tag_line = EMPTY_TAGS if empty_tags else tags
    return (
        f'<footer class="entry-footer"><span class="byline"><span class="author vcard">'
        f'<span class="screen-reader-text">Author </span> {author}</span></span>'
        f'<span class="posted-on"><span class="screen-reader-text">Posted on </span>'
        f'<a href="{ctx.url_of(post)}" rel="bookmark"><time class="entry-date published" '
        f'datetime="{iso(loc_date)}">{us_date(loc_date)}</time><time class="updated" '
        f'datetime="{iso(loc_mod)}">{us_date(loc_mod)}</time></a></span>'
        f'<span class="cat-links"><span class="screen-reader-text">Categories </span>{cats}'
        f'</span><span class="tags-links"><span class="screen-reader-text">Tags </span>'
        f"{tag_line}</span></footer>"
    )


def _comments(ctx: WordPressApp, post: Post) -> str:
    url = ctx.url_of(post)
    items = "".join(_comment(ctx, url, post.id * 10 + k, c) for k, c in enumerate(post.comments))
    title = ""
    if post.comments:
        title = (
            f'<h2 class="comments-title">{_comments_title(post)}</h2>'
            f'<ol class="comment-list">{items}</ol>'
        )
    return (
        f'<div id="comments" class="comments-area">{title}<div id="respond" class="comment-'
        f'respond"><h2 id="reply-title" class="comment-reply-title">Leave a Reply</h2><form '
        f'action="{ctx.root}/wp-comments-post.php" method="post" id="commentform" '
        f'class="comment-form"><p class="comment-notes">Your email address will not be '
        f'published.</p><textarea id="comment" name="comment"></textarea><input '
        f'name="submit" type="submit" id="submit" class="submit" value="Post Comment" /></form>'
        f"</div></div>"
    )


def _comment(ctx: WordPressApp, url: str, cid: int, c: Comment) -> str:
    when = ctx.local(c.date)
    return (
        f'<li id="comment-{cid}" class="comment even depth-1"><article id="div-comment-{cid}" '
        f'class="comment-body"><footer class="comment-meta"><div class="comment-author vcard">'
        f'<b class="fn">{wp_text(c.author)}</b> <span class="says">says:</span></div><div '
        f'class="comment-metadata"><a href="{url}#comment-{cid}"><time datetime="{iso(when)}">'
        f'{us_date(when)}</time></a></div></footer><div class="comment-content"><p>'
        f"{wp_text(c.text)}</p></div><div class=\"reply\"><a rel='nofollow' class='comment-reply-"
        f"link' href='{url}?replytocom={cid}#respond'>Reply</a></div></article></li>"
    )


def _comments_title(post: Post) -> str:
    n = len(post.comments)
    title = wp_text(post.title or "")
    return f"{'One thought' if n == 1 else f'{n} thoughts'} on &ldquo;{title}&rdquo;"


def article_page(ctx: WordPressApp, post: Post, *, with_body: bool = True) -> str:
    """A single post's page; ``with_body=False`` drops the entry-content (a fault page)."""
    url, ex = ctx.url_of(post), extras(ctx, post)
    title = wp_text(post.title or "")
    meta = (
        f'<meta property="og:type" content="article" />\n<meta property="og:title" '
        f'content="{attr(post.title or "")}" />\n<meta property="og:url" content="{url}" />\n'
        f'<meta property="article:published_time" content="{iso(post.date)}" />\n'
        f'<meta property="article:modified_time" content="{iso(post.modified)}" />\n'
        f"<link rel='shortlink' href='{ctx.shortlink(post)}' />\n"
    )
    classes = " ".join(
        [f"post-{post.id} post type-post status-publish format-standard hentry"]
        + [f"category-{c.lower().replace(' ', '-')}" for c in post.categories]
        + [f"tag-{t.lower()}" for t in post.tags]
    )
    body = f'<div class="entry-content">\n{content_html(ctx, post)}</div>\n' if with_body else ""
    older, newer = ctx.neighbours(post)
    nav = "".join(
        f'<div class="nav-{cls}"><a href="{ctx.url_of(p)}" rel="{rel}"><span class="meta-nav" '
        f'aria-hidden="true">{label}</span> <span class="post-title">{wp_text(p.title or "")}'
        f"</span></a></div>"
        for p, cls, rel, label in (
            (older, "previous", "prev", "Previous"),
            (newer, "next", "next", "Next"),
        )
        if p is not None
    )
    return (
        _head(ctx, f"{title} &#8211; {wp_text(ctx.chrome.name)}", url, meta)
        + f'<body class="post-template-default single single-post postid-{post.id} '
        f'single-format-standard">\n'
        + _masthead(ctx)
        + f'<div id="primary" class="content-area"><main id="main" class="site-main" role="main">\n'
        f'<article id="post-{post.id}" class="{classes}">\n<header class="entry-header"><h1 '
        f'class="entry-title">{title}</h1></header>\n{body}'
        + _entry_footer(ctx, post, empty_tags=ex.empty_tags)
        + f'\n</article>\n<nav class="navigation post-navigation" role="navigation"><h2 '
        f'class="screen-reader-text">Post navigation</h2><div class="nav-links">{nav}</div></nav>\n'
        + _comments(ctx, post)
        + "\n</main></div>\n"
        + _sidebar_and_footer(ctx)
    )


def listing_page(
    ctx: WordPressApp,
    posts: list[Post],
    *,
    page: int,
    pages: int,
    page_url: Callable[[int], str],
    heading: str | None,
) -> str:
    """A blog or archive page: title links (some with ``utm_*``), excerpts, page links."""
    entries = []
    for post in posts:
        url = ctx.url_of(post)
        link = url + (
            "?utm_source=blog&utm_medium=homepage&utm_campaign=weekly" if post.id % 3 == 0 else ""
        )
        n = len(post.comments)
        comments = (
            f'<a href="{url}#comments">{n} Comment{"s" if n > 1 else ""}</a>'
            if n
            else f'<a href="{url}#respond">Leave a comment</a>'
        )
        when = ctx.local(post.date)
        entries.append(
            f'<article id="post-{post.id}" class="post-{post.id} post type-post status-publish">'
            f'<header class="entry-header"><h2 class="entry-title"><a href="{link}" rel="bookmark">'
            f'{wp_text(post.title or "")}</a></h2></header><div class="entry-summary"><p>'
            f'{wp_text(excerpt(ctx, post))}</p></div><footer class="entry-footer"><span '
            f'class="posted-on"><a href="{url}" rel="bookmark"><time class="entry-date published" '
            f'datetime="{iso(when)}">{us_date(when)}</time></a></span><span class="comments-link">'
            f"{comments}</span></footer></article>"
        )
    numbers = "".join(
        '<span class="page-numbers dots">&hellip;</span>'
        if n is None
        else f'<span aria-current="page" class="page-numbers current">{n}</span>'
        if n == page
        else f'<a class="page-numbers" href="{page_url(n)}">{n}</a>'
        for n in page_numbers(page, pages)
    )
    prev = (
        f'<a class="prev page-numbers" href="{page_url(page - 1)}">Previous page</a>'
        if page > 1
        else ""
    )
    nxt = (
        f'<a class="next page-numbers" rel="next" href="{page_url(page + 1)}">Next page</a>'
        if page < pages
        else ""
    )
    extra = (f'<link rel="next" href="{page_url(page + 1)}" />\n' if page < pages else "") + (
        f'<link rel="prev" href="{page_url(page - 1)}" />\n' if page > 1 else ""
    )
    header = (
        f'<header class="page-header"><h1 class="page-title">{wp_text(heading)}</h1></header>'
        if heading
        else ""
    )
    name = wp_text(ctx.chrome.name)
    title = (
        f"{wp_text(heading)} &#8211; {name}"
        if heading
        else f"{name} &#8211; {wp_text(ctx.chrome.tagline)}"
    )
    if page > 1:
        title = f"{title} &#8211; Page {page}"
    return (
        _head(ctx, title, page_url(page), extra)
        + '<body class="home blog">\n'
        + _masthead(ctx)
        + f'<div id="primary" class="content-area"><main id="main" class="site-main" role="main">\n'
        f'{header}{"".join(entries)}\n<nav class="navigation pagination" role="navigation"><h2 '
        f'class="screen-reader-text">Posts navigation</h2><div class="nav-links">{prev}{numbers}'
        f"{nxt}</div></nav>\n</main></div>\n" + _sidebar_and_footer(ctx)
    )


def static_page(ctx: WordPressApp, name: str) -> str:
    """About, subscribe, or the robots-disallowed private briefings page."""
    chrome = ctx.chrome
    title, paras = {
        "about": ("About", chrome.about),
        "subscribe": ("Subscribe", chrome.calls_to_action),
        "private": ("Subscriber Briefings", chrome.private),
    }[name]
    body = "".join(f"<p>{wp_text(p)}</p>" for p in paras)
    return (
        _head(ctx, f"{title} &#8211; {wp_text(chrome.name)}", ctx.page_url(name))
        + '<body class="page-template-default page">\n'
        + _masthead(ctx)
        + f'<div id="primary" class="content-area"><main id="main" class="site-main" role="main">'
        f'<article class="page type-page status-publish hentry"><header class="entry-header"><h1 '
        f'class="entry-title">{title}</h1></header><div class="entry-content">{body}</div>'
        f"</article>"
        f"</main></div>\n" + _sidebar_and_footer(ctx)
    )


def not_found_page(ctx: WordPressApp) -> str:
    """WordPress's 404 template."""
    return (
        _head(ctx, f"Page not found &#8211; {wp_text(ctx.chrome.name)}", ctx.home_url())
        + '<body class="error404">\n'
        + _masthead(ctx)
        + '<div id="primary" class="content-area"><main id="main" class="site-main" role="main">'
        '<section class="error-404 not-found"><header class="page-header"><h1 class="page-title">'
        'Oops! That page can&rsquo;t be found.</h1></header><div class="page-content"><p>It looks '
        "like nothing was found at this location. Maybe try a search?</p></div></section></main>"
        "</div>\n" + _sidebar_and_footer(ctx)
    )


def boilerplate(ctx: WordPressApp, post: Post) -> list[str]:
    """Every non-article text block on this post's page, as decoded text."""
    ex = extras(ctx, post)
    out = [ctx.chrome.sidebar, ctx.chrome.footer, SHARE_TITLE]
    out += [t for t in (ex.top_cta, ex.bottom_cta, ex.caption) if t]
    out += [c.text for c in post.comments]
    out += [p.title or "" for p in ctx.related(post) + ctx.recent()]
    if ex.empty_tags:
        out.append(EMPTY_TAGS)
    return list(dict.fromkeys(t for t in out if t))
