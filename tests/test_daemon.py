"""The daemon end to end: real `wirewatch run` processes, the fixture site, a real webhook.

Schedules are second-scale ("every 2s"); every wait polls the database or the
receiver with a generous deadline, so a loaded machine makes the tests slower,
not flaky.
"""

from __future__ import annotations

import json
import os
import signal
from collections import Counter

import pytest

from tests.crawling import rows, wirewatch, write_config
from tests.daemon import (
    PLACES_WATCH,
    DaemonProcess,
    daemon_settings,
    finished,
    pid_exists,
    query,
    runs,
    until,
)
from tests.receivers import WebhookReceiver


@pytest.fixture
def hook():
    with WebhookReceiver() as receiver:
        yield receiver


def news_source(site, schedule: str = "every 2s", **more) -> dict:
    return {"url": site.root + "news/", "kind": "html", "schedule": schedule, **more}


def subscriber(url: str) -> str:
    return f'\n[[subscriber]]\nname = "desk"\nnotify = [{json.dumps(url)}]\nwatch = ["places"]\n'


def ops(url: str, failures: int = 3) -> str:
    return f"\n[ops]\nnotify = [{json.dumps(url)}]\nfailures_before_alert = {failures}\n"


def alerts_sent(config) -> list[dict]:
    return rows(config, "select * from outbox where state = 'sent'")


def assert_each_alert_sent_once(config, hook, *, killed: bool = False) -> None:
    """Every alert delivered in exactly one webhook message; none delivered twice.

    After a kill -9 a row may be ``unknown``: the daemon died between sending and
    recording it, and it is not resent on its own, so it reached the receiver at
    most once. Nothing else may be left unsent.
    """
    outbox = rows(config, "select * from outbox")
    sent = [r for r in outbox if r["state"] == "sent"]
    unknown = [r for r in outbox if r["state"] == "unknown"]
    assert sent, "the fixture's posts name places: something must have alerted"
    assert len(sent) + len(unknown) == len(outbox), [r["state"] for r in outbox]
    to_desk = [r for r in hook.received if r.path.startswith("/desk")]
    bodies = [r.json["message"] for r in to_desk]
    assert len(set(bodies)) == len(bodies), "an alert was delivered twice"
    assert len({r["message"] for r in sent}) == len(sent)  # instant: one message per row
    if killed:
        assert len(unknown) <= 1 and len(sent) <= len(to_desk) <= len(sent) + len(unknown)
    else:
        assert unknown == [] and len(to_desk) == len(sent)


def test_crawls_on_schedule_and_alerts_a_new_post_exactly_once(tmp_path, site_c, hook):
    """Scheduled crawls repeat; a post published meanwhile is stored and alerted once."""
    config = write_config(
        tmp_path,
        {"c": news_source(site_c)},
        extra=PLACES_WATCH + subscriber(hook.url("/desk")) + daemon_settings(),
    )
    with DaemonProcess(config) as daemon:
        until(lambda: len(finished(config, "c")) >= 2, "two scheduled crawls")
        status = wirewatch(config, "status", "--json")
        lines = [json.loads(line) for line in status.stdout.splitlines()]
        state = next(line["daemon"] for line in lines if "daemon" in line)
        assert state["alive"] and state["pid"] == daemon.pid
        source = next(line for line in lines if line.get("source") == "c")
        assert source["result"] == "ok" and source["next_run"] not in (None, "due now")

        post = site_c.publish()
        url = site_c.url_of(post)
        until(lambda: query(config, "select id from articles where url = ?", (url,)), "new post")
        new_rows = until(
            lambda: query(
                config,
                "select o.* from outbox o join occurrences oc on oc.item_id = o.item_id"
                " join versions v on v.id = oc.version_id join articles a on a.id = v.article_id"
                " where a.url = ?",
                (url,),
            ),
            "alerts for the new post",
        )
        until(
            lambda: (
                all(r["state"] == "sent" for r in alerts_sent(config))
                and len(alerts_sent(config)) >= len(new_rows)
            ),
            "the new post's alerts sent",
        )
        seen = len(finished(config, "c"))
        until(lambda: len(finished(config, "c")) >= seen + 2, "two more crawls after it")
        about_post = [r for r in hook.received if url in r.json["message"]]
        assert len(about_post) == len(new_rows)
        assert_each_alert_sent_once(config, hook)
        assert daemon.stop() == 0
    after = [json.loads(line) for line in wirewatch(config, "status", "--json").stdout.splitlines()]
    state = next(line["daemon"] for line in after if "daemon" in line)
    assert not state["alive"] and state["stopped"]
    log = daemon.stderr()
    assert "crawl c: start" in log and "crawl c: ok" in log and "new items" in log


