"""``wirewatch run``: start, schedule, reload on SIGHUP, stop cleanly on SIGTERM/SIGINT.

APScheduler 3.x with explicit job defaults (its own drop runs late by more than a
second and let a hung run block the next ones): one job per enabled source, at
most one run of it at a time, missed runs coalesced into one within
``misfire_grace``; a delivery job; a job per digest time; a heartbeat. Crawls
run on their own small thread pool, each waiting on its child process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

import storage
from alerts.deliver import Redactor
from scheduler import logs
from scheduler.jobs import Jobs
from scheduler.lock import AlreadyRunning, DaemonLock
from scheduler.snapshot import remove_snapshot, snapshot_config
from scheduler.triggers import digest_trigger, first_run, source_trigger
from storage import daemonstate
from wirewatch.config import Config, ConfigError, load_config

__all__ = ["AlreadyRunning", "Daemon"]

logger = logging.getLogger("wirewatch.daemon")


class Daemon:
    """One daemon on one database; :meth:`run` returns the exit status."""

    def __init__(self, config: Config, *, verbose: int = 0) -> None:
        self.config = config
        self.config_file = config.path  # the running copy is elsewhere: see scheduler.snapshot
        self.verbose = verbose
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.reload_asked = False
        self.lock = DaemonLock(config.database)
        self.pid = os.getpid()
        self.scheduler: BackgroundScheduler | None = None
        self.jobs = Jobs(lambda: self.config, self.stop, self.next_run_of, self.pid)
        self.log_handler: logging.Handler | None = None

    def run(self) -> int:
        """Lock the database, schedule, and serve until SIGTERM or SIGINT.

        :raises AlreadyRunning: another daemon holds this database.
        """
        self.lock.acquire()
        try:
            self.config = snapshot_config(self.config_file, self.config)
            self.log_handler = logs.setup(
                self.config.daemon.log_format, Redactor(self.config), verbose=self.verbose
            )
            self._install_signals()
            self._start()
            self._serve()
        finally:
            self._shutdown()
            self.lock.release()
        return 0

    # -- start ---------------------------------------------------------------------------
    def _start(self) -> None:
        config = self.config
        db = storage.open_db(config.database)
        try:
            left = storage.mark_interrupted_runs(db)
            if left:
                logger.warning(
                    "%d run(s) left running by a stopped process marked interrupted", left
                )
            daemonstate.daemon_started(db, pid=self.pid, host=socket.gethostname())
        finally:
            db.close()
        knobs = config.daemon
        self.scheduler = BackgroundScheduler(
            executors={
                "default": ThreadPoolExecutor(2),
                "crawls": ThreadPoolExecutor(knobs.parallel_crawls),
            },
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": max(1, int(knobs.misfire_grace)),
            },
            timezone=UTC,
        )
        now = datetime.now(UTC)
        self.scheduler.add_job(
            self.jobs.heartbeat,
            IntervalTrigger(seconds=knobs.heartbeat, timezone=UTC),
            id="heartbeat",
            next_run_time=now,
        )
        self.scheduler.add_job(
            self.jobs.deliver,
            IntervalTrigger(seconds=knobs.delivery_interval, timezone=UTC),
            id="deliver",
            next_run_time=now,
        )
        self._schedule_sources(config, previous=None)
        self._schedule_digests(config)
        self.scheduler.start()
        logger.info(
            "daemon started: pid %d, %d source(s), database %s",
            self.pid,
            sum(s.enabled for s in config.sources),
            config.database,
        )

    def _schedule_sources(self, config: Config, previous: Config | None) -> None:
        """Add, change or remove source jobs so they match ``config``; log each change."""
        assert self.scheduler is not None
        before = {s.name: s for s in previous.sources if s.enabled} if previous else {}
        wanted = {s.name: s for s in config.sources if s.enabled}
        db = storage.open_db(config.database)
        try:
            for name in before.keys() - wanted.keys():
                self._remove(f"crawl:{name}")
                logger.info("schedule: %s removed", name)
            now = datetime.now(UTC)
            for name, source in wanted.items():
                old = before.get(name)
                if old is not None and old.schedule == source.schedule:
                    continue
                trigger = source_trigger(source.schedule, config.daemon.jitter)
                if old is not None:
                    self.scheduler.reschedule_job(f"crawl:{name}", trigger=trigger)
                    change = "changed to"
                else:
                    start = first_run(source.schedule, daemonstate.last_started(db, name), now)
                    self.scheduler.add_job(
                        self.jobs.crawl,
                        trigger,
                        args=[name],
                        id=f"crawl:{name}",
                        name=f"crawl {name}",
                        executor="crawls",
                        next_run_time=start,
                    )
                    change = "added," if previous else "scheduled"
                nxt = self.next_run_of(name)
                daemonstate.set_schedule(
                    db, name, source.schedule.text, next_run=nxt.isoformat() if nxt else None
                )
                logger.info(
                    "schedule: %s %s %s, next run %s",
                    name,
                    change,
                    source.schedule.text,
                    nxt.isoformat(timespec="seconds") if nxt else "none",
                )
            daemonstate.unschedule_others(db, list(wanted))
        finally:
            db.close()

    def _schedule_digests(self, config: Config) -> None:
        """A delivery pass at each digest time (the outbox holds digest rows until then)."""
        assert self.scheduler is not None
        for job in self.scheduler.get_jobs():
            if job.id.startswith("digest:"):
                job.remove()
        for text in sorted({s.digest.text for s in config.subscribers}):
            digest = next(s.digest for s in config.subscribers if s.digest.text == text)
            trigger = digest_trigger(digest)
            if trigger is not None:
                self.scheduler.add_job(self.jobs.deliver, trigger, id=f"digest:{text}")

    def _remove(self, job_id: str) -> None:
        assert self.scheduler is not None
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(job_id)

    def next_run_of(self, name: str) -> datetime | None:
        job = self.scheduler.get_job(f"crawl:{name}") if self.scheduler else None
        return getattr(job, "next_run_time", None) if job else None

    # -- signals -------------------------------------------------------------------------
    def _install_signals(self) -> None:
        def stop(signum: int, _frame: object) -> None:
            logger.info("%s: stopping", signal.Signals(signum).name)
            self.stop.set()
            self.wake.set()

        def reload(_signum: int, _frame: object) -> None:
            self.reload_asked = True
            self.wake.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, reload)

    def _serve(self) -> None:
        while not self.stop.is_set():
            self.wake.wait(timeout=1.0)
            self.wake.clear()
            if self.reload_asked and not self.stop.is_set():
                self.reload_asked = False
                self.reload()

    def reload(self) -> None:
        """SIGHUP: take a new config's sources, watchlist and subscribers, or keep the old one."""
        old = self.config
        try:
            new = load_config(self.config_file)
            if new.database != old.database:
                raise ConfigError(
                    self.config_file,
                    "storage.database",
                    f"changed to {new.database}; restart the daemon to move the database",
                )
            new = snapshot_config(self.config_file, new)
        except ConfigError as exc:
            logger.error("reload refused, keeping the running config: %s", exc)
            return
        self.config = new
        if self.log_handler is not None:
            logs.set_redactor(self.log_handler, Redactor(new))
        try:
            self._schedule_sources(new, previous=old)
            self._schedule_digests(new)
        except Exception:
            logger.exception("reload: rescheduling failed")
        logger.info(
            "reloaded %s: %d source(s), %d watch(es), %d subscriber(s)",
            self.config_file,
            sum(s.enabled for s in new.sources),
            len(new.watches),
            len(new.subscribers),
        )

    # -- stop ----------------------------------------------------------------------------
    def _shutdown(self) -> None:
        """No new jobs; running crawls get ``stop_grace`` then are stopped; record the stop."""
        self.stop.set()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            # A crawl stops within stop_grace (then its group is killed); allow for recording.
            if not self.jobs.wait_idle(self.config.daemon.stop_grace + 30):
                logger.error("jobs still running at exit")
        try:
            db = storage.open_db(self.config.database)
            try:
                daemonstate.daemon_stopped(db, self.pid)
                daemonstate.unschedule_others(db, [])
            finally:
                db.close()
            remove_snapshot(self.config)
        except Exception:
            logger.exception("could not record the stop")
        logger.info("daemon stopped")
