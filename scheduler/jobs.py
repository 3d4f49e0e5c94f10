"""What each scheduled job does: crawl one source, deliver alerts, beat the heart.

Every job opens its own database connection (jobs run on pool threads) and
catches its own errors: a crashing, hanging or raising crawl is recorded and
logged, and the daemon goes on.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from sqlite_utils import Database

import storage
from alerts.deliver import deliver
from scheduler.childcrawl import ChildOutcome, crawl_command, run_child
from scheduler.opsnotice import OpsNotices
from storage import daemonstate
from wirewatch.config import Config

logger = logging.getLogger("wirewatch.daemon")
crawl_log = logging.getLogger("wirewatch.crawl")


class Jobs:
    """The job functions; they read the current config at each run, so a reload takes effect."""

    def __init__(
        self,
        get_config: Callable[[], Config],
        stop: threading.Event,
        next_run_of: Callable[[str], datetime | None],
        pid: int,
    ) -> None:
        self.get_config, self.stop, self.next_run_of, self.pid = (
            get_config,
            stop,
            next_run_of,
            pid,
        )
        self._active = 0
        self._idle = threading.Condition()

    @contextlib.contextmanager
    def _running(self) -> Iterator[None]:
        """Count running jobs, so a stop can wait for them without APScheduler's locks.

        (``BackgroundScheduler.shutdown(wait=True)`` holds the job store lock while it
        waits, and a job that asks for its next run time would deadlock it.)
        """
        with self._idle:
            self._active += 1
        try:
            yield
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job runs; False if some still did after ``timeout`` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout)

    def db(self) -> Database:
        return storage.open_db(self.get_config().database)

    def crawl(self, name: str) -> None:
        """One scheduled crawl of source ``name`` in a child process, then a delivery pass."""
        with self._running():
            if not self.stop.is_set():
                self._crawl(name)

    def _crawl(self, name: str) -> None:
        config = self.get_config()
        try:
            source = config.source(name)
        except KeyError:
            return  # removed by a reload while this run waited for a free crawl slot
        db = self.db()
        try:
            if other := storage.live_run(db, name):
                # Crawled by hand right now: that run stores what this one would.
                logger.info(
                    "crawl %s: skipped: process %s is crawling it (run %s, since %s)",
                    name,
                    other["pid"],
                    other["id"],
                    other["started"],
                )
                daemonstate.set_schedule(
                    db, name, source.schedule.text, next_run=_iso(self.next_run_of(name))
                )
                return
            daemonstate.set_schedule(
                db,
                name,
                source.schedule.text,
                next_run=_iso(self.next_run_of(name)),
                last_run=storage.utcnow_iso(),
            )
            logger.info("crawl %s: start", name)
            outcome = run_child(
                crawl_command(config.path, [name]),
                time_limit=source.time_limit or config.crawl.time_limit,
                stop=self.stop,
                stop_grace=config.daemon.stop_grace,
                on_line=lambda line: crawl_log.warning("%s: %s", name, line),
            )
            run = self.record(db, source.time_limit or config.crawl.time_limit, name, outcome)
            OpsNotices(config).after_run(
                db, name, run["status"], run.get("message"), datetime.now(UTC)
            )
            daemonstate.set_schedule(
                db, name, source.schedule.text, next_run=_iso(self.next_run_of(name))
            )
            if not self.stop.is_set():
                self.deliver_with(db, config)
        except Exception:
            logger.exception("crawl %s: the daemon could not run or record it", name)
        finally:
            db.close()

    def record(
        self, db: Database, time_limit: float, name: str, outcome: ChildOutcome
    ) -> dict[str, object]:
        """Close what the child left open, log the run's end with its counts; returns the run."""
        if outcome.how == "timeout":
            note = f"stopped at the time limit ({time_limit:.0f}s)"
            if not daemonstate.end_runs_of(
                db, outcome.pid, status="timeout", message=note, also=("interrupted",)
            ):
                daemonstate.record_failed_run(db, name, note, status="timeout")
        elif outcome.how == "stopped":
            daemonstate.end_runs_of(
                db, outcome.pid, status="interrupted", message="stopped: the daemon is stopping"
            )
        else:  # a clean exit leaves no run open; a crash may leave one, or none at all
            note = f"the crawl process ended with code {outcome.code}"
            closed = daemonstate.end_runs_of(db, outcome.pid, status="failed", message=note)
            if not closed and outcome.code != 0 and not _has_run(db, outcome.pid):
                daemonstate.record_failed_run(db, name, note)
        run = _last_run(db, name, outcome.pid)
        level = logging.INFO if run["status"] == "ok" else logging.WARNING
        logger.log(
            level,
            "crawl %s: %s in %.1fs: %s pages, %s new articles, %s new items, %s errors%s",
            name,
            run["status"],
            outcome.seconds,
            run.get("pages", 0),
            run.get("new_articles", 0),
            run.get("new_items", 0),
            run.get("errors", 0),
            f" ({run['message']})" if run.get("message") else "",
        )
        return run

    def deliver(self) -> None:
        """A delivery pass: pending alerts, retries whose time has come, digests now due."""
        with self._running():
            if not self.stop.is_set():
                self._deliver()

    def _deliver(self) -> None:
        config = self.get_config()
        db = self.db()
        try:
            self.deliver_with(db, config)
        except Exception:
            logger.exception("delivery pass failed")
        finally:
            db.close()

    def deliver_with(self, db: Database, config: Config) -> None:
        report = deliver(db, config)
        if report.skipped is None and (
            report.sent or report.retrying or report.failed or report.unknown
        ):
            log = logger.warning if report.failed or report.unknown else logger.info
            log(
                "alerts: %d sent in %d message(s), %d to retry, %d failed, %d unknown",
                report.sent,
                report.messages,
                report.retrying,
                report.failed,
                report.unknown,
            )
        OpsNotices(config).after_delivery(db, datetime.now(UTC))

    def heartbeat(self) -> None:
        """Tell the database (and so ``wirewatch status``) the daemon lives, and what is next."""
        with self._running():
            if not self.stop.is_set():
                self._heartbeat()

    def _heartbeat(self) -> None:
        config = self.get_config()
        db = self.db()
        try:
            daemonstate.daemon_heartbeat(db, self.pid)
            for source in config.sources:
                if source.enabled:
                    daemonstate.set_schedule(
                        db,
                        source.name,
                        source.schedule.text,
                        next_run=_iso(self.next_run_of(source.name)),
                    )
        except Exception:
            logger.exception("heartbeat failed")
        finally:
            db.close()


def _iso(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat(timespec="seconds") if when else None


def _has_run(db: Database, pid: int) -> bool:
    return db.execute("SELECT 1 FROM runs WHERE pid = ? LIMIT 1", (pid,)).fetchone() is not None


def _last_run(db: Database, name: str, pid: int) -> dict[str, object]:
    cursor = db.execute(
        "SELECT * FROM runs WHERE source = ? AND (pid = ? OR pid IS NULL) ORDER BY id DESC LIMIT 1",
        (name, pid),
    )
    row = cursor.fetchone()
    if row is None:
        return {"status": "failed", "message": "no run was recorded"}
    return dict(zip([d[0] for d in cursor.description], row, strict=True))
