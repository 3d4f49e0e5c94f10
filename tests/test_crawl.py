"""End-to-end crawls of the fixture sites over loopback HTTP, through the real command line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime

import pytest

from spiders.middlewares import retry_after_seconds
from storage import SCHEMA_VERSION
from tests.crawling import ROOT, last_run, rows, start_wirewatch, wirewatch, write_config
from tests.fixturesite import (
    generate_site_posts,
    make_bench_site,
    make_site_a,
    reference_normalise,
)


def trio_config(tmp_path, sites, **crawl):
    """A config crawling A (site root), B (site root) and C (its news listing)."""
    return write_config(
        tmp_path,
        {
            "a": {"url": sites.a.root},
            "b": {"url": sites.b.root},
            "c": {"url": sites.c.root + "news/", "kind": "html"},
        },
        **crawl,
    )


def stored_paragraphs(config, source: str) -> dict[str, list[str]]:
    """Per canonical URL of a source's articles, the normalised texts of its latest version."""
    found = rows(
        config,
        """select a.url, i.text from articles a
           join versions v on v.article_id = a.id and v.version = a.version
           join occurrences o on o.version_id = v.id join items i on i.id = o.item_id
           where a.source = ? order by a.url, o.position""",
        (source,),
    )
    by_url: dict[str, list[str]] = {}
    for row in found:
        by_url.setdefault(row["url"], []).append(reference_normalise(row["text"]))
    return by_url


@pytest.fixture
def crawled(tmp_path, sites):
    """The three fixture sites crawled once from an empty database."""
    config = trio_config(tmp_path, sites)
    result = wirewatch(config, "crawl")
    assert result.code == 0, result.stderr
    return config, sites


def test_every_article_is_stored_once_with_exactly_its_paragraphs(crawled):
    """Each site's articles are stored once each, with exactly the paragraphs the page carries."""
    config, sites = crawled
    for site in sites:
        stored = stored_paragraphs(config, site.name)
        expected = {e.url: [reference_normalise(p) for p in e.paragraphs] for e in site.expected()}
        assert sorted(stored) == sorted(expected), site.name
        for url, paragraphs in expected.items():
            assert stored[url] == paragraphs, url
    distinct = {
        reference_normalise(p) for site in sites for e in site.expected() for p in e.paragraphs
    }
    assert rows(config, "select count(*) n from items")[0]["n"] == len(distinct)


def test_no_boilerplate_line_becomes_an_item(crawled):
    """Calls to action, footers, captions, comments, share blocks and sidebars are never items."""
    config, sites = crawled
    items = {reference_normalise(r["text"]) for r in rows(config, "select text from items")}
    for site in sites:
        boilerplate = {reference_normalise(t) for t in site.boilerplate() if t.strip()}
        leaked = {b for b in boilerplate if b in items}
        assert not leaked, f"{site.name}: {sorted(leaked)[:3]}"
    assert not any("comments are closed" in t for t in items)
    assert not any(t.startswith("tags:") for t in items)


def test_titles_and_published_dates_are_extracted(crawled):
    """Stored titles and publication dates match each site's posts, whatever the markup."""
    config, sites = crawled
    for site in sites:
        stored = {
            r["url"]: r
            for r in rows(config, "select * from articles where source = ?", (site.name,))
        }
        for expected in site.expected():
            row = stored[expected.url]
            if expected.title:
                assert " ".join(row["title"].split()) == " ".join(expected.title.split())
            published = date.fromisoformat(row["published"][:10])
            # The page may show the local date of a UTC timestamp: within a day.
            assert abs((published - expected.post.date.date()).days) <= 1, expected.url