@pytest.mark.parametrize("how", ["sigterm", "kill-9"])
def test_stopped_during_a_crawl_restart_loses_and_repeats_nothing(tmp_path, site_c, hook, how):
    """SIGTERM (clean stop, run interrupted) or kill -9 mid-crawl; a restart completes the job."""
    for post in site_c.posts:
        site_c.add_fault(post.id, "delay", delay=1.5)
    config = write_config(
        tmp_path,
        {"c": news_source(site_c)},
        extra=PLACES_WATCH + subscriber(hook.url("/desk")) + daemon_settings(),
        concurrency=2,
    )
    with DaemonProcess(config, "first") as daemon:
        until(lambda: query(config, "select id from articles limit 1"), "a first article stored")
        running = until(
            lambda: [r for r in runs(config, "c") if r["status"] == "running"], "a running crawl"
        )
        child = running[-1]["pid"]
        if how == "sigterm":
            daemon.signal(signal.SIGTERM)
            assert daemon.wait(60) == 0
        else:
            daemon.signal(signal.SIGKILL)
            daemon.wait(60)
        until(lambda: not pid_exists(child), "the crawl process gone with the daemon")
    if how == "sigterm":
        assert runs(config, "c")[-1]["status"] == "interrupted"
    stored_before = len(rows(config, "select id from articles"))
    assert 0 < stored_before < len(site_c.posts)

    site_c.clear_faults()
    with DaemonProcess(config, "second") as again:
        until(lambda: finished(config, "c"), "a complete crawl after the restart")
        statuses = [r["status"] for r in runs(config, "c")]
        assert statuses[0] == "interrupted"  # kill -9: marked so by the restart
        assert statuses.count("running") <= 1
        until(
            lambda: (
                rows(config, "select 1 from outbox")
                and not rows(config, "select 1 from outbox where state in ('pending', 'sending')")
            ),
            "every alert delivered",
        )
        assert again.stop() == 0
    articles = rows(config, "select url from articles")
    assert sorted(a["url"] for a in articles) == sorted(site_c.url_of(p) for p in site_c.posts)
    texts = Counter(r["hash"] for r in rows(config, "select hash from items"))
    assert max(texts.values()) == 1
    assert_each_alert_sent_once(config, hook, killed=how == "kill-9")


def test_a_hanging_crawl_is_stopped_at_its_limit_and_the_next_run_goes_ahead(
    tmp_path, site_c, hook
):
    """A crawl stuck past time_limit is stopped and recorded `timeout`; ops hear; next run ok."""
    # The limit leaves a loaded machine room for a normal crawl (process start-up included);
    # the first request of the first crawl hangs far beyond it.
    site_c.add_fault("/news/", "delay", delay=300, times=1)
    config = write_config(
        tmp_path,
        {"c": news_source(site_c, time_limit="20s")},  # the source's own, over [crawl]'s 30m
        extra=PLACES_WATCH + ops(hook.url("/ops")) + daemon_settings(),
        timeout="120s",
    )
    with DaemonProcess(config) as daemon:
        timed_out = until(lambda: finished(config, "c", "timeout"), "a crawl stopped at its limit")
        assert "time limit" in timed_out[0]["message"]
        assert not pid_exists(timed_out[0]["pid"])
        until(lambda: finished(config, "c", "ok"), "the next crawl, complete")
        notes = until(
            lambda: [r for r in hook.received if r.path.startswith("/ops")], "an ops message"
        )
        assert "time limit" in notes[0].json["title"]

        second = wirewatch(config, "run", timeout=60)
        assert second.code == 2
        assert f"pid {daemon.pid}" in second.stderr and "already runs" in second.stderr
        assert daemon.process.poll() is None
        assert daemon.stop() == 0


