"""WordPress sites that differ from a fresh install in ways real sites do.

Each test serves the origin blog (theme A) with one quirk of
:data:`tests.fixturesite.wordpress.QUIRKS` and crawls it with the real command
line: what a probe of unseen sites found wirewatch getting wrong.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from spiders.extract import Selectors
from spiders.listing import parse_listing
from spiders.worker import PageHints, PageTask, article_from_page
from tests.crawling import last_run, rows, wirewatch, write_config
from tests.fixturesite import generate_site_posts, make_site_a
from tests.fixturesite.content import Section
from tests.fixturesite.server import FixtureSite
from tests.fixturesite.sitemaps import ELSEWHERE


@contextmanager
def quirky_site(*quirks: str, posts: int = 12, **options: object) -> Iterator[FixtureSite]:
    site = make_site_a(
        generate_site_posts(posts, seed=11), quirks=frozenset(quirks), name="q", **options
    )
    with site:
        yield site


def stored(config) -> set[str]:
    return {r["url"] for r in rows(config, "select url from articles")}


def errors(config) -> list[dict]:
    return rows(config, "select url, kind, message from run_errors")


def test_relative_feed_links_are_resolved_against_the_feed(tmp_path):
    with quirky_site("feed-relative", rest_open=False) as site:
        config = write_config(tmp_path, {"q": {"url": site.root, "kind": "feed"}})
        first = wirewatch(config, "crawl")
        assert first.code == 0, first.stdout + first.stderr
        assert stored(config) == {site.url_of(p) for p in site.posts}
        post = site.publish()
        again = wirewatch(config, "crawl")
        assert again.code == 0, again.stdout + again.stderr
        assert site.url_of(post) in stored(config)
        assert last_run(config, "q")["new_articles"] == 1


def test_gzipped_post_sitemaps_are_read(tmp_path):
    with quirky_site("sitemap-gzip", rest_open=False, sitemap_page_size=5) as site:
        config = write_config(tmp_path, {"q": {"url": site.root}})
        result = wirewatch(config, "crawl")
        assert result.code == 0, result.stdout + result.stderr
        packed = [r for r in site.requests if r.target.endswith(".xml.gz")]
        assert len(packed) == 3 and {r.status for r in packed} == {200}, site.paths()
        assert stored(config) == {site.url_of(p) for p in site.posts}
        assert errors(config) == []
        # Read from the sitemaps, not from the listings as a fallback.
        assert not any(t.startswith("/page/") for t in site.paths()), site.paths()


def test_a_sitemap_that_only_robots_txt_names_is_read(tmp_path):
    with quirky_site("sitemap-elsewhere", rest_open=False, sitemap_page_size=5) as site:
        config = write_config(tmp_path, {"q": {"url": site.root}})
        result = wirewatch(config, "crawl")
        assert result.code == 0, result.stdout + result.stderr
        assert ELSEWHERE in site.paths()
        assert stored(config) == {site.url_of(p) for p in site.posts}
        assert not any(t.startswith("/page/") for t in site.paths()), site.paths()
        assert errors(config) == []


def test_an_unreadable_post_sitemap_falls_back_to_the_listings_once(tmp_path):
    with quirky_site(rest_open=False, sitemap_page_size=5) as site:
        site.add_fault("/wp-sitemap-posts-post-1.xml", status=404)
        site.add_fault("/wp-sitemap-posts-post-2.xml", status=404)
        config = write_config(tmp_path, {"q": {"url": site.root}})
        result = wirewatch(config, "crawl")
        assert result.code == 0, result.stdout + result.stderr
        assert stored(config) == {site.url_of(p) for p in site.posts}
        listings = [r.target for r in site.requests if r.target.startswith("/page/")]
        assert listings and len(listings) == len(set(listings)), listings
        assert last_run(config, "q")["status"] == "ok"


def test_an_api_answering_html_is_remembered_as_closed(tmp_path):
    """A security plugin answers the API with a web page: read the site without it,
    with no failed run; the next run asks the feed once, not the API again."""
    with quirky_site("rest-html") as site:
        config = write_config(tmp_path, {"q": {"url": site.root}})
        first = wirewatch(config, "crawl")
        assert first.code == 0, first.stdout + first.stderr
        assert stored(config) == {site.url_of(p) for p in site.posts}
        assert "no JSON" in first.stderr
        site.clear_log()
        again = wirewatch(config, "crawl")
        assert again.code == 0, again.stdout + again.stderr
        assert not any("wp-json" in t or "rest_route" in t for t in site.paths()), site.paths()
        assert len(site.requests) <= 3, site.paths()
        assert [r["status"] for r in rows(config, "select status from runs")] == ["ok", "ok"]


def test_posts_without_content_in_the_api_are_read_from_their_pages(tmp_path):
    with quirky_site("rest-no-content") as site:
        config = write_config(tmp_path, {"q": {"url": site.root}})
        first = wirewatch(config, "crawl")
        assert first.code == 0, first.stdout + first.stderr
        assert stored(config) == {site.url_of(p) for p in site.posts}
        ids = {r["external_id"] for r in rows(config, "select external_id from articles")}
        assert ids == {f"wp:{p.id}" for p in site.posts}
        # The API's ids and modified times were kept: an unchanged rerun fetches no page.
        site.clear_log()
        assert wirewatch(config, "crawl").code == 0
        assert all("wp-json" in t or t == "/robots.txt" for t in site.paths()), site.paths()
        # An edited post is fetched again, and alone.
        edited = site.edit_post(site.posts[3].id, title="A corrected title")
        site.clear_log()
        assert wirewatch(config, "crawl").code == 0
        pages = [t for t in site.paths() if "wp-json" not in t and t != "/robots.txt"]
        assert pages == ["/" + site.url_of(edited).split("/", 3)[3]], pages
        titles = rows(
            config, "select title from articles where external_id = ?", (f"wp:{edited.id}",)
        )
        assert titles == [{"title": "A corrected title"}]


def test_password_protected_posts_are_skipped_without_failing_the_run(tmp_path):
    with quirky_site("rest-protected") as site:
        config = write_config(tmp_path, {"q": {"url": site.root}})
        result = wirewatch(config, "crawl")
        assert result.code == 0, result.stdout + result.stderr
        readable = {site.url_of(p) for p in site.posts if p.id % 4}
        assert stored(config) == readable and len(readable) < len(site.posts)
        skipped = len(site.posts) - len(readable)
        note = f"{skipped} password-protected post(s) skipped"
        assert last_run(config, "q")["message"] == note and note in result.stdout
        site.clear_log()
        assert wirewatch(config, "crawl").code == 0
        # The run was ok, so the next asks only for recent changes.
        assert any("modified_after" in t for t in site.paths()), site.paths()
        assert last_run(config, "q")["status"] == "ok"


def test_api_pages_are_walked_without_the_total_pages_header(tmp_path):
    with quirky_site("rest-no-total", posts=130) as site:
        config = write_config(tmp_path, {"q": {"url": site.root}})
        result = wirewatch(config, "crawl")
        assert result.code == 0, result.stdout + result.stderr
        assert len(stored(config)) == 130
        api = [t for t in site.paths() if "wp-json/wp/v2/posts" in t]
        assert len(api) == 2, api  # a full page of 100, then 30: no third ask


def test_what_the_feed_or_api_said_fills_in_for_the_page():
    """A page printing no date takes the feed's; the API's id and modified time win,
    since the next run compares them."""
    page = b"""<html><head><title>Weekly update</title></head><body><article>
    <h1 class="entry-title">Weekly update</h1><div class="entry-content">
    <p>On 30 December, gunmen fired on a patrol near Sabha, local sources said.</p>
    <p>On 2 January, a convoy was stopped at a checkpoint west of Sirte.</p>
    </div></article></body></html>"""
    task = PageTask("q", "http://b/update/", "http://b/update/", page, "utf-8", Selectors())
    assert article_from_page(task).published is None
    hints = PageHints("wp:7", date(2017, 1, 4), datetime(2017, 1, 5, 8, tzinfo=UTC))
    article = article_from_page(replace(task, hints=hints))
    assert (article.published, article.modified) == (hints.published, hints.modified)
    assert article.external_id == "wp:7"


def test_a_link_that_is_no_url_costs_only_itself(tmp_path):
    """``http://[oops/`` in the feed and on the listings: the other links are read."""
    with quirky_site("bad-links", rest_open=False) as site:
        for kind in ("feed", "html"):
            (tmp_path / kind).mkdir()
            config = write_config(tmp_path / kind, {"q": {"url": site.root, "kind": kind}})
            result = wirewatch(config, "crawl")
            assert result.code == 0, result.stdout + result.stderr
            assert stored(config) == {site.url_of(p) for p in site.posts}, kind
            assert last_run(config, "q")["status"] == "ok"


