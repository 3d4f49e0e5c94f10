"""Theme B: a republisher's news-magazine WordPress theme (Newsmag-like, with Yoast SEO).

The article sits in ``div.td-post-content`` under ``h1.post-title``; section headings
are ``<h2>``; quotes are straight, sometimes written ``&#39;``/``&quot;``, with
``<p>&nbsp;</p>`` spacers. The only machine-readable date is in the Yoast JSON-LD
graph; the page shows "March 10, 2016". Republished copies carry a permission
notice, the author footer, the origin blog's bio and "Comments are closed." inside
the content element.
"""

from __future__ import annotations

import json
import random
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .content import Post
from .markup import attr, iso, page_numbers, plain_text, us_date

if TYPE_CHECKING:
    from collections.abc import Callable

    from .wordpress import WordPressApp

COMMENTS_CLOSED = "Comments are closed."
EMPTY_TAGS = "Tags: , , ,"


@dataclass(frozen=True)
class Extras:
    """The in-body boilerplate one post carries, drawn from its id."""

    notice_on_top: bool
    empty_tags: bool
    spacers: bool


def extras(post: Post) -> Extras:
    rng = random.Random(post.id * 17 + 3)
    return Extras(rng.random() < 0.5, rng.random() < 0.25, rng.random() < 0.6)


def _p(text: str, k: int) -> str:
    """A paragraph; every third one spells its quotes as entities, as pasted HTML does."""
    return f"<p>{plain_text(text, entity_quotes=k % 3 == 1)}</p>"


def content_html(ctx: WordPressApp, post: Post, *, for_feed: bool = False) -> str:
    """The td-post-content HTML with its in-body boilerplate (feeds get it too)."""
    ex, chrome = extras(post), ctx.chrome
    notice = f"<p><em>{plain_text(chrome.republished_notice)}</em></p>" if post.origin else ""
    out = [notice] if ex.notice_on_top else []
    k = 0
    for section in post.sections:
        if section.heading:
            out.append(f"<h2>{plain_text(section.heading)}</h2>")
        for text in section.paragraphs:
            out.append(_p(text, k))
            k += 1
        if ex.spacers:
            out.append("<p>&nbsp;</p>")
    if post.footer:
        out.append(f"<p><em>{plain_text(post.footer)}</em></p>")
    if post.origin:
        out.append(f"<p>{plain_text(chrome.bio)}</p>")
    if not ex.notice_on_top:
        out.append(notice)
    if ex.empty_tags:
        out.append(f"<p>{EMPTY_TAGS}</p>")
    if not for_feed:
        out.append(f'<p class="comments-closed">{COMMENTS_CLOSED}</p>')
    return "\n".join(o for o in out if o) + "\n"


def excerpt(ctx: WordPressApp, post: Post, words: int = 30) -> str:
    """The theme's short excerpt from the article text."""
    tokens = " ".join(post.paragraph_texts()).split()
    return " ".join(tokens[:words]) + ("..." if len(tokens) > words else "")


def _json_ld(ctx: WordPressApp, post: Post) -> str:
    url, root = ctx.url_of(post), ctx.root
    person = f"{root}/#/schema/person/{zlib.crc32(post.author.encode()):08x}"
    article = {
        "@type": "Article",
        "@id": f"{url}#article",
        "isPartOf": {"@id": f"{url}#webpage"},
        "author": {"name": post.author, "@id": person},
        "datePublished": iso(ctx.local(post.date)),
        "dateModified": iso(ctx.local(post.modified)),
        "mainEntityOfPage": {"@id": f"{url}#webpage"},
        "publisher": {"@id": f"{root}/#organization"},
        "articleSection": post.categories,
        "inLanguage": "en-US",
    }
    if post.title:
        article["headline"] = post.title
    graph = [
        {
            "@type": "Organization",
            "@id": f"{root}/#organization",
            "name": ctx.chrome.name,
            "url": f"{root}/",
        },
        {"@type": "WebSite", "@id": f"{root}/#website", "url": f"{root}/", "name": ctx.chrome.name},
        {
            "@type": "WebPage",
            "@id": f"{url}#webpage",
            "url": url,
            "name": post.title or ctx.chrome.name,
            "isPartOf": {"@id": f"{root}/#website"},
        },
        article,
        {"@type": "Person", "@id": person, "name": post.author},
    ]
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    return f'<script type="application/ld+json" class="yoast-schema-graph">{data}</script>\n'