def test_event_dates_take_the_year_from_the_article_across_new_year(crawled):
    """'On 30 December' in an update dated early January is the previous year's date."""
    config, _ = crawled
    found = rows(
        config,
        "select i.text, i.event_date from items i join articles a on a.id = i.first_article_id"
        " where a.source = 'a' and a.published like '2017-01-0%'",
    )
    dated = [(r["text"], r["event_date"]) for r in found]
    assert any(t.startswith("On 30 December") and d == "2016-12-30" for t, d in dated)
    assert any(t.startswith("On 2 January") and d == "2017-01-02" for t, d in dated)
    assert all(d is None for t, d in dated if t.startswith("Last week"))


def test_republished_paragraphs_are_linked_not_stored_again(crawled):
    """A paragraph B republished unchanged up to quotes, entities and spaces is A's item, linked."""
    config, sites = crawled
    sources_of: dict[str, set[str]] = {}
    for row in rows(
        config,
        """select i.id, i.text, a.source from items i join occurrences o on o.item_id = i.id
           join versions v on v.id = o.version_id join articles a on a.id = v.article_id""",
    ):
        sources_of.setdefault(reference_normalise(row["text"]), set()).add(row["source"])
    same = [
        text
        for copy in sites.b.posts
        if copy.origin and copy.origin[0] in {p.id for p in sites.a.posts}
        for text, origin in zip(copy.paragraph_texts(), copy.origin[1], strict=True)
        if origin.same_after_normalisation
    ]
    assert len(same) > 20
    for text in same:
        assert {"a", "b"} <= sources_of[reference_normalise(text)], text
    item_count = rows(config, "select count(*) n from items")[0]["n"]
    assert item_count == len(sources_of)


def test_unchanged_rerun_stores_nothing_and_costs_few_requests(crawled):
    """A second crawl of unchanged sites stores nothing new and makes at most 5 requests a site."""
    config, sites = crawled
    before = rows(
        config, "select (select count(*) from articles) a, (select count(*) from items) i"
    )
    for site in sites:
        site.clear_log()
    result = wirewatch(config, "crawl")
    assert result.code == 0, result.stderr
    after = rows(config, "select (select count(*) from articles) a, (select count(*) from items) i")
    assert after == before
    for site in sites:
        assert len(site.requests) <= 5, (site.name, site.paths())
        run = last_run(config, site.name)
        assert (run["new_articles"], run["new_items"], run["status"]) == (0, 0, "ok")
        # The run records the requests it made: every one the site saw, robots.txt too.
        assert run["requests"] == len(site.requests) > 0, (site.name, site.paths())


def test_unchanged_feed_answers_304_on_the_third_run(crawled):
    """With the REST API closed, B's feed is fetched conditionally: 304 when unchanged."""
    config, sites = crawled
    wirewatch(config, "crawl", "b")
    sites.b.clear_log()
    wirewatch(config, "crawl", "b")
    statuses = [r.status for r in sites.b.requests if "feed" in r.target]
    assert statuses == [304]
    assert last_run(config, "b")["not_modified"] == 1


def test_new_post_is_fetched_alone(crawled):
    """After one new post, a rerun stores that post and hardly anything else is fetched."""
    config, sites = crawled
    post = sites.a.publish()
    sites.a.clear_log()
    result = wirewatch(config, "crawl", "a")
    assert result.code == 0, result.stderr
    run = last_run(config, "a")
    assert run["new_articles"] == 1
    assert run["new_items"] >= len(set(post.paragraph_texts())) - 2
    assert len(sites.a.requests) <= 5, sites.a.paths()
    stored = rows(config, "select title from articles where url = ?", (sites.a.url_of(post),))
    assert stored and stored[0]["title"] == post.title