def test_a_bare_day_on_the_page_gives_way_to_the_feeds_stamp_of_that_day():
    page = b"""<html><body><article><h1 class="entry-title">Weekly update</h1>
    <div class="entry-content"><p>On 30 December, gunmen fired on a patrol near Sabha.</p>
    <p>On 2 January, a convoy was stopped at a checkpoint west of Sirte.</p></div>
    </article></body></html>"""
    url = "http://b/2017/01/04/update/"  # the permalink gives the day, no time
    task = PageTask("q", url, url, page, "utf-8", Selectors())
    assert article_from_page(task).published == date(2017, 1, 4)
    stamp = datetime(2017, 1, 4, 14, 30, tzinfo=UTC)
    assert article_from_page(replace(task, hints=PageHints(published=stamp))).published == stamp
    other_day = datetime(2017, 1, 6, 9, tzinfo=UTC)  # the page's own day wins over another
    hinted = replace(task, hints=PageHints(published=other_day))
    assert article_from_page(hinted).published == date(2017, 1, 4)


def test_a_post_gone_for_three_runs_is_no_longer_asked_for(tmp_path):
    """A deleted post still in the sitemap and feed: retried three runs in a row, then
    left alone, so the runs are ok again and incremental; --full asks once more."""
    with quirky_site(rest_open=False) as site:
        deleted = site.posts[4]
        site.add_fault(deleted.id, status=404)
        path = "/" + site.url_of(deleted).split("/", 3)[3]
        config = write_config(tmp_path, {"q": {"url": site.root}})
        asked = []
        for args in [(), (), (), (), (), ("--full",)]:
            site.clear_log()
            wirewatch(config, "crawl", *args)
            asked.append(path in site.paths())
        statuses = [r["status"] for r in rows(config, "select status from runs order by id")]
        assert statuses == ["partial"] * 3 + ["ok", "ok", "partial"]
        assert asked == [True, True, True, False, False, True]
        assert stored(config) == {site.url_of(p) for p in site.posts if p is not deleted}