def _head(ctx: WordPressApp, title: str, canonical: str, extra: str = "") -> str:
    name = plain_text(ctx.chrome.name)
    return f"""<!doctype html >
<!--[if IE 8]><html class="ie8" lang="en"><![endif]-->
<html lang="en-US">
<head>
<title>{title}</title>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<!-- This site is optimized with the Yoast SEO plugin v9.2 - https://yoast.com/wordpress/plugins/seo/ -->
<link rel="canonical" href="{canonical}" />
<meta property="og:locale" content="en_US" />
<meta property="og:site_name" content="{attr(ctx.chrome.name)}" />
{extra}<!-- / Yoast SEO plugin. -->
<link rel="alternate" type="application/rss+xml" title="{name} &raquo; Feed" href="{ctx.feed_url()}" />
<link rel='stylesheet' id='td-theme-css' href='{ctx.root}/wp-content/themes/Newsmag/style.css?ver=4.4' type='text/css' media='all' />
{ctx.api_link()}<meta name="generator" content="WordPress 5.0.3" />
</head>
"""  # noqa: E501


def _header(ctx: WordPressApp) -> str:
    menu = "".join(
        f'<li class="menu-item"><a href="{u}">{t}</a></li>'
        for t, u in (
            ("Home", ctx.home_url()),
            ("Libya", ctx.archive_url("category", "Libya")),
            ("Analysis", ctx.archive_url("category", "Analysis")),
            ("About", ctx.page_url("about")),
        )
    )
    return f"""<div id="td-outer-wrap"><div class="td-header-wrap td-header-style-1">
<div class="td-header-top-menu"><div class="td_data_time">Mediterranean news and analysis</div></div>
<div class="td-header-header"><div class="td-header-sp-logo"><a class="td-main-logo" href="{ctx.home_url()}"><img class="td-retina-data" src="{ctx.root}/wp-content/uploads/2014/05/logo.png" alt="{attr(ctx.chrome.name)}"/><span class="td-visual-hidden">{plain_text(ctx.chrome.name)}</span></a></div></div>
<div class="td-header-menu-wrap"><div class="td-header-sp-top-menu"><ul id="menu-top" class="top-header-menu">{menu}</ul></div></div>
</div>
<div class="td-main-content-wrap td-container-wrap"><div class="td-container"><div class="td-pb-row">
"""  # noqa: E501


def _sidebar_and_footer(ctx: WordPressApp) -> str:
    popular = "".join(
        f'<li><a href="{ctx.url_of(p)}">{plain_text(p.title or "")}</a></li>' for p in ctx.recent()
    )
    return f"""<div class="td-pb-span4 td-main-sidebar"><aside class="widget widget_text"><div class="block-title"><span>About us</span></div><div class="textwidget"><p>{plain_text(ctx.chrome.sidebar)}</p></div></aside>
<aside class="widget widget_recent_entries"><div class="block-title"><span>Popular</span></div><ul>{popular}</ul></aside></div>
</div></div></div>
<div class="td-footer-wrapper"><div class="td-footer-bottom-full"><p>{plain_text(ctx.chrome.footer)}</p></div></div>
</div>
</body>
</html>
"""  # noqa: E501