def test_edited_post_becomes_a_new_version_reusing_unchanged_items(crawled):
    """An edit is caught through modified_gmt and stored as version 2 sharing unchanged items."""
    config, sites = crawled
    post = sites.a.posts[3]
    sections = post.sections
    edited = [
        type(sections[0])(
            sections[0].heading,
            [*sections[0].paragraphs[:-1], "On 9 March, a correction was issued."],
        )
    ]
    sites.a.edit_post(post.id, sections=edited + list(sections[1:]))
    result = wirewatch(config, "crawl", "a")
    assert result.code == 0, result.stderr
    article = rows(config, "select * from articles where url = ?", (sites.a.url_of(post),))[0]
    assert article["version"] == 2
    assert last_run(config, "a")["updated_articles"] == 1
    assert last_run(config, "a")["new_items"] == 1
    versions = rows(
        config,
        "select v.version, count(o.item_id) n from versions v join occurrences o"
        " on o.version_id = v.id where v.article_id = ? group by v.version",
        (article["id"],),
    )
    assert [v["n"] for v in versions] == [len(post.paragraph_texts())] * 2


def test_category_start_url_crawls_only_that_category(tmp_path, site_a):
    """A category page as start URL stores that category's posts and no others."""
    config = write_config(tmp_path, {"cat": {"url": site_a.root + "category/analysis/"}})
    result = wirewatch(config, "crawl")
    wanted = {site_a.url_of(p) for p in site_a.posts if "Analysis" in p.categories}
    stored = {r["url"] for r in rows(config, "select url from articles")}
    assert result.code == 0, result.stderr
    assert wanted and stored == wanted


def test_full_rewalks_the_archive_without_storing_twice(crawled):
    """--full fetches the whole archive again and stores nothing new."""
    config, sites = crawled
    sites.b.clear_log()
    result = wirewatch(config, "crawl", "b", "--full")
    assert result.code == 0, result.stderr
    fetched = {r.target for r in sites.b.requests if r.target.startswith("/?p=")}
    assert len(fetched) == len(sites.b.posts)
    assert last_run(config, "b")["new_items"] == 0


def test_robots_txt_is_obeyed(crawled):
    """Pages that robots.txt disallows are never requested, though the menu links them."""
    _, sites = crawled
    assert sites.a.private_paths
    assert not any(r.path.startswith("/private/") for r in sites.a.requests)


def test_user_agent_names_the_tool(crawled):
    """Every request carries the configured User-Agent naming wirewatch."""
    _, sites = crawled
    agents = {r.headers.get("User-Agent") for r in sites.a.requests}
    assert len(agents) == 1 and "wirewatch" in agents.pop()


def test_a_clean_rerun_says_nothing_on_stderr_and_lists_its_own_runs(crawled):
    """Without -v, a crawl where nothing went wrong writes no warning: the daemon relays
    every line, and a warning each run (Scrapy's, about a middleware left out) is noise."""
    config, _ = crawled
    result = wirewatch(config, "crawl")
    assert result.code == 0 and result.stderr == ""
    # This crawl's runs only, one a source, not the first crawl's as well.
    listed = [line.split()[0] for line in result.stdout.splitlines()[1:] if line.strip()]
    assert listed == ["a", "b", "c"], result.stdout


@pytest.mark.parametrize(
    ("content", "problem"),
    [("newer", "newer than this wirewatch"), ("garbage", "not a database")],
)
def test_a_bad_database_is_refused_before_anything_is_fetched(tmp_path, site_c, content, problem):
    """The crawl's child starts before the database is checked; a database from a newer
    wirewatch, or a file that is none, still ends the crawl with exit 2, the file and the
    problem named in one line, and nothing fetched or stored."""
    config = write_config(tmp_path, {"c": {"url": site_c.root + "news/", "kind": "html"}})
    path = tmp_path / "ww.db"
    if content == "newer":
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 999")
        conn.close()
    else:
        path.write_bytes(b"not sqlite at all " * 100)
    before = path.read_bytes()
    result = wirewatch(config, "crawl")
    assert result.code == 2, result.stderr
    assert str(path) in result.stderr and problem in result.stderr
    assert "Traceback" not in result.stderr
    assert not site_c.requests
    assert path.read_bytes() == before


