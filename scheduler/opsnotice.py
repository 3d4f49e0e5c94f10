"""What the ``[ops]`` channels hear of: failing sources, crawls at their time limit, stuck alerts.

Subscribers never see these. A source is reported once after
``failures_before_alert`` consecutive failed runs, reminded daily while it stays
broken, and reported once more when it recovers; which notices are open lives in
the database, so a restart neither repeats nor forgets one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

import storage
from alerts.deliver import Redactor, send_apprise
from storage import daemonstate
from wirewatch.config import Config

logger = logging.getLogger(__name__)

REMIND_EVERY = timedelta(days=1)
FAILING = frozenset({"failed", "timeout"})
WORKING = frozenset({"ok", "partial"})

Send = Callable[[str, str, str, str], tuple[bool, str | None]]


class OpsNotices:
    """Decides what ops must hear after each crawl and delivery pass, and sends it."""

    def __init__(self, config: Config, send: Send = send_apprise) -> None:
        self.config, self.send = config, send
        self.redact = Redactor(config)

    def after_run(
        self, db: Database, source: str, status: str, message: str | None, now: datetime
    ) -> None:
        """Tell ops of a timeout, of a source failing too often (daily), of its recovery."""
        key = f"source:{source}"
        if status == "timeout":
            self.tell(f"wirewatch: crawl of {source} stopped at its time limit", message or "")
        if status in WORKING:
            notice = daemonstate.get_notice(db, key)
            if notice is not None:
                self.tell(f"wirewatch: {source} works again", f"since {notice['opened']}")
                daemonstate.close_notice(db, key)
            return
        if status not in FAILING:
            return
        needed = self.config.ops.failures_before_alert
        recent = daemonstate.recent_statuses(db, source, needed)
        if len(recent) < needed or not all(s in FAILING for s in recent):
            return
        notice = daemonstate.get_notice(db, key)
        detail = message or status
        if notice is None:
            title = f"wirewatch: {source} failed {needed} run(s) in a row"
        elif _older(notice["last_sent"], now, REMIND_EVERY):
            title = f"wirewatch: {source} still failing (since {notice['opened']})"
        else:
            return
        self.tell(title, f"last run: {status}: {detail}")
        daemonstate.open_notice(db, key, detail)

    def after_delivery(self, db: Database, now: datetime) -> None:
        """Remind ops daily of alerts stuck as failed (delivery told them when each failed)."""
        key = "alerts:failed"
        failed = storage.outbox_counts(db).get("failed", 0)
        notice = daemonstate.get_notice(db, key)
        if not failed:
            if notice is not None:
                daemonstate.close_notice(db, key)
            return
        if notice is None:
            daemonstate.open_notice(db, key, f"{failed} failed")
        elif _older(notice["last_sent"], now, REMIND_EVERY):
            self.tell(
                f"wirewatch: {failed} alert(s) stuck as failed",
                "see `wirewatch alerts --failed`; `wirewatch alerts retry` sends them again",
            )
            daemonstate.open_notice(db, key, f"{failed} failed")

    def tell(self, title: str, body: str) -> None:
        title, body = self.redact(title), self.redact(body)
        logger.warning("ops: %s %s", title, body)
        for channel in self.config.ops.channels:
            try:
                delivered, error = self.send(channel.url, title, body or title, "text")
            except Exception as exc:  # a plugin bug must not stop the daemon
                delivered, error = False, f"{type(exc).__name__}: {exc}"
            if not delivered:
                logger.error(
                    "ops message via %s failed: %s", channel.shown, self.redact(error or "")
                )


def _older(when: str, now: datetime, age: timedelta) -> bool:
    then = datetime.fromisoformat(when)
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return now - then >= age
