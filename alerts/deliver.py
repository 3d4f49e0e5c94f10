"""Delivery: read the outbox, send through Apprise, record what happened.

One delivery pass at a time per database (a lock file beside it); only the holder
may turn rows a dead process left ``sending`` into ``unknown`` (see
:mod:`storage.outbox` for why they are not resent). Each message is sent and
judged on its own: a dead channel neither blocks nor fails the others, and a
slow one does not hold them up: channels send side by side, each in its own
thread, one message at a time (a row is claimed only just before its send). A
send that outlives ``send_timeout``, or whose request went out but whose answer
timed out, leaves its rows ``unknown``: the message may well have arrived. Rows due
together for one channel go out as one message when they are a digest, were held
by quiet hours, or overflowed ``max_per_hour``; otherwise one message per row.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

import storage
from alerts import render
from alerts.model import AlertItem, Copy, Mention
from alerts.timing import in_quiet_hours, iso, next_at
from wirewatch.config import Channel, Config, Subscriber

logger = logging.getLogger(__name__)

MAX_TRIES = 8
#: Channels sending at once in one pass.
MAX_PARALLEL = 8
#: A backstop for a send that never ends (Apprise's own timeouts, ``?cto=``/``?rto=``,
#: normally end it much sooner); its rows become ``unknown``.
SEND_TIMEOUT = 120.0
#: Apprise's debug line when the request went out but no answer came in time.
AMBIGUOUS = re.compile(r"Read timed out", re.IGNORECASE)
#: Marks an error after which the message may have arrived: not resent on its own.
MAYBE_SENT = "maybe delivered: "
BACKOFF = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=1)

#: send(url, title, body, fmt) -> (delivered, error message without secrets)
Sender = Callable[[str, str, str, str], tuple[bool, str | None]]


@dataclass
class DeliveryReport:
    """What one pass did, in rows (alerts) and messages."""

    sent: int = 0
    messages: int = 0
    retrying: int = 0
    failed: int = 0
    unknown: int = 0
    held: int = 0
    skipped: str | None = None
    errors: list[str] = field(default_factory=list)


class Redactor:
    """Removes the config's secrets (the values of the ${ENV} it used) from text."""

    def __init__(self, config: Config) -> None:
        values = {os.environ.get(name, "") for name in config.env_used}
        self.secrets = sorted((v for v in values if len(v) >= 3), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "****")
        return text


def send_apprise(url: str, title: str, body: str, fmt: str) -> tuple[bool, str | None]:
    """Send one message through a fresh Apprise object (its e-mail plugin throttles reuse)."""
    import apprise

    sender = apprise.Apprise()
    if not sender.add(url):
        return False, "not a notification URL Apprise understands"
    formats = {
        "html": apprise.NotifyFormat.HTML,
        "markdown": apprise.NotifyFormat.MARKDOWN,
        "text": apprise.NotifyFormat.TEXT,
    }
    with apprise.LogCapture(level=logging.DEBUG, fmt="%(levelname)s %(message)s") as captured:
        result = sender.notify(title=title, body=body, body_format=formats[fmt])
    if result:
        return True, None
    lines = [line.strip() for line in captured.getvalue().splitlines() if line.strip()]
    # Debug lines may quote payloads and URLs: only warnings and errors are shown.
    said = " ".join(
        line.split(" ", 1)[1] for line in lines if line.startswith(("WARNING ", "ERROR "))
    )
    said = said[-500:] or "the service did not accept the message"
    if any(AMBIGUOUS.search(line) for line in lines):
        return False, MAYBE_SENT + "the request went out but no answer came in time; " + said
    return False, said


@contextlib.contextmanager
def delivery_lock(database: Path) -> Iterator[bool]:
    """Hold the database's delivery lock if free; yields whether this process has it."""
    path = Path(f"{database}.deliver.lock")
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(handle)


def deliver(
    db: Database,
    config: Config,
    *,
    now: datetime | None = None,
    send: Sender = send_apprise,
    send_timeout: float = SEND_TIMEOUT,
) -> DeliveryReport:
    """One delivery pass over the due outbox rows."""
    report = DeliveryReport()
    with delivery_lock(config.database) as mine:
        if not mine:
            report.skipped = "another process is delivering"
            return report
        delivery = Delivery(db, config, now or datetime.now(UTC), send, report)
        delivery.send_timeout = send_timeout
        delivery.run()
    return report


@dataclass
class Message:
    """One message to send: who, through which channel, carrying which rows."""

    subscriber: Subscriber
    channel: Channel
    rows: list[dict]
    ids: list[int] = field(default_factory=list)
    title: str = ""
    body: str = ""
    fmt: str = "text"


