"""Schedules as APScheduler triggers, and when a source is first due after a (re)start.

Jobs are built from the config at every start (no persistent job store: those
pickle jobs and drop renamed functions); what survives a restart is each source's
last run, in SQLite. A source whose last run is older than its interval, or that
missed a cron time while the daemon was down, runs once at start: one catch-up,
however many runs were missed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from wirewatch.values import Digest, Schedule, cron_fields


def cron_trigger(line: str, *, jitter: int | None = None) -> CronTrigger:
    """A 5-field crontab line as a UTC CronTrigger, weekdays read as crontab reads them."""
    return CronTrigger(**cron_fields(line), timezone=UTC, jitter=jitter)


def jitter_for(schedule: Schedule, limit: float) -> int | None:
    """Random delay per run: at most ``limit``, and at most a tenth of an interval."""
    if schedule.seconds is not None:
        limit = min(limit, schedule.seconds / 10)
    return int(limit) if limit >= 1 else None


def source_trigger(schedule: Schedule, jitter_limit: float) -> BaseTrigger:
    """An interval or cron trigger (cron in UTC, as the config reference says) with jitter."""
    jitter = jitter_for(schedule, jitter_limit)
    if schedule.seconds is not None:
        return IntervalTrigger(seconds=schedule.seconds, jitter=jitter, timezone=UTC)
    return cron_trigger(schedule.cron, jitter=jitter)


def digest_trigger(digest: Digest) -> CronTrigger | None:
    """When a daily or weekly digest is due, in local time as quiet hours and digests are."""
    if digest.mode == "instant" or digest.at is None:
        return None
    day = digest.weekday if digest.mode == "weekly" else "*"
    return CronTrigger(day_of_week=day, hour=digest.at.hour, minute=digest.at.minute)


def first_run(schedule: Schedule, last_started: str | None, now: datetime) -> datetime:
    """When a source should first run after a start: now if it is due, else its next time."""
    if last_started is None:
        return now
    last = datetime.fromisoformat(last_started)
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    if schedule.seconds is not None:
        due = last + timedelta(seconds=schedule.seconds)
        return max(due, now)
    trigger = cron_trigger(schedule.cron)
    missed = trigger.get_next_fire_time(None, last + timedelta(seconds=1))
    if missed is not None and missed <= now:
        return now
    upcoming = trigger.get_next_fire_time(None, now)
    return upcoming or now