def test_the_crawl_child_refuses_a_bad_database_in_one_line(tmp_path, site_c):
    """The daemon's crawls run `python -m spiders.runner`: a database from a newer
    wirewatch is exit 2 and one line there too, not a traceback from each spider."""
    config = write_config(tmp_path, {"c": {"url": site_c.root + "news/", "kind": "html"}})
    conn = sqlite3.connect(tmp_path / "ww.db")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    done = subprocess.run(
        [sys.executable, "-m", "spiders.runner", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'ww.db'}: database schema version 999 is newer than this"
        f" wirewatch knows ({SCHEMA_VERSION}); upgrade wirewatch"
    ]
    assert not site_c.requests


def test_unreachable_site_fails_its_run_and_the_rest_goes_on(tmp_path, site_c):
    """A dead site is recorded as a failed run with a message; other sources are stored; exit 1."""
    config = write_config(
        tmp_path,
        {
            "dead": {"url": "http://127.0.0.1:9/"},
            "c": {"url": site_c.root + "news/", "kind": "html"},
        },
        retries=1,
    )
    result = wirewatch(config, "crawl")
    assert result.code == 1
    dead = last_run(config, "dead")
    assert dead["status"] == "failed" and "refused" in dead["message"].lower()
    assert last_run(config, "c")["new_articles"] == len(site_c.posts)
    assert "dead" in result.stdout and "failed" in result.stdout
    # Said in one line each, not with Twisted's traceback (the daemon relays every line).
    assert "Traceback" not in result.stderr and "Connection was refused" in result.stderr


def test_broken_pages_are_recorded_and_the_crawl_goes_on(tmp_path, site_c):
    """404, 500, truncated and body-less pages are each recorded; every other article is stored."""
    posts = site_c.posts
    site_c.add_fault(posts[0].id, status=500)
    site_c.add_fault(posts[1].id, "truncate")
    site_c.add_fault(posts[2].id, "no-body")
    site_c.add_fault(posts[3].id, status=404)
    config = write_config(
        tmp_path, {"c": {"url": site_c.root + "news/", "kind": "html"}}, retries=1
    )
    result = wirewatch(config, "crawl")
    assert result.code == 1
    run = last_run(config, "c")
    assert run["status"] == "partial" and run["errors"] == 4
    assert run["new_articles"] == len(posts) - 4
    errors = rows(config, "select url, kind, message from run_errors order by url")
    by_url = {e["url"]: e for e in errors}
    assert "HTTP 500" in by_url[site_c.url_of(posts[0])]["message"]
    assert by_url[site_c.url_of(posts[2])]["kind"] == "extraction"
    assert "HTTP 404" in by_url[site_c.url_of(posts[3])]["message"]


def test_non_utf8_pages_are_decoded(tmp_path, site_c):
    """A windows-1252 page, declared in the header or only in a meta tag, keeps its characters."""
    site_c.add_fault(site_c.posts[0].id, "cp1252")
    site_c.add_fault(site_c.posts[1].id, "meta-charset")
    config = write_config(tmp_path, {"c": {"url": site_c.root + "news/", "kind": "html"}})
    assert wirewatch(config, "crawl").code == 0
    for post in site_c.posts[:2]:
        stored = stored_paragraphs(config, "c")[site_c.url_of(post)]
        wanted = [reference_normalise(p) for p in post.paragraph_texts()]
        assert [s for s in stored if s.isascii()] == [w for w in wanted if w.isascii()]