class Delivery:
    """One pass: group due rows per subscriber channel, apply holds, send, record."""

    def __init__(
        self, db: Database, config: Config, now: datetime, send: Sender, report: DeliveryReport
    ) -> None:
        self.db, self.config, self.now, self.send, self.report = db, config, now, send, report
        self.redact = Redactor(config)
        self.labels = {w.id: (w.names or w.acronyms)[0] for w in config.watches}
        self.subscribers = {s.name: s for s in config.subscribers}
        self.send_timeout = SEND_TIMEOUT

    def run(self) -> None:
        if storage.reconcile(self.db):
            logger.warning("alerts interrupted while sending are marked unknown, not resent")
        groups: dict[tuple[str, str], list[dict]] = {}
        for row in storage.due_rows(self.db, iso(self.now)):
            groups.setdefault((row["subscriber"], row["channel"]), []).append(row)
        newly_failed: list[str] = []
        plans: list[list[Message]] = []
        for (name, key), rows in groups.items():
            failed, plan = self.channel(name, key, rows)
            newly_failed += failed
            if plan:
                plans.append(plan)
        newly_failed += self.send_side_by_side(plans)
        if newly_failed:
            self.tell_ops(newly_failed)

    def send_side_by_side(self, plans: list[list[Message]]) -> list[str]:
        """Send each channel's messages in order, the channels in parallel threads.

        Only this thread touches the database: it claims a message's rows just
        before handing the send to a thread, and records the outcome when the
        thread answers. A channel whose send outlives ``send_timeout`` is left
        behind for this pass (its thread is a daemon and cannot block the exit).
        """
        failed: list[str] = []
        answers: queue.Queue[tuple[int, Message, bool, str | None]] = queue.Queue()
        waiting = [list(plan) for plan in plans]
        running: dict[int, tuple[Message, float]] = {}

        def start(lane: int) -> None:
            if not waiting[lane]:
                return
            message = waiting[lane].pop(0)
            self.prepare(message)
            running[lane] = (message, time.monotonic() + self.send_timeout)
            threading.Thread(
                target=self._send_in_thread,
                args=(lane, message, answers),
                name=f"deliver-{lane}",
                daemon=True,
            ).start()

        pending_lanes = list(range(len(waiting)))
        while pending_lanes and len(running) < MAX_PARALLEL:
            start(pending_lanes.pop(0))
        while running:
            soonest = min(deadline for _, deadline in running.values())
            try:
                lane, sent, delivered, error = answers.get(
                    timeout=max(0.0, soonest - time.monotonic())
                )
            except queue.Empty:
                for lane, (message, deadline) in list(running.items()):
                    if deadline <= time.monotonic():
                        del running[lane]
                        failed += self.timed_out(message)
                        if pending_lanes:
                            start(pending_lanes.pop(0))
                continue
            if lane not in running or running[lane][0] is not sent:
                continue  # a send left behind answered late: its rows are already unknown
            message, _ = running.pop(lane)
            failed += self.record(message, delivered, error)
            start(lane)
            if lane not in running and pending_lanes:
                start(pending_lanes.pop(0))
        return failed

    def _send_in_thread(self, lane: int, message: Message, answers: queue.Queue) -> None:
        try:
            delivered, error = self.send(
                message.channel.url, message.title, message.body, message.fmt
            )
        except Exception as exc:  # a plugin bug must not leave rows claimed for ever
            delivered, error = False, f"{type(exc).__name__}: {exc}"
        answers.put((lane, message, delivered, error))

    def channel(self, name: str, key: str, rows: list[dict]) -> tuple[list[str], list[Message]]:
        """Plan one channel's due rows as messages (after holds and rate limits).

        Returns descriptions of rows that just failed for good, and the messages.
        """
        subscriber = self.subscribers.get(name)
        channel = (
            next((c for c in subscriber.channels if c.key == key), None) if subscriber else None
        )
        if subscriber is None or channel is None:
            ids = [r["id"] for r in rows]
            gone = "the subscriber or its notify URL is no longer in the config"
            self.report.failed += len(
                storage.mark_failed(
                    self.db, ids, gone, max_tries=0, backoff=BACKOFF, cap=BACKOFF_CAP
                )
            )
            return [f"{name}: {len(ids)} alert(s): {gone}"], []
        instant = subscriber.digest.mode == "instant"
        singles = [r for r in rows if instant and not r["grouped"]]
        folded = [r for r in rows if not (instant and not r["grouped"])]
        if singles and in_quiet_hours(self.now, subscriber.quiet_hours):
            end = iso(next_at(self.now, subscriber.quiet_hours[1]))
            self.hold([r["id"] for r in singles], end)
            singles = []
        singles, overflow = self.rate_limit(subscriber, key, singles, folded)
        plan = [Message(subscriber, channel, [row]) for row in singles]
        if folded and not overflow:
            plan.append(Message(subscriber, channel, folded))
        return [], plan

    def rate_limit(
        self, subscriber: Subscriber, key: str, singles: list[dict], folded: list[dict]
    ) -> tuple[list[dict], bool]:
        """Keep within max_per_hour: what fits goes now, the rest waits as one message."""
        limit = subscriber.max_per_hour
        if not limit:
            return singles, False
        hour_ago = iso(self.now - timedelta(hours=1))
        recent = storage.sent_since(self.db, subscriber.name, key, hour_ago)
        room = max(0, limit - len(recent))
        needed = len(singles) + (1 if folded else 0)
        if needed <= room:
            return singles, False
        keep = singles[:room]
        rest = singles[room:] + folded
        window_end = datetime.fromisoformat(recent[0]) + timedelta(hours=1) if recent else self.now
        self.hold([r["id"] for r in rest], iso(max(window_end, self.now + timedelta(minutes=1))))
        return keep, True

    def hold(self, ids: list[int], until: str) -> None:
        storage.defer(self.db, ids, until, grouped=True)
        self.report.held += len(ids)

    def prepare(self, message: Message) -> None:
        """Render the message and claim its rows (``sending``, committed) just before its send."""
        subscriber, rows = message.subscriber, message.rows
        items = [i for i in (self.alert_item(r) for r in rows) if i is not None]
        message.ids = [r["id"] for r in rows]
        message.fmt = render.format_for_url(message.channel.url)
        if (
            len(items) == 1
            and len(rows) == 1
            and subscriber.digest.mode == "instant"
            and not rows[0]["grouped"]
        ):
            message.title, message.body = render.render_alert(items[0], message.fmt)
        else:
            message.title, message.body = render.render_digest(
                items, message.fmt, heading=self.heading(subscriber)
            )
        storage.claim(self.db, message.ids, uuid.uuid4().hex)

    def record(self, message: Message, delivered: bool, error: str | None) -> list[str]:
        """Record a send's outcome; returns a description if its rows just failed for good."""
        subscriber, channel, ids = message.subscriber, message.channel, message.ids
        if delivered:
            storage.mark_sent(self.db, ids)
            self.report.sent += len(ids)
            self.report.messages += 1
            logger.info("sent %d alert(s) to %s via %s", len(ids), subscriber.name, channel.shown)
            return []
        error = self.redact(error or "not delivered")
        self.report.errors.append(f"{subscriber.name} via {channel.shown}: {error}")
        logger.warning("alert to %s via %s failed: %s", subscriber.name, channel.shown, error)
        if error.startswith(MAYBE_SENT):
            storage.mark_unknown(self.db, ids, error)
            self.report.unknown += len(ids)
            return [f"{subscriber.name} via {channel.shown}: {error}"]
        failed = storage.mark_failed(
            self.db,
            ids,
            error,
            max_tries=MAX_TRIES,
            backoff=BACKOFF,
            cap=BACKOFF_CAP,
            now=self.now,
        )
        self.report.failed += len(failed)
        self.report.retrying += len(ids) - len(failed)
        return [f"{subscriber.name} via {channel.shown}: {error}"] if failed else []

    def timed_out(self, message: Message) -> list[str]:
        """A send still running after ``send_timeout``: its rows' fate is unknown."""
        error = f"{MAYBE_SENT}the send took longer than {self.send_timeout:g}s and was left behind"
        return self.record(message, False, error)

    def heading(self, subscriber: Subscriber) -> str:
        mode = subscriber.digest.mode
        return {"daily": "wirewatch daily digest", "weekly": "wirewatch weekly digest"}.get(
            mode, "wirewatch alerts"
        )

    def alert_item(self, row: dict) -> AlertItem | None:
        details = storage.alert_details(self.db, row["item_id"])
        if details is None:
            return None
        return alert_item(details, self.labels)

    def tell_ops(self, failures: list[str]) -> None:
        """Tell the [ops] channels (never subscribers) that alerts could not be delivered."""
        if not self.config.ops.channels:
            return
        title = f"wirewatch: {len(failures)} alert delivery failure(s)"
        body = "\n".join(f"- {f}" for f in failures)
        for channel in self.config.ops.channels:
            delivered, error = self.send(channel.url, title, body, "text")
            if not delivered:
                logger.error(
                    "ops notification via %s failed: %s", channel.shown, self.redact(error or "")
                )


def alert_item(details: dict, labels: dict[str, str]) -> AlertItem:
    """An AlertItem from :func:`storage.alert_details`, with display names for watch ids."""
    mentions = [
        Mention(m["watch_id"], m["name"], m["start"], m["end"]) for m in details["mentions"]
    ]
    return AlertItem(
        item_id=details["item_id"],
        cluster=details["cluster"],
        text=details["text"],
        source=details["source"],
        url=details["url"],
        title=details["title"],
        published=details["published"],
        event_date=details["event_date"],
        section=details["section"],
        mentions=mentions,
        watch_labels={m.watch_id: labels.get(m.watch_id, m.name) for m in mentions},
        copies=[
            Copy(c["source"], c["url"], c["title"], c["first_seen"]) for c in details["copies"]
        ],
    )
