"""What the daemon keeps in the database: who runs and since when, the schedule, ops notices.

The daemon writes these; ``wirewatch status`` only reads them, so status never
has to talk to a running process. Times are ISO 8601 UTC text.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from storage.crawlstate import finish_run, start_run
from storage.db import write_transaction
from storage.times import utcnow_iso


def daemon_started(db: Database, *, pid: int, host: str) -> None:
    """Record that a daemon (pid on host) runs on this database from now."""
    now = utcnow_iso()
    with write_transaction(db):
        db.execute(
            "INSERT INTO daemon (id, pid, host, started, heartbeat, stopped)"
            " VALUES (1, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid,"
            " host = excluded.host, started = excluded.started,"
            " heartbeat = excluded.heartbeat, stopped = NULL",
            (pid, host, now, now),
        )


def daemon_heartbeat(db: Database, pid: int) -> None:
    """Tell readers the daemon ``pid`` is still alive."""
    with write_transaction(db):
        db.execute("UPDATE daemon SET heartbeat = ? WHERE pid = ?", (utcnow_iso(), pid))


def daemon_stopped(db: Database, pid: int) -> None:
    """Record a clean stop of daemon ``pid``."""
    with write_transaction(db):
        db.execute("UPDATE daemon SET stopped = ? WHERE pid = ?", (utcnow_iso(), pid))


def daemon_info(db: Database) -> dict[str, Any] | None:
    """The last daemon's pid, host, started, heartbeat and stopped (or None if none ever ran)."""
    cursor = db.execute("SELECT pid, host, started, heartbeat, stopped FROM daemon WHERE id = 1")
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip(("pid", "host", "started", "heartbeat", "stopped"), row, strict=True))


def set_schedule(
    db: Database,
    source: str,
    schedule: str,
    *,
    next_run: str | None,
    last_run: str | None = None,
) -> None:
    """Record a source's schedule and next run; ``last_run`` only when given."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO schedule (source, schedule, last_run, next_run) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (source) DO UPDATE SET schedule = excluded.schedule,"
            " next_run = excluded.next_run,"
            " last_run = coalesce(excluded.last_run, schedule.last_run)",
            (source, schedule, last_run, next_run),
        )


def unschedule_others(db: Database, keep: list[str]) -> None:
    """Clear the next run of every source not in ``keep`` (removed or disabled)."""
    marks = ",".join("?" * len(keep)) or "NULL"
    with write_transaction(db):
        db.execute(f"UPDATE schedule SET next_run = NULL WHERE source NOT IN ({marks})", keep)


def schedules(db: Database) -> dict[str, dict[str, Any]]:
    """Per source: ``schedule``, ``last_run``, ``next_run``."""
    rows = db.execute("SELECT source, schedule, last_run, next_run FROM schedule").fetchall()
    return {r[0]: {"schedule": r[1], "last_run": r[2], "next_run": r[3]} for r in rows}


def last_started(db: Database, source: str) -> str | None:
    """When the latest crawl of ``source`` started, by the daemon or by hand."""
    row = db.execute("SELECT MAX(started) FROM runs WHERE source = ?", (source,)).fetchone()
    return row[0] if row else None


def end_runs_of(
    db: Database, pid: int, *, status: str, message: str, also: tuple[str, ...] = ()
) -> int:
    """Close the runs a crawl process ``pid`` left ``running`` (or in a status in ``also``).

    The daemon knows better than a stopped child how its run ended: a crawl stopped at
    its time limit records itself ``interrupted``, and is made ``timeout`` here.
    """
    statuses = ("running", *also)
    marks = ",".join("?" * len(statuses))
    with write_transaction(db):
        cursor = db.execute(
            f"UPDATE runs SET status = ?, message = ?, finished = coalesce(finished, ?)"
            f" WHERE pid = ? AND status IN ({marks})",
            (status, message, utcnow_iso(), pid, *statuses),
        )
    return cursor.rowcount


def record_failed_run(db: Database, source: str, message: str, *, status: str = "failed") -> int:
    """A run row for a crawl process that died before it could write one."""
    run_id = start_run(db, source)
    finish_run(db, run_id, status=status, message=message)
    return run_id


def recent_statuses(db: Database, source: str, limit: int) -> list[str]:
    """The statuses of the latest finished runs of ``source``, newest first."""
    rows = db.execute(
        "SELECT status FROM runs WHERE source = ? AND status != 'running' ORDER BY id DESC LIMIT ?",
        (source, limit),
    ).fetchall()
    return [r[0] for r in rows]


def get_notice(db: Database, key: str) -> dict[str, Any] | None:
    """The open ops notice ``key`` (opened, last_sent, detail), or None."""
    row = db.execute(
        "SELECT opened, last_sent, detail FROM ops_notices WHERE key = ?", (key,)
    ).fetchone()
    return dict(zip(("opened", "last_sent", "detail"), row, strict=True)) if row else None


def open_notice(db: Database, key: str, detail: str) -> None:
    """Record that ops were told of ``key`` now (opening it, or as a reminder)."""
    now = utcnow_iso()
    with write_transaction(db):
        db.execute(
            "INSERT INTO ops_notices (key, opened, last_sent, detail) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET last_sent = excluded.last_sent,"
            " detail = excluded.detail",
            (key, now, now, detail),
        )


def close_notice(db: Database, key: str) -> None:
    """The problem ``key`` is over."""
    with write_transaction(db):
        db.execute("DELETE FROM ops_notices WHERE key = ?", (key,))
