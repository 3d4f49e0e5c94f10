"""`wirewatch ui` and `wirewatch report` on a database filled by a real crawl of the fixture sites.

The UI runs as a real child process serving Datasette on loopback; the browser
tests drive Debian's headless chromium through Playwright (skipped, saying why,
where /usr/bin/chromium is missing). Expected figures are worked out here in
Python from the raw tables, not with the code under test.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import lxml.html
import pytest

import storage
from tests.browser import bluish, chromium, count_pixels, not_white, reddish
from tests.crawling import ROOT, rows, wirewatch, write_config
from tests.fixturesite import make_sites

WATCHES = """
[[watch]]
id = "derna"
kind = "place"
names = ["Derna", "Darnah"]
lat = 32.76
lon = 22.64

[[watch]]
id = "sirte"
kind = "place"
names = ["Sirte", "Surt"]
lat = 31.2
lon = 16.59

[[watch]]
id = "zintan"
kind = "place"
names = ["Zintan"]
lat = 31.93
lon = 12.25

[[watch]]
id = "isis"
kind = "actor"
names = ["Islamic State", "ISIS", "ISIL", "Daesh"]
acronyms = ["IS"]
"""

PLACES = {"derna", "sirte", "zintan"}
SINCE = date(2016, 6, 1)


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """A config whose database holds a crawl of sites A, B (republisher) and C."""
    tmp = tmp_path_factory.mktemp("explore")
    with make_sites() as sites:
        config = write_config(
            tmp,
            {
                "a": {"url": sites.a.root},
                "b": {"url": sites.b.root},
                "c": {"url": sites.c.root + "news/", "kind": "html"},
            },
            extra=WATCHES,
        )
        result = wirewatch(config, "crawl", "--no-alerts")
    assert result.code == 0, result.stderr
    return config


def _monday(day: str) -> str:
    d = date.fromisoformat(day[:10])
    return (d - timedelta(days=d.weekday())).isoformat()


def expected_weeks(config: Path, since: date | None = None) -> Counter:
    """(watch, Monday) -> clusters mentioning the watch first dated in that week."""
    found = rows(
        config,
        "select m.watch_id, i.cluster, i.event_date, a.published from mentions m"
        " join items i on i.id = m.item_id join articles a on a.id = i.first_article_id",
    )
    first: dict[tuple[str, int], str] = {}
    for row in found:
        day = row["event_date"] or (row["published"] or "")[:10]
        key = (row["watch_id"], row["cluster"])
        first[key] = min(first.get(key, day), day)
    return Counter(
        (watch, _monday(day))
        for (watch, _), day in first.items()
        if day and (since is None or day >= since.isoformat())
    )


def expected_places(config: Path, since: date | None = None) -> dict[str, int]:
    totals = Counter()
    for (watch, _), n in expected_weeks(config, since).items():
        totals[watch] += n
    return {w: n for w, n in totals.items() if w in PLACES}


def test_report_figures_match_the_database(collected, tmp_path):
    """The report's bars, circles and cluster rows are the database's counts since the date."""
    out = tmp_path / "weekly.html"
    result = wirewatch(collected, "report", "--since", SINCE.isoformat(), "--out", str(out))
    assert result.code == 0, result.stderr
    page = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    assert not page.xpath("//script | //link | //img"), "the report must be self-contained"

    bars = Counter()
    for bar in page.xpath("//svg[@class='timeline']//rect[@class='bar']"):
        bars[(bar.get("data-watch"), bar.get("data-week"))] += int(bar.get("data-count"))
    weeks = expected_weeks(collected, SINCE)
    assert weeks and bars == weeks
    assert all(week >= _monday(SINCE.isoformat()) for _, week in bars)

    circles = {
        c.get("data-watch"): int(c.get("data-count"))
        for c in page.xpath("//svg[@class='map']//circle[@class='place']")
    }
    places = expected_places(collected, SINCE)
    assert set(places) >= {"derna", "sirte"} and "zintan" not in places
    assert circles == places
    radius = {c.get("data-watch"): float(c.get("r")) for c in page.xpath("//circle")}
    bigger, smaller = sorted(places, key=places.get, reverse=True)[:2]
    assert places[bigger] == places[smaller] or radius[bigger] > radius[smaller]

    clusters = page.xpath("//tr[@class='cluster']")
    assert len(clusters) == 10
    sources = [int(tr.get("data-sources")) for tr in clusters]
    assert sources == sorted(sources, reverse=True) and sources[0] == 3
    for tr in clusters:
        cluster = int(tr.get("data-cluster"))
        days = rows(
            collected,
            "select min(coalesce(i.event_date, substr(a.published, 1, 10))) d from items i"
            " join articles a on a.id = i.first_article_id where i.cluster = ?",
            (cluster,),
        )[0]["d"]
        assert days >= SINCE.isoformat()
        assert rows(
            collected,
            "select 1 from mentions m join items i on i.id = m.item_id where i.cluster = ?",
            (cluster,),
        )


def test_report_defaults_to_the_last_week(collected, tmp_path):
    """Without --since the report covers the last 7 days: the 2016 fixture news is not in it."""
    out = tmp_path / "r.html"
    assert wirewatch(collected, "report", "--out", str(out)).code == 0
    page = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    since = (date.today() - timedelta(days=7)).isoformat()
    assert since in page.findtext(".//h1")
    assert not page.xpath("//rect[@class='bar'] | //circle[@class='place']")
    assert "No mentions in this period." in out.read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


@pytest.fixture(scope="module")
def ui(collected):
    """`wirewatch ui` as a child process; yields its base URL, stops it with SIGTERM."""
    port = _free_port()
    log = collected.parent / "ui.log"
    with log.open("wb") as out:
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wirewatch",
                "--config",
                str(collected),
                "ui",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=collected.parent,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if child.poll() is not None:
            pytest.fail(f"wirewatch ui exited {child.returncode}: {log.read_text()}")
        try:
            if _get(base + "/")[0] == 200:
                break
        except OSError:
            if time.monotonic() > deadline:
                child.kill()
                pytest.fail(f"wirewatch ui did not answer: {log.read_text()}")
            time.sleep(0.2)
    yield base
    child.send_signal(signal.SIGTERM)
    try:  # uvicorn shuts down gracefully, then re-raises the signal it caught
        assert child.wait(timeout=30) in (0, -signal.SIGTERM), log.read_text()
    finally:
        if child.poll() is None:
            child.kill()


def _cells(page, column: str) -> list[str]:
    return [t.strip() for t in page.locator(f"td.col-{column}").all_inner_texts()]


def test_ui_loads_searches_and_runs_a_canned_query(collected, ui):
    """Home page, a full-text search over items, and the watch-mentions canned query."""
    with chromium() as browser:
        page = browser.new_page()
        page.goto(ui + "/")
        assert "wirewatch" in page.title()
        page.get_by_role("link", name="Timeline and map").first.wait_for()

        page.goto(ui + "/ww/item_list")
        assert "one row each" in page.locator("h1").inner_text()
        assert page.get_by_text("Shared by every copy of the same news").count() == 1
        page.fill("input[name=_search]", "Murzuq")
        with page.expect_navigation():
            page.press("input[name=_search]", "Enter")
        found = {int(i) for i in _cells(page, "id")}
        murzuq = {
            r["id"]
            for r in rows(collected, "select id, text from items")
            if re.search(r"\bmurzuq\b", r["text"], re.I)
        }
        assert murzuq and found == murzuq
        assert page.locator(".facet-info").count() >= 3  # source, month, watch ids

        page.goto(ui + "/")
        with page.expect_navigation():
            page.get_by_role("link", name="Items mentioning a watch in the last N days").click()
        page.fill("input[name=watch]", "sirte")
        page.fill("input[name=days]", "100000")
        with page.expect_navigation():
            page.locator("input[type=submit]").first.click()
        got = [int(i) for i in _cells(page, "id")]
        sirte = rows(collected, "select distinct item_id from mentions where watch_id = 'sirte'")
        assert got and sorted(got) == sorted(r["item_id"] for r in sirte)


def test_ui_timeline_and_map_render(collected, ui, tmp_path):
    """/-/wirewatch draws one bar per watch-week and one circle per place, visibly."""
    with chromium() as browser:
        page = browser.new_page()
        page.goto(ui + "/-/wirewatch")
        weeks = expected_weeks(collected)
        assert page.locator("svg.timeline rect.bar").count() == len(weeks)
        circles = page.locator("svg.map circle.place")
        assert sorted(circles.evaluate_all("cs => cs.map(c => c.dataset.watch)")) == sorted(
            expected_places(collected)
        )
        for selector in ("svg.timeline", "svg.map", "svg.map polygon.outline"):
            box = page.locator(selector).bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, selector
        timeline = page.locator("#timeline").screenshot()
        assert count_pixels(timeline, bluish) > 500  # the bars
        world = page.locator("#map").screenshot(path=tmp_path / "map.png")
        assert count_pixels(world, reddish) > 500  # the circles
        whole = page.screenshot(full_page=True)
        assert count_pixels(whole, not_white) > 50_000

        page.goto(ui + "/-/wirewatch?since=2016-06-01")
        assert page.locator("svg.timeline rect.bar").count() == len(
            expected_weeks(collected, SINCE)
        )


def test_ui_reads_what_is_written_while_it_runs(collected, ui):
    """Served read-only but not immutable: a run recorded now shows in run health at once."""
    db = storage.open_db(collected.parent / "ww.db")
    with storage.write_transaction(db):
        db.execute(
            "insert into runs (source, started, finished, status, message)"
            " values ('late', '2026-01-01T00:00:00+00:00', '2026-01-01T00:01:00+00:00',"
            " 'failed', 'site down')"
        )
    db.close()
    status, body = _get(ui + "/ww/run_health.json?_shape=array")
    assert status == 200
    health = {row["source"]: row for row in json.loads(body)}
    assert set(health) == {"a", "b", "c", "late"}
    assert health["late"]["last_status"] == "failed" and health["late"]["failed"] == 1
    assert health["a"]["last_status"] == "ok" and health["a"]["new_items"] > 0
    status, _ = _get(ui + "/ww/alert_outbox.json?state=")
    assert status == 200


def test_report_refuses_since_with_all_and_names_an_unwritable_file(collected, tmp_path):
    both = wirewatch(collected, "report", "--all", "--since", "2016-01-01")
    assert both.code == 2 and "--since and --all exclude each other" in both.stderr
    missing = tmp_path / "no-such-dir" / "r.html"
    bad = wirewatch(collected, "report", "--all", "--out", str(missing))
    assert bad.code == 1 and f"{missing}: cannot write the report" in bad.stderr


def test_ui_cluster_copies_lists_every_site_that_carried_the_news(collected, ui):
    """The canned query gives, for one cluster, the same copies as `wirewatch copies`."""
    cluster = rows(
        collected,
        "select i.cluster from items i join occurrences o on o.item_id = i.id"
        " join versions v on v.id = o.version_id join articles a on a.id = v.article_id"
        " group by i.cluster having count(distinct a.source) = 3 limit 1",
    )[0]["cluster"]
    status, body = _get(f"{ui}/ww/cluster_copies.json?_shape=array&cluster={cluster}")
    assert status == 200
    got = {(r["source"], r["url"], r["item_id"]) for r in json.loads(body)}
    db = storage.open_db(collected.parent / "ww.db")
    want = {(r["source"], r["url"], r["item_id"]) for r in storage.cluster_copies(db, cluster)}
    db.close()
    assert got == want and {source for source, _, _ in got} == {"a", "b", "c"}
