"""The daemon's parts on their own: catch-up times, the database lock, log masking, ops notices."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest

import storage
from alerts.deliver import Redactor
from scheduler import logs
from scheduler.jobs import Jobs
from scheduler.lock import AlreadyRunning, DaemonLock
from scheduler.opsnotice import OpsNotices
from scheduler.triggers import first_run, jitter_for, source_trigger
from storage import daemonstate
from tests.crawling import write_config
from tests.receivers import WebhookReceiver
from wirewatch.config import load_config
from wirewatch.values import schedule

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def ago(**delta: float) -> str:
    return (NOW - timedelta(**delta)).isoformat()


def test_a_source_due_after_a_long_stop_runs_once_now_else_at_its_time():
    """Catch-up: an interval source is due now once its interval has passed, not before."""
    every_hour = schedule("every 1h")
    assert first_run(every_hour, None, NOW) == NOW
    assert first_run(every_hour, ago(days=3), NOW) == NOW  # one run, however many were missed
    assert first_run(every_hour, ago(minutes=20), NOW) == NOW + timedelta(minutes=40)


def test_a_cron_source_that_missed_its_time_runs_now():
    daily = schedule("0 7 * * *")
    assert first_run(daily, ago(days=2), NOW) == NOW  # 07:00 today passed unserved
    assert first_run(daily, ago(hours=4), NOW) == datetime(2026, 11, 22, 7, 0, tzinfo=UTC)


def test_jitter_is_bounded_by_a_tenth_of_the_interval():
    assert jitter_for(schedule("every 2s"), 60) is None
    assert jitter_for(schedule("every 30m"), 60) == 60
    assert jitter_for(schedule("every 5m"), 60) == 30
    trigger = source_trigger(schedule("every 2h"), 60)
    assert trigger.jitter == 60 and trigger.interval == timedelta(hours=2)


def test_a_second_lock_on_the_same_database_names_the_holder(tmp_path):
    first = DaemonLock(tmp_path / "ww.db")
    first.acquire()
    try:
        with pytest.raises(AlreadyRunning) as refused:
            DaemonLock(tmp_path / "ww.db").acquire()
        assert f"pid {os.getpid()}" in str(refused.value)
    finally:
        first.release()
    again = DaemonLock(tmp_path / "ww.db")
    again.acquire()  # released: free again
    again.release()


def test_log_lines_mask_secrets_and_can_be_json(monkeypatch, tmp_path):
    """The ${ENV} values a config used and URL passwords never reach the log line."""
    monkeypatch.setenv("HOOK_TOKEN", "s3cr3t-token")
    config = write_config(
        tmp_path,
        {},
        extra='\n[[subscriber]]\nname = "d"\nnotify = ["json://127.0.0.1:9/${HOOK_TOKEN}"]\n',
    )
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs._Mask(Redactor(load_config(config))))
    logger = logging.getLogger("test.daemon.masking")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("posting to %s", "json://127.0.0.1:9/s3cr3t-token")
        logger.warning("mail via mailtos://user:hunter22@mail.example.org")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["level"] for line in lines] == ["warning", "warning"]
    text = out.getvalue()
    assert "s3cr3t-token" not in text and "hunter22" not in text
    assert "****" in lines[0]["message"] and "user:****@" in lines[1]["message"]


def test_ops_hear_of_a_failing_source_once_daily_and_on_recovery(tmp_path):
    """After N failed runs one message; nothing more the same day; a reminder a day on; recovery."""
    with WebhookReceiver() as hook:
        config = load_config(
            write_config(
                tmp_path,
                {"s": {"url": "http://127.0.0.1:9/"}},
                extra=f'\n[ops]\nnotify = ["{hook.url("/ops")}"]\nfailures_before_alert = 2\n',
            )
        )
        db = storage.open_db(config.database)
        notices = OpsNotices(config)

        def run(status: str, at: datetime) -> None:
            daemonstate.record_failed_run(db, "s", "down", status=status)
            notices.after_run(db, "s", status, "down", at)

        run("failed", NOW)
        assert hook.received == []  # one failure is not yet news
        run("failed", NOW)
        run("failed", NOW + timedelta(hours=2))
        assert [r.json["title"] for r in hook.received] == ["wirewatch: s failed 2 run(s) in a row"]
        assert daemonstate.get_notice(db, "source:s") is not None
        # The notice is in the database: a fresh OpsNotices (a restarted daemon) does not repeat it.
        notices = OpsNotices(config)
        run("failed", NOW + timedelta(hours=3))
        assert len(hook.received) == 1
        run("failed", datetime.now(UTC) + timedelta(days=1, minutes=1))
        assert len(hook.received) == 2 and "still failing" in hook.received[1].json["title"]
        run("ok", datetime.now(UTC) + timedelta(days=1, minutes=2))
        run("ok", datetime.now(UTC) + timedelta(days=1, minutes=3))
        titles = [r.json["title"] for r in hook.received]
        assert len(titles) == 3 and titles[2] == "wirewatch: s works again"
        assert daemonstate.get_notice(db, "source:s") is None
        db.close()


def test_digest_jobs_fire_at_the_digest_time_in_local_time():
    from scheduler.triggers import digest_trigger
    from wirewatch.values import digest

    assert digest_trigger(digest("instant")) is None
    weekly = digest_trigger(digest("weekly mon 07:00"))
    fire = weekly.get_next_fire_time(None, datetime.now().astimezone())
    assert (fire.weekday(), fire.hour, fire.minute) == (0, 7, 0)
    daily = digest_trigger(digest("daily 18:30"))
    fire = daily.get_next_fire_time(None, datetime.now().astimezone())
    assert (fire.hour, fire.minute) == (18, 30)


def test_cron_weekdays_are_read_as_crontab_reads_them():
    """Crontab's 0 is Sunday (APScheduler 3.x's own 0 is Monday); names pass through."""
    friday_noon = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday
    for line, expected in [
        ("0 7 * * 0", 6),  # Sunday
        ("0 7 * * 7", 6),
        ("0 7 * * 1", 0),  # Monday
        ("0 7 * * 1-5", 0),  # next weekday 07:00 after Friday noon: Monday
        ("0 7 * * sat", 5),
    ]:
        fire = source_trigger(schedule(line), 0).get_next_fire_time(None, friday_noon)
        assert (fire.weekday(), fire.hour) == (expected, 7), line


def test_a_scheduled_crawl_of_a_source_crawled_by_hand_right_now_is_skipped(tmp_path, caplog):
    """The daemon does not start a second crawl of a source another live process is
    crawling: it logs who has it, records no run, and keeps the schedule's next run."""
    config = load_config(write_config(tmp_path, {"s": {"url": "http://127.0.0.1:9/"}}))
    db = storage.open_db(config.database)
    by_hand = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        run_id = storage.start_run(db, "s", pid=by_hand.pid, exclusive=True)
        jobs = Jobs(lambda: config, threading.Event(), lambda name: NOW, os.getpid())
        with caplog.at_level(logging.INFO, logger="wirewatch.daemon"):
            jobs.crawl("s")
        skipped = f"crawl s: skipped: process {by_hand.pid} is crawling it (run {run_id}, since "
        assert any(skipped in r.getMessage() for r in caplog.records), caplog.text
        assert db.execute("SELECT id, status FROM runs").fetchall() == [(run_id, "running")]
        assert db.execute("SELECT next_run, last_run FROM schedule").fetchall() == [
            (NOW.isoformat(), None)
        ]
    finally:
        by_hand.kill()
        by_hand.wait()
        db.close()
