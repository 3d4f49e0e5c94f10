"""Crawl state: runs, errors, validators, known articles and per-source state."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage import (
    Article,
    Paragraph,
    SourceBusy,
    finish_run,
    get_source_state,
    get_validators,
    ingest,
    known_article,
    known_external_ids,
    mark_interrupted_runs,
    open_db,
    record_error,
    save_validators,
    set_source_state,
    start_run,
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    db = open_db(tmp_path / "wirewatch.db")
    yield db
    db.close()


def run_row(db: Database, run_id: int) -> dict:
    return next(db.query("SELECT * FROM runs WHERE id = ?", [run_id]))


def test_run_lifecycle(db: Database) -> None:
    """A run starts as running and ends with its status, counters and finish time."""
    run_id = start_run(db, "alpha", full=True, pid=1234)
    row = run_row(db, run_id)
    assert (row["status"], row["full"], row["pid"], row["finished"]) == ("running", 1, 1234, None)
    datetime.fromisoformat(row["started"]).astimezone(UTC)  # ISO 8601 with an offset
    finish_run(db, run_id, status="ok", pages=10, requests=12, not_modified=3,
               new_articles=2, updated_articles=1, new_items=7, message="done")  # fmt: skip
    row = run_row(db, run_id)
    assert row["status"] == "ok" and row["finished"] is not None
    counters = ("pages", "requests", "not_modified", "new_articles", "updated_articles")
    assert [row[c] for c in counters] == [10, 12, 3, 2, 1]
    assert (row["new_items"], row["message"]) == (7, "done")


@pytest.mark.parametrize("status", ["running", "success", ""])
def test_finish_run_rejects_unknown_status(db: Database, status: str) -> None:
    """A run can only end as ok, failed, interrupted or timeout."""
    run_id = start_run(db, "alpha")
    with pytest.raises(ValueError, match="status"):
        finish_run(db, run_id, status=status)


def test_record_error_counts(db: Database) -> None:
    """Each recorded error is stored and counted on its run, and finishing keeps the count."""
    run_id = start_run(db, "alpha")
    record_error(db, run_id, "https://alpha.example/a/", "http", "HTTP 503")
    record_error(db, run_id, None, "parse", "no body found")
    finish_run(db, run_id, status="failed")
    assert run_row(db, run_id)["errors"] == 2
    kinds = db.execute("SELECT kind, url FROM run_errors ORDER BY id").fetchall()
    assert kinds == [("http", "https://alpha.example/a/"), ("parse", None)]


def test_mark_interrupted_runs(db: Database) -> None:
    """Runs left running by a dead process become interrupted; a live process's run stays."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = start_run(db, "alpha", pid=child.pid)
    no_pid = start_run(db, "beta")
    live = start_run(db, "gamma", pid=os.getpid())
    done = start_run(db, "delta", pid=child.pid)
    finish_run(db, done, status="ok")
    assert mark_interrupted_runs(db) == 2
    statuses = [run_row(db, r)["status"] for r in (dead, no_pid, live, done)]
    assert statuses == ["interrupted", "interrupted", "running", "ok"]
    assert run_row(db, dead)["finished"] is not None
    assert mark_interrupted_runs(db, keep_live=False) == 1


def test_an_exclusive_start_is_refused_while_a_live_process_crawls_the_source(
    db: Database,
) -> None:
    """One crawl per source at a time: the refusal names the other process and its run."""
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        theirs = start_run(db, "alpha", pid=holder.pid, exclusive=True)
        with pytest.raises(SourceBusy, match=rf"process {holder.pid} \(run {theirs}, since "):
            start_run(db, "alpha", pid=os.getpid(), exclusive=True)
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1  # nothing recorded
        other_source = start_run(db, "beta", pid=os.getpid(), exclusive=True)
        not_exclusive = start_run(db, "alpha", pid=os.getpid())  # the daemon's records of a child
        assert run_row(db, other_source)["status"] == run_row(db, not_exclusive)["status"]
    finally:
        holder.kill()
        holder.wait()
    # Its process gone, the open run no longer stands in the way.
    mine = start_run(db, "alpha", pid=os.getpid(), exclusive=True)
    assert run_row(db, mine)["source"] == "alpha"


def test_a_zombie_crawl_process_does_not_hold_its_source(db: Database) -> None:
    """A crawl killed with its parent is a zombie until reaped; its run is not live."""
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while Path(f"/proc/{zombie.pid}/stat").read_bytes().rpartition(b")")[2].split()[0] != b"Z":
        assert time.monotonic() < deadline
        time.sleep(0.01)  # exited, not yet reaped (we have not waited for it)
    try:
        start_run(db, "alpha", pid=zombie.pid)
        assert start_run(db, "alpha", pid=os.getpid(), exclusive=True)
        assert mark_interrupted_runs(db) == 1
    finally:
        zombie.wait()


def test_validators_round_trip(db: Database) -> None:
    """Validators saved for a URL come back for that exact URL and are replaced on save."""
    url = "https://alpha.example/feed/"
    assert get_validators(db, url) is None
    save_validators(db, url, '"abc"', "Sat, 05 Mar 2016 10:00:00 GMT")
    assert get_validators(db, url) == ('"abc"', "Sat, 05 Mar 2016 10:00:00 GMT")
    save_validators(db, url, None, "Sun, 06 Mar 2016 10:00:00 GMT")
    assert get_validators(db, url) == (None, "Sun, 06 Mar 2016 10:00:00 GMT")
    assert get_validators(db, url + "?paged=2") is None


def test_known_article_and_external_ids(db: Database) -> None:
    """Known URLs (canonical or alias, in any spelling) and external ids are reported."""
    ingest(db, Article(
        source="alpha", url="https://alpha.example/a/", title="A",
        paragraphs=[Paragraph("One.")], external_id="wp:1",
        modified=datetime(2016, 3, 8, 9, 0, tzinfo=UTC),
        fetched_url="https://alpha.example/?p=1",
    ))  # fmt: skip
    ingest(db, Article(source="alpha", url="https://alpha.example/b/", title="B",
                       paragraphs=[Paragraph("Two.")], external_id="wp:2"))  # fmt: skip
    assert known_article(db, "HTTPS://alpha.example/a/?utm_source=rss#top")
    assert known_article(db, "https://alpha.example/?p=1")
    assert not known_article(db, "https://alpha.example/c/")
    assert known_external_ids(db, "alpha") == {"wp:1": "2016-03-08T09:00:00+00:00", "wp:2": None}
    assert known_external_ids(db, "beta") == {}


def test_source_state_merges(db: Database) -> None:
    """Source state starts empty, is created on first set, and merges later keys in."""
    assert get_source_state(db, "alpha") == {}
    set_source_state(db, "alpha", api="https://alpha.example/wp-json/", kind="wordpress")
    set_source_state(db, "alpha", kind="feed", pages=3)
    assert get_source_state(db, "alpha") == {
        "api": "https://alpha.example/wp-json/",
        "kind": "feed",
        "pages": 3,
    }
    assert get_source_state(db, "beta") == {}


def test_source_state_refuses_non_json(db: Database) -> None:
    """A value JSON cannot hold is refused, and nothing is written."""
    with pytest.raises(TypeError):
        set_source_state(db, "alpha", when=datetime.now(UTC))
    assert db.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 0