def test_a_page_declaring_no_charset_is_read_as_windows_1252(tmp_path):
    """No charset in the header nor the page: UTF-8 when valid, else windows-1252 (not
    Scrapy's guess, which read "Ghadamès" as "Ghadamčs")."""
    with quirky_site(rest_open=False) as site:
        post = site.posts[2]
        text = "On 3 March, a convoy bound for Ghadamès was stopped near Aïn Zara, witnesses said."
        site.edit_post(post.id, sections=[Section(None, [text])])
        site.add_fault(post.id, "undeclared")
        config = write_config(tmp_path, {"q": {"url": site.root}})
        assert wirewatch(config, "crawl").code == 0
        found = rows(config, "select text from items where text like '%convoy bound%'")
        assert found == [{"text": text}]


def test_a_listing_whose_links_are_not_found_says_so(tmp_path, site_c):
    """A new source whose listing yields no article link is not an empty success."""
    source = {"url": site_c.root + "news/", "kind": "html", "selectors": {"links": "a.no-such"}}
    config = write_config(tmp_path, {"c": source})
    result = wirewatch(config, "crawl")
    assert result.code == 1
    run = last_run(config, "c")
    assert run["status"] == "partial" and run["new_articles"] == 0
    assert [e["kind"] for e in errors(config)] == ["listing"]
    assert "[source.selectors]" in errors(config)[0]["message"]


def test_listing_links_follow_the_pages_base_href(tmp_path):
    """A listing with <base href="/content/">: its relative links are resolved there."""
    page = """<html><head><base href="/content/"></head><body>
    <article><h2 class="entry-title"><a href="2025/03/one.html">One</a></h2></article>
    <article><h2 class="entry-title"><a href="2025/03/two.html">Two</a></h2></article>
    <article><h2 class="entry-title"><a href="2025/03/three.html">Three</a></h2></article>
    <a class="next" rel="next" href="list-2.html">Older</a></body></html>"""
    links, older = parse_listing(page, "http://b.example/blog/")
    assert links == [f"http://b.example/content/2025/03/{n}.html" for n in ("one", "two", "three")]
    assert older == "http://b.example/content/list-2.html"


