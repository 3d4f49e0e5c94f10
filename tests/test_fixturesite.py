"""The fixture website itself: its HTTP behaviour and the ground truth it exposes."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message

import lxml.html
import pytest

from tests.fixturesite import FixtureSite, Sites, make_sites, reference_normalise
from tests.fixturesite.markup import local

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BODY_SELECTOR = {"a": "div.entry-content", "b": "div.td-post-content", "c": "div#story"}


@dataclass
class Fetched:
    status: int
    headers: Message
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(url: str, headers: dict[str, str] | None = None) -> Fetched:
    """GET a URL, returning error statuses (and 304) instead of raising."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return Fetched(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as error:
        with error:
            return Fetched(error.code, error.headers, error.read())


def url(site: FixtureSite, target: str) -> str:
    return site.root.rstrip("/") + target


def test_rest_posts_paginate_with_total_headers(site_a):
    """The REST API reports X-WP-Total/X-WP-TotalPages and pages through every post."""
    first = fetch(url(site_a, "/wp-json/wp/v2/posts?per_page=20"))
    assert first.status == 200
    assert first.headers["X-WP-Total"] == str(len(site_a.posts)) == "58"
    assert first.headers["X-WP-TotalPages"] == "3"
    assert 'rel="next"' in first.headers["Link"]
    pages = [fetch(url(site_a, f"/wp-json/wp/v2/posts?per_page=20&page={n}")) for n in (1, 2, 3)]
    ids = [p["id"] for page in pages for p in page.json()]
    assert ids == [p.id for p in site_a.posts]


def test_rest_past_the_last_page_is_400(site_a):
    """Asking past the last page gives HTTP 400 rest_post_invalid_page_number, as WordPress does."""
    resp = fetch(url(site_a, "/?rest_route=/wp/v2/posts&per_page=100&page=2"))
    assert resp.status == 400
    assert resp.json()["code"] == "rest_post_invalid_page_number"
    assert fetch(url(site_a, "/wp-json/wp/v2/posts?per_page=101")).status == 400


def test_rest_post_json_has_ids_dates_embeds_and_in_body_boilerplate(site_a):
    """A post's JSON has gmt dates, the embedded author, and content HTML with its boilerplate."""
    post = site_a.posts[0]
    data = fetch(url(site_a, f"/wp-json/wp/v2/posts/{post.id}?_embed=1")).json()
    assert data["modified_gmt"] == post.modified.replace(tzinfo=None).isoformat()
    assert data["link"] == site_a.url_of(post)
    assert data["_embedded"]["author"][0]["name"] == post.author
    assert "sharedaddy" in data["content"]["rendered"]
    fields = fetch(url(site_a, "/wp-json/wp/v2/posts?_fields=id,modified_gmt&per_page=1")).json()
    assert set(fields[0]) == {"id", "modified_gmt"}


def test_rest_category_slug_gives_the_id_to_filter_by(site_a):
    """categories?slug=weekly-update returns its id, and posts?categories=ID holds only updates."""
    (category,) = fetch(url(site_a, "/wp-json/wp/v2/categories?slug=weekly-update")).json()
    resp = fetch(url(site_a, f"/wp-json/wp/v2/posts?categories={category['id']}&per_page=100"))
    weekly = [p.id for p in site_a.posts if p.kind == "weekly"]
    assert [p["id"] for p in resp.json()] == weekly
    assert resp.headers["X-WP-Total"] == str(len(weekly))


def test_rest_modified_after_compares_the_site_local_wall_clock(site_a):
    """modified_after ignores the value's offset and compares site-local time (UTC-5 here)."""
    post = max(site_a.posts, key=lambda p: p.modified)
    just_before = post.modified - timedelta(minutes=1)
    as_local = local(just_before, -5).replace(tzinfo=None)
    for value, expected in ((just_before, []), (as_local, [post.id])):
        query = urllib.parse.urlencode({"modified_after": value.isoformat()})
        found = fetch(url(site_a, f"/wp-json/wp/v2/posts?{query}")).json()
        assert [p["id"] for p in found] == expected


