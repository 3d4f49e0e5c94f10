"""Sites misbehaving: one real crawl of the hostile site tries every fault at once.

Each fault must end as a recorded failed page (or a retried success), the rest of
the crawl must go on, nothing may be stored twice, and the database stays sound.
"""

from __future__ import annotations

import json

import pytest

from tests.crawling import rows, wirewatch, write_config
from tests.hostilesite import (
    ARABIC,
    BAD_UTF8_CLEAN,
    GOOD,
    MALFORMED,
    RETRIED,
    HostileSite,
)


def hostile_config(tmp_path, site: HostileSite, **more):
    """Retries and timeouts kept short so the hanging server costs seconds, not minutes."""
    sources = {
        "h": {
            "url": site.root,
            "kind": "html",
            "selectors": {"links": "a.post", "body": ".entry-content"},
        }
    }
    return write_config(tmp_path, sources, timeout="2s", retries=2, **more)


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hostile")
    with HostileSite() as site:
        config = hostile_config(tmp_path, site)
        result = wirewatch(config, "crawl")
        yield config, site, result


def stored(config) -> dict[str, list[str]]:
    """Each stored article's path and its paragraphs in order."""
    found: dict[str, list[str]] = {}
    for row in rows(
        config,
        "select a.url, i.text from articles a join versions v on v.article_id = a.id"
        " join occurrences o on o.version_id = v.id join items i on i.id = o.item_id"
        " order by a.id, o.position",
    ):
        path = "/" + row["url"].split("/", 3)[3]
        found.setdefault(path, []).append(row["text"])
    return found


def errors(config) -> dict[str, tuple[str, str]]:
    found = rows(config, "select url, kind, message from run_errors")
    return {"/" + r["url"].split("/", 3)[3]: (r["kind"], r["message"]) for r in found}


def test_good_and_retried_pages_are_stored_once_with_their_paragraphs(hostile_crawl):
    config, site, result = hostile_crawl
    articles = stored(config)
    for path, paragraphs in {**GOOD, **RETRIED}.items():
        assert articles[path] == paragraphs, path
    assert rows(config, "select count(*) n from articles")[0]["n"] == len(articles)
    assert site.counts["/p/retry-429"] == 2  # 429 with Retry-After, then success
    assert site.counts["/p/burst-500"] == 3  # 500, 503, then success
    run = rows(config, "select * from runs")[0]
    assert run["status"] == "partial" and result.code == 1


def test_each_fault_is_a_recorded_failed_page(hostile_crawl):
    config, site, _ = hostile_crawl
    found = errors(config)
    assert found["/p/hang"][0] == "fetch" and "took longer than" in found["/p/hang"][1]
    assert site.counts["/p/hang"] == 3  # a timeout is retried twice, then given up
    assert found["/p/reset"] == ("fetch", "ResponseDataLossError")
    assert found["/p/huge"][0] == "fetch"  # cancelled at max_page_size, not read to the end
    kind, message = found["/p/gzip-bomb"]
    assert kind == "fetch" and "DOWNLOAD_MAXSIZE" in message  # bounded while decompressing
    assert found["/p/layout-changed"] == ("extraction", "no article body found on the page")
    assert found["/p/a-pdf"] == ("extraction", "not an HTML page")
    loop = [p for p in found if p.startswith("/p/loop/")]
    assert loop and "max redirections" in found[loop[0]][1]
    assert site.requested("/p/loop/") == 6  # REDIRECT_MAX_TIMES = 5
    assert set(stored(config)).isdisjoint(found)


def test_redirect_to_another_host_is_not_followed(hostile_crawl):
    _, site, _ = hostile_crawl
    assert site.counts["/p/offsite"] == 1
    assert site.hosts() == {"127.0.0.1"}  # nobody asked for localhost
    assert "/p/elsewhere" not in site.counts


def test_bad_encodings_and_malformed_html_give_the_right_text(hostile_crawl):
    config, _, _ = hostile_crawl
    articles = stored(config)
    assert articles["/p/arabic"] == ARABIC  # windows-1256 decoded, not mojibake
    broken, clean = articles["/p/bad-utf8"]
    assert clean == BAD_UTF8_CLEAN
    assert broken.startswith("Broken bytes") and "Sabha reopened" in broken
    assert articles["/p/malformed"] == MALFORMED


def test_database_is_sound_after_the_hostile_crawl(hostile_crawl):
    config, _, _ = hostile_crawl
    assert rows(config, "pragma integrity_check") == [{"integrity_check": "ok"}]
    assert rows(config, "select count(*) n from runs where status = 'running'")[0]["n"] == 0


def test_feed_entity_bomb_and_external_entities_are_refused_not_expanded(tmp_path):
    """A feed declaring a billion laughs and SYSTEM entities is refused; the listing is read."""
    with HostileSite() as site:
        feed = {"url": site.root + "good-only/", "kind": "feed"}
        feed |= {"feed": site.root + "bomb-feed.xml", "selectors": {"body": ".entry-content"}}
        config = write_config(tmp_path, {"f": feed}, timeout="5s", retries=1)
        result = wirewatch(config, "crawl", timeout=60)
        assert site.counts["/bomb-feed.xml"] == 1
        assert "/xxe-probe" not in site.counts  # the external entity was never fetched
    assert set(stored(config)) == set(GOOD), result.stderr
    assert list(errors(config).values()) == [("feed", "HTTP 200, not a feed")]
    dump = json.dumps(rows(config, "select * from items")) + json.dumps(
        rows(config, "select * from articles")
    )
    assert "root:" not in dump and "lollol" not in dump


def test_status_warns_when_a_source_that_yielded_items_now_yields_none(tmp_path, site_c):
    """Site C redesigned: its new posts have no article element the extractor knows."""
    config = write_config(tmp_path, {"c": {"url": site_c.root + "news/", "kind": "html"}})
    assert wirewatch(config, "crawl").code == 0
    assert wirewatch(config, "crawl").code == 0  # an unchanged rerun is no warning
    quiet = wirewatch(config, "status")
    assert "warning" not in quiet.stdout
    for seed in (1, 2):
        post = site_c.publish(seed=seed)
        site_c.add_fault(post.id, "no-body")
    assert wirewatch(config, "crawl").code == 1
    errors_seen = rows(config, "select kind from run_errors")
    assert [e["kind"] for e in errors_seen] == ["extraction", "extraction"]
    text = wirewatch(config, "status").stdout
    assert "warning: c:" in text and "changed its layout" in text
    as_json = [
        json.loads(line) for line in wirewatch(config, "status", "--json").stdout.splitlines()
    ]
    row = next(r for r in as_json if r.get("source") == "c")
    assert "2 page(s)" in row["warning"]