def test_sighup_adds_a_source_and_a_broken_config_keeps_the_old_one(tmp_path, site_c):
    """SIGHUP with a new source starts crawling it; a broken file is refused, crawls go on."""
    config = write_config(
        tmp_path, {"c": news_source(site_c)}, extra=PLACES_WATCH + daemon_settings()
    )
    good = config.read_text(encoding="utf-8")
    with DaemonProcess(config) as daemon:
        until(lambda: finished(config, "c"), "a crawl of the first source")
        write_config(
            tmp_path,
            {"c": news_source(site_c), "c2": news_source(site_c, schedule="every 1s")},
            extra=PLACES_WATCH + daemon_settings(),
        )
        daemon.signal(signal.SIGHUP)
        until(lambda: finished(config, "c2"), "a crawl of the source added by SIGHUP")
        assert "schedule: c2 added" in daemon.stderr()

        config.write_text(good.replace('"every 2s"', '"every fortnight"'), encoding="utf-8")
        daemon.signal(signal.SIGHUP)
        until(lambda: "reload refused" in daemon.stderr(), "the refusal logged")
        assert "schedule" in daemon.stderr().split("reload refused", 1)[1].splitlines()[0]
        # Crawls go on, and succeed: the children read the daemon's copy of the good config.
        c2_ok = len(finished(config, "c2"))
        until(lambda: len(finished(config, "c2")) >= c2_ok + 2, "the old config still crawling")
        assert [r["status"] for r in runs(config) if r["status"] == "failed"] == []
        assert daemon.process.poll() is None
        assert daemon.stop() == 0


def test_a_failing_source_tells_ops_once_and_again_when_it_recovers(tmp_path, site_c, hook):
    """After failures_before_alert failed runs, one ops message; one more on recovery."""
    site_c.add_fault("/news/", status=404)
    config = write_config(
        tmp_path,
        {"c": news_source(site_c, schedule="every 1s")},
        extra=PLACES_WATCH + ops(hook.url("/ops"), failures=2) + daemon_settings(),
    )
    with DaemonProcess(config) as daemon:
        until(lambda: len(finished(config, "c", "failed")) >= 4, "four failed runs")
        to_ops = [r.json["title"] for r in hook.received if r.path.startswith("/ops")]
        assert len(to_ops) == 1 and "failed 2 run(s) in a row" in to_ops[0]
        site_c.clear_faults()
        until(lambda: finished(config, "c"), "a run after the site is back")
        until(lambda: len(hook.received) >= 2, "the recovery message")
        seen = len(runs(config, "c"))
        until(lambda: len(runs(config, "c")) >= seen + 2, "two more runs")
        to_ops = [r.json["title"] for r in hook.received if r.path.startswith("/ops")]
        assert len(to_ops) == 2 and "works again" in to_ops[1]
        assert daemon.stop() == 0


def test_a_crawl_process_that_dies_is_recorded_failed_and_the_daemon_goes_on(tmp_path, site_c):
    """A crawl child killed mid-run (a crash) is a failed run; the next run goes ahead."""
    for post in site_c.posts:
        site_c.add_fault(post.id, "delay", delay=1.0)
    config = write_config(
        tmp_path, {"c": news_source(site_c)}, extra=PLACES_WATCH + daemon_settings()
    )
    with DaemonProcess(config) as daemon:
        running = until(
            lambda: [r for r in runs(config, "c") if r["status"] == "running"], "a running crawl"
        )
        child = running[-1]["pid"]
        os.kill(child, signal.SIGKILL)
        crashed = until(
            lambda: [
                r for r in runs(config, "c") if r["pid"] == child and r["status"] != "running"
            ],
            "the crash recorded",
        )
        assert crashed[0]["status"] == "failed" and "code -9" in crashed[0]["message"]
        site_c.clear_faults()
        until(lambda: finished(config, "c"), "a complete crawl after the crash")
        assert daemon.process.poll() is None
        daemon.signal(signal.SIGINT)  # Ctrl-C stops it as cleanly as SIGTERM
        assert daemon.wait(60) == 0