def test_feed_answers_304_to_its_etag_until_a_post_is_published(site_a):
    """The feed's ETag/Last-Modified give 304s, and change when any post is added."""
    first = fetch(url(site_a, "/feed/"))
    assert first.status == 200 and first.body.count(b"<item>") == 10
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert fetch(url(site_a, "/feed/"), {"If-None-Match": etag}).status == 304
    assert fetch(url(site_a, "/feed/?paged=2"), {"If-Modified-Since": modified}).status == 304
    new = site_a.publish()
    again = fetch(url(site_a, "/feed/"), {"If-None-Match": etag})
    assert again.status == 200 and again.headers["ETag"] != etag
    assert site_a.url_of(new).encode() in again.body


def test_site_b_rest_api_is_closed_but_announced(site_b):
    """Site B answers 401 rest_forbidden on both REST URL forms, yet its pages announce the API."""
    for target in ("/wp-json/wp/v2/posts", "/?rest_route=/wp/v2/posts", "/wp-json/"):
        resp = fetch(url(site_b, target))
        assert resp.status == 401 and resp.json()["code"] == "rest_forbidden"
    assert "rel='https://api.w.org/'" in fetch(site_b.root).text
    assert fetch(url(site_b, "/?feed=rss2")).status == 200


def _sitemap_urls(index_url: str) -> tuple[list[str], ET.Element]:
    index = ET.fromstring(fetch(index_url).body)
    urls: list[str] = []
    for loc in index.iter(f"{SM}loc"):
        if "posts-post" in loc.text or "post-sitemap" in loc.text:
            urls += [
                u.findtext(f"{SM}loc") for u in ET.fromstring(fetch(loc.text).body).iter(f"{SM}url")
            ]
    return urls, index


def test_core_sitemap_lists_every_post_oldest_first():
    """/wp-sitemap.xml splits posts over pages, oldest first, with lastmod on URLs only."""
    with make_sites(sitemap_page_size=25).a as site:
        robots = fetch(url(site, "/robots.txt")).text
        assert f"Sitemap: {url(site, '/wp-sitemap.xml')}" in robots
        urls, index = _sitemap_urls(url(site, "/wp-sitemap.xml"))
        assert urls == [site.url_of(p) for p in reversed(site.posts)]
        assert "wp-sitemap-posts-post-3.xml" in fetch(url(site, "/wp-sitemap.xml")).text
        assert index.find(f"{SM}sitemap/{SM}lastmod") is None


def test_yoast_sitemap_lists_every_post(site_b):
    """Site B's Yoast index points to post-sitemap.xml, which lists every ?p= URL."""
    urls, _ = _sitemap_urls(url(site_b, "/sitemap_index.xml"))
    assert sorted(urls) == sorted(site_b.url_of(p) for p in site_b.posts)
    assert fetch(url(site_b, "/wp-sitemap.xml")).status == 200  # redirected to the Yoast index


def test_429_rule_then_success(site_a):
    """A fault rule answers 429 with Retry-After for its first K requests, then the real page."""
    rule = site_a.add_fault("/feed/", status=429, times=1)
    first = fetch(url(site_a, "/feed/?paged=2"))
    assert first.status == 429 and first.headers["Retry-After"] == "1"
    assert fetch(url(site_a, "/feed/?paged=2")).status == 200
    assert rule.hits == 1


def test_request_log_records_method_target_headers_and_status(site_a):
    """Each request is logged with its target, chosen headers and status; clear_log empties it."""
    fetch(url(site_a, "/page/2/?x=1"), {"User-Agent": "wirewatch-test"})
    fetch(url(site_a, "/no-such-page/"))
    (ok, missing) = site_a.requests
    assert (ok.method, ok.target, ok.status) == ("GET", "/page/2/?x=1", 200)
    assert ok.headers["User-Agent"] == "wirewatch-test" and ok.path == "/page/2/"
    assert missing.status == 404
    site_a.clear_log()
    assert site_a.requests == []