def test_429_with_retry_after_is_retried(tmp_path, site_c):
    """A 429 with Retry-After is waited out and retried, and the page is stored."""
    rule = site_c.add_fault(site_c.posts[0].id, status=429, times=1)
    config = write_config(tmp_path, {"c": {"url": site_c.root + "news/", "kind": "html"}})
    result = wirewatch(config, "crawl")
    assert result.code == 0, result.stderr
    assert rule.hits == 1
    assert last_run(config, "c")["new_articles"] == len(site_c.posts)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (b"120", 120.0),
        (b" 7 ", 7.0),
        (b"Sun, 22 Nov 2026 10:00:30 GMT", 30.0),  # the HTTP-date form
        (b"Sunday, 22-Nov-26 10:01:00 GMT", 60.0),  # RFC 850, which servers still send
        (b"Sun, 22 Nov 2026 10:00:05 -0000", 5.0),  # a zone-less UTC time
        (b"Sun, 22 Nov 2026 09:00:00 GMT", 0.0),  # already past: no wait
        (b"soon", None),
        (b"-5", None),
        (b"", None),
    ],
)
def test_retry_after_is_read_in_seconds_and_as_a_date(
    header: bytes, seconds: float | None, monkeypatch: pytest.MonkeyPatch
):
    # A machine clock away from UTC: a zone-less date must still be read as UTC.
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        now = datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC).timestamp()
        assert retry_after_seconds(header, now=now) == seconds
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_source_being_crawled_is_not_crawled_again_at_the_same_time(tmp_path, site_c):
    """A crawl run by hand while another process crawls the same source (the daemon's
    scheduled crawl, say) is refused: it names the other process, records no run and
    fetches nothing; the first crawl goes on undisturbed and stores everything once."""
    slow = site_c.add_fault(site_c.posts[-1].id, "delay", delay=8.0, times=1)
    config = write_config(tmp_path, {"c": {"url": site_c.root + "news/", "kind": "html"}})
    first = start_wirewatch(config, "crawl")
    try:
        deadline = time.monotonic() + 60
        while not (holder := _running(config)):
            assert time.monotonic() < deadline and first.poll() is None, "the first crawl never ran"
            time.sleep(0.05)
        second = wirewatch(config, "crawl")
        assert first.poll() is None, "the first crawl ended before the second was tried"
    finally:
        _, first_err = first.communicate(timeout=120)
    assert second.code == 1
    assert f"is being crawled by process {holder}" in second.stderr, second.stderr
    assert first.returncode == 0, first_err
    runs = rows(config, "select source, status from runs")
    assert runs == [{"source": "c", "status": "ok"}]
    stored = rows(config, "select count(*) as n from articles")[0]["n"]
    assert stored == len(site_c.posts)
    # Nothing fetched twice: the refused crawl asked for nothing, not even robots.txt.
    targets = [r.target for r in site_c.requests]
    assert slow.hits == 1 and "/robots.txt" in targets and len(targets) == len(set(targets))


def test_a_source_named_twice_is_crawled_once(tmp_path, site_c):
    """`wirewatch crawl c c` is one crawl of c: one run, no page fetched twice."""
    config = write_config(tmp_path, {"c": {"url": site_c.root + "news/", "kind": "html"}})
    result = wirewatch(config, "crawl", "c", "c")
    assert result.code == 0, result.stdout + result.stderr
    assert rows(config, "select source, status from runs") == [{"source": "c", "status": "ok"}]
    targets = [r.target for r in site_c.requests]
    assert len(targets) == len(set(targets)), sorted(targets)
    assert rows(config, "select count(*) as n from articles")[0]["n"] == len(site_c.posts)


def _running(config) -> int | None:
    """The pid of the process whose run is open in the database (which may not be made yet)."""
    try:
        found = rows(config, "select pid from runs where status = 'running'")
    except sqlite3.OperationalError:
        return None
    return found[0]["pid"] if found else None


def test_max_pages_bounds_a_run(tmp_path, site_c):
    """max_pages stops a source's run after that many pages and says so."""
    config = write_config(
        tmp_path,
        {"c": {"url": site_c.root + "news/", "kind": "html", "max_pages": 4}},
        concurrency=1,
    )
    wirewatch(config, "crawl")
    run = last_run(config, "c")
    # Scrapy counts robots.txt among the pages; a request in flight at the bound still finishes.
    assert 3 <= run["pages"] <= 5 and "max_pages" in (run["message"] or "")
    assert run["new_articles"] < len(site_c.posts)


