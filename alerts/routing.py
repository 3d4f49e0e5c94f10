"""What a new item means for whom: match the watchlist, store mentions, enqueue alerts.

A :class:`Router` is the ``on_new_item`` callable that storage's ingest calls inside
its transaction, so an item, its mentions and its outbox rows are stored together
or not at all. Built once per process from the config.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

import storage
from alerts.matcher import Matcher
from alerts.model import Mention
from alerts.timing import due_for
from wirewatch.config import Config, Subscriber


class Router:
    """Match each new item; alert every subscriber whose watches it names, once per cluster."""

    def __init__(
        self,
        config: Config,
        *,
        send_alerts: bool = True,
        matcher: Matcher | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.matcher = matcher or Matcher.from_watches(config.watches)
        self.subscribers = config.subscribers
        self.send_alerts = send_alerts
        self.clock = clock
        self.enqueued = 0

    def __call__(self, db: Database, item: dict[str, Any]) -> None:
        mentions = self.matcher.find(item["text"])
        if not mentions:
            return
        storage.store_mentions(db, item["id"], mentions)
        if self.send_alerts:
            self.enqueued += self.route(db, item, mentions)

    def route(self, db: Database, item: dict[str, Any], mentions: Iterable[Mention]) -> int:
        """Queue one alert per interested subscriber and channel; returns rows queued."""
        watched = {m.watch_id for m in mentions}
        now = self.clock()
        queued = 0
        for subscriber in self.subscribers:
            wanted = interested(subscriber, watched)
            if not wanted:
                continue
            due, grouped = due_for(now, subscriber.digest, subscriber.quiet_hours)
            for channel in subscriber.channels:
                queued += storage.enqueue(
                    db,
                    subscriber=subscriber.name,
                    item=item,
                    channel=channel.key,
                    channel_label=channel.shown,
                    watch_ids=sorted(wanted),
                    due=due,
                    grouped=grouped,
                )
        return queued


def interested(subscriber: Subscriber, watched: set[str]) -> set[str]:
    """The watch ids among ``watched`` that this subscriber follows."""
    if "*" in subscriber.watch:
        return set(watched)
    return watched & set(subscriber.watch)