@pytest.mark.parametrize("name", ["a", "b", "c"])
def test_every_article_page_yields_the_model_paragraphs(sites: Sites, name: str):
    """Each article body, minus the site's declared boilerplate and headings, is the model text."""
    site = getattr(sites, name)
    boilerplate = {reference_normalise(t) for t in site.boilerplate()}
    for expected in site.expected():
        doc = lxml.html.fromstring(fetch(expected.url).body)
        (body,) = doc.cssselect(BODY_SELECTOR[name])
        for block in body.cssselect("div.sharedaddy, div.jp-relatedposts, div.wp-caption"):
            block.drop_tree()
        headings = {reference_normalise(s.heading) for s in expected.post.sections if s.heading}
        got = [reference_normalise(p.text_content()) for p in body.cssselect("p")]
        got = [t for t in got if t and t not in boilerplate and t not in headings]
        assert got == [reference_normalise(t) for t in expected.paragraphs], expected.url


def test_republished_copies_are_annotated_truthfully(sites: Sites):
    """Every copy names an origin post on A; 'same' holds exactly when normalised texts agree."""
    kinds = set()
    for copy in [p for site in (sites.b, sites.c) for p in site.posts if p.origin]:
        origin = sites.a.post(copy.origin_id).paragraph_texts()
        for text, where in zip(copy.paragraph_texts(), copy.origin[1], strict=True):
            if where.origin_index is None:
                continue
            same = reference_normalise(text) == reference_normalise(origin[where.origin_index])
            assert same == where.same_after_normalisation
            kinds.add((same, text == origin[where.origin_index]))
    assert kinds == {(True, True), (True, False), (False, False)}


def test_listings_paginate_with_rel_next(sites: Sites):
    """A has 6 home pages, B 2 (plain ?paged=), C 3 (?page=); past the end is 404."""
    for site, last, past in ((sites.a, "/page/6/", "/page/7/"), (sites.b, "/?paged=2", "/?paged=3"),
                             (sites.c, "/news/?page=3", "/news/?page=4")):  # fmt: skip
        assert (
            'rel="next"'
            in fetch(site.root.rstrip("/") + ("/news/" if site is sites.c else "/")).text
        )
        assert fetch(url(site, last)).status == 200
        assert 'rel="next"' not in fetch(url(site, last)).text
        assert fetch(url(site, past)).status == 404
    for target in ("/feed/", "/sitemap.xml", "/wp-json/", "/wp-sitemap.xml"):
        assert fetch(url(sites.c, target)).status == 404
    assert b"<rss" not in fetch(url(sites.c, "/?feed=rss2")).body


def test_robots_disallows_a_private_page_that_pages_link_to(site_a):
    """Site A's robots.txt forbids /private/, and every page links there anyway."""
    assert "Disallow: /private/" in fetch(url(site_a, "/robots.txt")).text
    assert site_a.private_paths == ["/private/briefings/"]
    assert "/private/briefings/" in fetch(site_a.root).text


def test_post_faults_truncate_and_recode_pages(site_a):
    """Post-level rules truncate a body, or serve windows-1252 with or without a header charset."""
    post = site_a.posts[0]
    site_a.add_fault(post.id, "truncate", times=1)
    with (
        pytest.raises(http.client.IncompleteRead),
        urllib.request.urlopen(site_a.url_of(post)) as r,
    ):
        r.read()
    site_a.add_fault(post.id, "cp1252", times=1)
    resp = fetch(site_a.url_of(post))
    assert resp.headers["Content-Type"] == "text/html; charset=windows-1252"
    assert "’" in resp.body.decode("cp1252")
    site_a.add_fault(post.id, "meta-charset", times=1)
    resp = fetch(site_a.url_of(post) + "?utm_source=x")
    assert resp.headers["Content-Type"] == "text/html"
    assert b'<meta charset="windows-1252">' in resp.body
    site_a.add_fault(post.id, "no-body", times=1)
    assert b"entry-content" not in fetch(site_a.url_of(post)).body
    assert b"entry-content" in fetch(site_a.url_of(post)).body


