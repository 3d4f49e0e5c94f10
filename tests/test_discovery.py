"""Discovery of a site's REST API, feeds and archive term from its start page."""

from __future__ import annotations

import gzip

from spiders import feeds
from spiders.discovery import discover, rest_url, with_page
from spiders.feeds import SitemapEntry, feed_entries, is_post_sitemap, sitemap_entries
from spiders.listing import parse_listing

ROOT = "http://blog.example/"
HEAD = """<html><head>
<link rel="alternate" type="application/rss+xml" title="Blog &raquo; Feed" href="/feed/">
<link rel="alternate" type="application/rss+xml" title="Blog &raquo; Comments Feed"
      href="/comments/feed/">
{extra}</head><body class="{body}"><p>x</p></body></html>"""


def test_api_link_tag_and_feeds_without_comments():
    """The api.w.org link gives the REST root; the comments feed is not taken."""
    page = HEAD.format(extra='<link rel="https://api.w.org/" href="/wp-json/">', body="home")
    found = discover(page, ROOT)
    assert found.api_root == "http://blog.example/wp-json/"
    assert found.feeds == ["http://blog.example/feed/"]
    assert not found.is_archive


def test_api_from_http_link_header():
    """The Link header announces the API when the page's tag was stripped."""
    headers = ['<http://blog.example/?rest_route=/>; rel="https://api.w.org/", <x>; rel=shortlink']
    found = discover(HEAD.format(extra="", body=""), ROOT, headers)
    assert found.api_root == "http://blog.example/?rest_route=/"


def test_category_archive_term_from_json_alternate_body_class_or_path():
    """An archive's term comes from its JSON alternate link, its body class, or its URL."""
    json_link = '<link rel="alternate" type="application/json" href="/wp-json/wp/v2/categories/7">'
    by_link = discover(HEAD.format(extra=json_link, body="archive"), ROOT + "category/x/")
    assert by_link.is_archive and by_link.term == ("categories", "7")
    by_class = discover(HEAD.format(extra="", body="archive category category-3"), ROOT)
    assert by_class.term == ("categories", "3")
    by_path = discover(HEAD.format(extra="", body=""), ROOT + "tag/derna/")
    assert by_path.is_archive and by_path.term == ("tags", "derna")


def test_rest_url_pretty_and_plain():
    """REST routes join under /wp-json/ or go into ?rest_route= with the other parameters."""
    assert rest_url("http://b/wp-json/", "wp/v2/posts", {"page": 2, "x": None}) == (
        "http://b/wp-json/wp/v2/posts?page=2"
    )
    assert rest_url("http://b/?rest_route=/", "wp/v2/posts", {"page": 2}) == (
        "http://b/?rest_route=%2Fwp%2Fv2%2Fposts&page=2"
    )
    assert with_page("http://b/?feed=rss2", 3) == "http://b/?feed=rss2&paged=3"
    assert with_page("http://b/feed/", 1) == "http://b/feed/"


def test_feed_parser_ignores_entities_and_reads_atom():
    """An entity bomb stays unexpanded; Atom entries give their alternate link."""
    bomb = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
    <rss><channel><item><title>&c;</title><link>http://b/1/</link></item></channel></rss>"""
    entries = feed_entries(bomb)
    assert [e.link for e in entries] == ["http://b/1/"]
    assert len(entries[0].title or "") < 100
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>t1</id>
    <link rel="alternate" href="http://b/2/"/><updated>2016-03-08T00:00:00Z</updated></entry></feed>"""
    assert [e.link for e in feed_entries(atom)] == ["http://b/2/"]
    assert feed_entries(b"<html>not a feed</html>") is None


def test_sitemap_index_and_post_sitemaps():
    """A sitemap index lists child sitemaps; only post sitemaps are followed."""
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>http://b/wp-sitemap-posts-post-1.xml</loc></sitemap>
    <sitemap><loc>http://b/wp-sitemap-taxonomies-category-1.xml</loc></sitemap></sitemapindex>"""
    is_index, entries = sitemap_entries(index)
    assert is_index and [is_post_sitemap(e.loc) for e in entries] == [True, False]
    assert is_post_sitemap("http://b/post-sitemap.xml") and not is_post_sitemap(
        "http://b/page-sitemap.xml"
    )


def test_post_sitemaps_are_told_by_their_file_name_not_their_host():
    assert is_post_sitemap("https://www.heritage-monitor.org/wp-sitemap-posts-post-1.xml")
    assert is_post_sitemap("https://tags.example/blog-pages/post-sitemap.xml")
    assert not is_post_sitemap("https://news.example/post_tag-sitemap.xml")
    assert not is_post_sitemap("https://news.example/wp-sitemap-users-1.xml")


def test_gzipped_sitemaps_are_unpacked_within_a_bound(monkeypatch):
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>http://b/2025/03/31/one/</loc></url></urlset>"""
    assert sitemap_entries(gzip.compress(urlset)) == (
        False,
        [SitemapEntry("http://b/2025/03/31/one/", None)],
    )
    assert sitemap_entries(gzip.compress(urlset)[:30]) is None  # cut short
    monkeypatch.setattr(feeds, "MAX_UNPACKED", len(urlset) - 1)
    assert sitemap_entries(gzip.compress(urlset)) is None  # unpacks to more than allowed


def test_atom_links_follow_xml_base():
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://b/blog/">
    <entry><link href="2025/03/one/"/></entry>
    <entry xml:base="/news/"><link rel="alternate" href="two/"/></entry>
    <entry><link href="/three/"/></entry></feed>"""
    links = [e.link for e in feed_entries(atom)]
    assert links == ["http://b/blog/2025/03/one/", "http://b/news/two/", "http://b/three/"]


def test_listing_links_skip_archives_and_find_next():
    """Article links on a listing skip category, tag and page links; rel=next is the next page."""
    page = """<html><body><main>
    <article><h2 class="entry-title"><a href="/2016/03/08/update/">Update</a></h2>
    <a href="/category/news/">News</a></article>
    <article><h2 class="entry-title"><a href="/2016/03/01/older/?utm_source=x">Older</a></h2>
    </article><a class="next page-numbers" href="/page/2/">Older posts</a></main></body></html>"""
    links, older = parse_listing(page, ROOT)
    assert links == [ROOT + "2016/03/08/update/", ROOT + "2016/03/01/older/?utm_source=x"]
    assert older == ROOT + "page/2/"