def test_items_json_carries_the_interface_fields(crawled):
    """`items --json` prints one object per line with the fields interface.md promises."""
    config, _ = crawled
    result = wirewatch(config, "items", "--json", "--source", "a", "--limit", "5")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 5
    for item in lines:
        assert {
            "id",
            "source",
            "url",
            "title",
            "published",
            "event_date",
            "text",
            "hash",
            "cluster",
            "mentions",
            "first_seen",
        } <= set(item)
    dates = [i["published"] for i in lines]
    assert dates == sorted(dates, reverse=True)


def test_status_lists_each_source_with_its_last_run(crawled):
    """`status --json` gives each source's last result, counts and next run."""
    config, _ = crawled
    result = wirewatch(config, "status", "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    by_source = {r["source"]: r for r in lines if "source" in r}
    assert set(by_source) == {"a", "b", "c"}
    assert lines[-1] == {
        "outbox": {"pending": 0, "sending": 0, "sent": 0, "failed": 0, "unknown": 0}
    }
    assert by_source["a"]["result"] == "ok"
    assert by_source["a"]["new_items"] > 0 and by_source["a"]["next_run"]


def test_scrapy_list_and_scrapy_crawl_store_through_the_same_pipeline(tmp_path, site_c):
    """From the repository root, `scrapy list` names the spiders and `scrapy crawl` stores."""
    config = write_config(tmp_path, {"c": {"url": site_c.root + "news/", "kind": "html"}})
    env = {**os.environ, "WIREWATCH_CONFIG": str(config), "PYTHONPATH": str(ROOT)}
    listed = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert set(listed.stdout.split()) == {"source", "wordpress", "feed", "sitemap", "html"}
    crawl = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "source",
            "-a",
            "source=c",
            "-s",
            "LOG_LEVEL=WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crawl.returncode == 0, crawl.stderr
    run = last_run(config, "c")
    assert run["status"] == "ok" and run["new_articles"] == len(site_c.posts)


@pytest.fixture
def big_site():
    """A 500-article WordPress-like site whose REST API is closed: feed, sitemap, listings."""
    with make_bench_site(500) as site:
        yield site


def test_500_article_site_rerun_and_one_new_post(tmp_path, big_site):
    """On 500 articles an unchanged rerun makes at most 5 requests; a new post costs a few."""
    config = write_config(tmp_path, {"big": {"url": big_site.root}})
    assert wirewatch(config, "crawl").code == 0
    assert last_run(config, "big")["new_articles"] == 500
    big_site.clear_log()
    assert wirewatch(config, "crawl").code == 0
    assert len(big_site.requests) <= 5, big_site.paths()
    post = big_site.publish()
    big_site.clear_log()
    assert wirewatch(config, "crawl").code == 0
    fetched = big_site.paths()
    assert big_site.url_of(post).split("/", 3)[3] in {p.lstrip("/") for p in fetched}
    assert len(fetched) <= 6, fetched
    run = last_run(config, "big")
    assert (run["new_articles"], run["status"]) == (1, "ok")


def test_unannounced_api_is_found_at_the_query_form(tmp_path):
    """A WordPress site hiding its API link and serving no /wp-json/ is read via ?rest_route=."""
    site = make_site_a(
        generate_site_posts(15, seed=3), announce_api=False, wp_json_path=False, name="hidden"
    )
    with site:
        config = write_config(tmp_path, {"hidden": {"url": site.root}})
        assert wirewatch(config, "crawl").code == 0
        rest = [r for r in site.requests if "rest_route=" in r.target and r.status == 200]
        assert rest, site.paths()
        assert last_run(config, "hidden")["new_articles"] == 15
        assert not any("/wp-sitemap" in r.target for r in site.requests)