def test_edit_post_bumps_modified_everywhere(site_a):
    """An edit moves the post to the top of orderby=modified and changes the feed's ETag."""
    etag = fetch(url(site_a, "/feed/")).headers["ETag"]
    old = site_a.posts[30]
    site_a.edit_post(old.id, title="Edited title")
    (top,) = fetch(url(site_a, "/wp-json/wp/v2/posts?orderby=modified&per_page=1")).json()
    assert top["id"] == old.id and top["title"]["rendered"] == "Edited title"
    assert fetch(url(site_a, "/feed/"), {"If-None-Match": etag}).status == 200


def test_html_validators_are_optional_per_site():
    """With html_validators on, a post page carries an ETag and answers 304 to it."""
    with make_sites(html_validators=True).a as site:
        page = fetch(site.url_of(site.posts[0]))
        assert (
            fetch(site.url_of(site.posts[0]), {"If-None-Match": page.headers["ETag"]}).status == 304
        )
    with make_sites().a as site:
        assert fetch(site.url_of(site.posts[0])).headers["ETag"] is None


def test_content_is_deterministic_and_crosses_new_year():
    """The same seed gives the same sites; one update reports 30 December and 2 January."""
    first, second = make_sites(), make_sites()
    for one, two in zip(first, second, strict=True):
        assert [p.paragraph_texts() for p in one.posts] == [p.paragraph_texts() for p in two.posts]
    (new_year,) = [p for p in first.a.posts if p.date.month == 1 and p.date.day <= 7]
    texts = new_year.paragraph_texts()
    assert any(t.startswith("On 30 December") for t in texts)
    assert any(t.startswith("On 2 January") for t in texts)
    for post in first.a.posts:
        paras = post.paragraph_texts()
        assert all(paras[i] != paras[j] for i, j in post.formula_pairs)


def test_the_lean_server_of_the_benchmarks_answers_as_the_threaded_one():
    """``python -m tests.fixturesite`` (the benchmarks' site, served by :mod:`.lean`) gives
    the same answers as the threaded server on the same site: pages, conditional 304s,
    HEAD, 404, several requests on one keep-alive connection; SIGTERM ends it."""
    import signal
    import subprocess
    import sys

    from tests.fixturesite import make_bench_site

    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fixturesite", "--posts", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        lean_root = process.stdout.readline().strip()
        port = int(lean_root.rsplit(":", 1)[1].rstrip("/"))
        with make_bench_site(30) as threaded:
            page = threaded.url_of(threaded.posts[3])[len(threaded.root) - 1 :]
            targets = ["/", "/wp-sitemap.xml", page, "/feed/", "/robots.txt", "/no-such-page/"]
            lean = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            for target in targets:  # one connection for all: keep-alive
                lean.request("GET", target)
                got = lean.getresponse()
                body = got.read()
                want = fetch(url(threaded, target))
                assert got.status == want.status, target
                assert body.replace(lean_root.encode(), threaded.root.encode()) == want.body
                assert got.getheader("Content-Type") == want.headers["Content-Type"]
                assert got.getheader("ETag") == want.headers["ETag"]
            lean.request("GET", "/feed/", headers={"If-None-Match": want_etag(threaded)})
            not_modified = lean.getresponse()
            assert (not_modified.status, not_modified.read()) == (304, b"")
            lean.request("HEAD", page)
            head = lean.getresponse()
            assert head.status == 200 and head.read() == b""
            assert int(head.getheader("Content-Length")) > 1000
            lean.close()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


def want_etag(site: FixtureSite) -> str:
    etag = fetch(url(site, "/feed/")).headers["ETag"]
    assert etag
    return etag