def article_page(ctx: WordPressApp, post: Post, *, with_body: bool = True) -> str:
    """A single post: title, byline, human date, JSON-LD, content with boilerplate."""
    title = plain_text(post.title or "")
    name = plain_text(ctx.chrome.name)
    cat = post.categories[0] if post.categories else "Uncategorized"
    tags = "".join(
        f'<li><a href="{ctx.archive_url("tag", t)}">{plain_text(t)}</a></li>' for t in post.tags
    )
    extra = (
        f'<meta property="og:type" content="article" />\n<meta property="og:title" '
        f"content=\"{attr(post.title or '')}\" />\n<link rel='shortlink' "
        f"href='{ctx.shortlink(post)}' />\n" + _json_ld(ctx, post)
    )
    body = f'<div class="td-post-content">\n{content_html(ctx, post)}</div>\n' if with_body else ""
    return (
        _head(ctx, f"{title} | {name}" if title else name, ctx.url_of(post), extra)
        + f'<body class="post-template-default single single-post postid-{post.id} '
        f'single-format-standard td-newsmag">\n'
        + _header(ctx)
        + f'<div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">'
        f'<article id="post-{post.id}" class="post-{post.id} post type-post status-publish">'
        f'<div class="td-post-header td-pb-padding-side"><ul class="td-category"><li '
        f'class="entry-category"><a href="{ctx.archive_url("category", cat)}">{plain_text(cat)}</a>'
        f'</li></ul><header><h1 class="post-title">{title}</h1><div class="meta-info">'
        f'<div class="td-post-author-name">By <span class="author-name"><a href="'
        f'{ctx.archive_url("author", post.author)}">{plain_text(post.author)}</a></span> - </div>'
        f'<span class="td-post-date">{us_date(ctx.local(post.date))}</span></div></header></div>\n'
        f"{body}"
        f'<footer><div class="td-post-source-tags td-pb-padding-side"><ul class="td-tags '
        f'td-post-small-box clearfix"><li><span>TAGS</span></li>{tags}</ul></div></footer>'
        f"</article></div></div>\n" + _sidebar_and_footer(ctx)
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
    """The front page or an archive: modules with title, byline, date and excerpt."""
    modules = "".join(
        f'<div class="td-block-span6"><div class="td_module_1 td_module_wrap td-animation-stack">'
        f'<h3 class="entry-title td-module-title"><a href="{ctx.url_of(p)}" rel="bookmark" '
        f'title="{attr(p.title or "")}">{plain_text(p.title or "")}</a></h3><div class="td-module-'
        f'meta-info"><span class="td-post-author-name"><a '
        f'href="{ctx.archive_url("author", p.author)}">{plain_text(p.author)}</a> <span>-</span> '
        f'</span><span class="td-post-date"><time '
        f'class="entry-date updated td-module-date" datetime="{iso(ctx.local(p.date))}">'
        f'{us_date(ctx.local(p.date))}</time></span></div><div class="td-excerpt">'
        f"{plain_text(excerpt(ctx, p))}</div></div></div>"
        for p in posts
    )
    numbers = "".join(
        '<span class="extend">...</span>'
        if n is None
        else f'<span class="current">{n}</span>'
        if n == page
        else f'<a href="{page_url(n)}" class="page" title="{n}">{n}</a>'
        for n in page_numbers(page, pages)
    )
    prev = (
        f'<a href="{page_url(page - 1)}" rel="prev"><i class="td-icon-menu-left"></i></a>'
        if page > 1
        else ""
    )
    nxt = (
        f'<a href="{page_url(page + 1)}" rel="next"><i class="td-icon-menu-right"></i></a>'
        if page < pages
        else ""
    )
    extra = f'<link rel="next" href="{page_url(page + 1)}" />\n' if page < pages else ""
    name = plain_text(ctx.chrome.name)
    title = f"{plain_text(heading)} | {name}" if heading else name
    block_title = (
        f'<h1 class="entry-title td-page-title"><span>{plain_text(heading)}</span></h1>'
        if heading
        else ""
    )
    return (
        _head(ctx, title if page == 1 else f"{title} - Page {page}", page_url(page), extra)
        + '<body class="home blog td-newsmag">\n'
        + _header(ctx)
        + f'<div class="td-pb-span8 td-main-content"><div class="td-ss-main-content">{block_title}'
        f'<div class="td-block-row">{modules}</div><div class="page-nav td-pb-padding-side">{prev}'
        f'{numbers}{nxt}<span class="pages">Page {page} of {pages}</span></div></div></div>\n'
        + _sidebar_and_footer(ctx)
    )


def static_page(ctx: WordPressApp, name: str) -> str:
    """The about page (and any other static page this site has)."""
    paras = ctx.chrome.about if name == "about" else ()
    body = "".join(f"<p>{plain_text(p)}</p>" for p in paras)
    return (
        _head(ctx, f"{name.title()} | {plain_text(ctx.chrome.name)}", ctx.page_url(name))
        + '<body class="page-template-default page td-newsmag">\n'
        + _header(ctx)
        + f'<div class="td-pb-span8 td-main-content"><div class="td-page-header"><h1 '
        f'class="entry-title td-page-title">{name.title()}</h1></div><div class="td-page-content">'
        f"{body}</div></div>\n" + _sidebar_and_footer(ctx)
    )


def not_found_page(ctx: WordPressApp) -> str:
    """The theme's 404 page."""
    return (
        _head(ctx, f"Page not found | {plain_text(ctx.chrome.name)}", ctx.home_url())
        + '<body class="error404 td-newsmag">\n'
        + _header(ctx)
        + '<div class="td-pb-span8 td-main-content"><div class="td-404-title">Ooops... Error 404'
        '</div><div class="td-404-sub-title">Sorry, but the page you are looking for doesn\'t '
        "exist.</div></div>\n" + _sidebar_and_footer(ctx)
    )


def boilerplate(ctx: WordPressApp, post: Post) -> list[str]:
    """Every non-article text block on this post's page, as decoded text."""
    chrome, ex = ctx.chrome, extras(post)
    out = [chrome.sidebar, chrome.footer, COMMENTS_CLOSED, post.footer or ""]
    if post.origin:
        out += [chrome.republished_notice, chrome.bio]
    if ex.empty_tags:
        out.append(EMPTY_TAGS)
    out += [p.title or "" for p in ctx.recent()]
    return list(dict.fromkeys(t for t in out if t))