def test_requests_dropped_as_off_site_are_not_an_ok_run(tmp_path):
    """A sitemap configured on another host name than the site's: Scrapy drops the
    request without a word; the run says so instead of ending ok with nothing."""
    with quirky_site(rest_open=False) as site:
        elsewhere = site.root.replace("127.0.0.1", "localhost") + "wp-sitemap.xml"
        config = write_config(tmp_path, {"q": {"url": site.root, "sitemap": elsewhere}})
        result = wirewatch(config, "crawl")
        assert result.code == 1
        assert [e["kind"] for e in errors(config)] == ["offsite"]
        assert "1 request(s) to hosts outside 127.0.0.1" in errors(config)[0]["message"]
        assert last_run(config, "q")["status"] == "partial"


@contextmanager
def redirecting_to(target_root: str) -> Iterator[str]:
    """A server on ``localhost`` that answers every request with a 301 to ``target_root``."""

    class Moved(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(301)
            self.send_header("Location", target_root + self.path.lstrip("/"))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Moved)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_site_moved_to_another_host_fails_its_run_and_says_where(tmp_path):
    with quirky_site(rest_open=False) as site, redirecting_to(site.root) as old_root:
        config = write_config(tmp_path, {"q": {"url": old_root}})
        result = wirewatch(config, "crawl")
        assert result.code == 1
        run = last_run(config, "q")
        assert run["status"] == "failed" and run["new_articles"] == 0
        assert f"redirects to another host ({site.root})" in run["message"]
        assert "set the source's url" in run["message"]


def test_an_api_failing_with_503_is_one_error_and_the_site_is_read_without_it(tmp_path):
    with quirky_site() as site:
        site.add_fault("/wp-json/wp/v2/posts", status=503)
        config = write_config(tmp_path, {"q": {"url": site.root}}, retries=1)
        assert wirewatch(config, "crawl").code == 1
        assert [(e["kind"], e["message"]) for e in errors(config)] == [("rest", "HTTP 503")]
        assert stored(config) == {site.url_of(p) for p in site.posts}


def test_copies_of_an_unknown_cluster_says_so(tmp_path):
    config = write_config(tmp_path, {})
    result = wirewatch(config, "copies", "99999")
    assert result.code == 1 and "no cluster 99999" in result.stderr


def test_items_refuses_a_source_or_watch_nobody_knows(tmp_path):
    config = write_config(tmp_path, {"c": {"url": "http://127.0.0.1:9/", "kind": "html"}})
    assert wirewatch(config, "items", "--source", "c").code == 0  # configured, nothing yet
    unknown = wirewatch(config, "items", "--source", "nosuch")
    assert unknown.code == 2 and "no source 'nosuch'" in unknown.stderr
    assert "configured: c" in unknown.stderr
    watch = wirewatch(config, "items", "--mentions", "nobody")
    assert watch.code == 2 and "no watch 'nobody'" in watch.stderr


def test_a_post_renamed_and_edited_stays_one_article(tmp_path):
    """REST closed: a post's slug changes and its text is corrected at once. Neither its
    URL nor its content hash finds it; WordPress's post id on the page (postid-N) does."""
    with quirky_site(rest_open=False) as site:
        config = write_config(tmp_path, {"q": {"url": site.root}})
        assert wirewatch(config, "crawl").code == 0
        old = site.posts[0]  # the newest: the feed shows it again when edited
        sections = [Section(None, ["On 9 March, a correction replaced the whole text."])]
        site.add_post(
            replace(
                old,
                slug=old.slug + "-corrected",
                sections=sections,
                modified=old.modified + timedelta(hours=2),
            )
        )
        assert wirewatch(config, "crawl", "--full").code == 0
        assert rows(config, "select count(*) n from articles")[0]["n"] == len(site.posts)
        found = rows(
            config, "select url, external_id from articles where external_id = ?", (f"wp:{old.id}",)
        )
        assert len(found) == 1 and found[0]["url"].endswith("-corrected/"), found
