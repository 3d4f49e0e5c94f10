"""What a new item means for whom: match the watchlist, store mentions, enqueue alerts.

A :class:`Router` is the ``on_new_item`` callable that storage's ingest calls inside
its transaction, so an item, its mentions and its outbox rows are stored together
or not at all. Built once per process from the config. A near-duplicate (an item
with ``dup_of``: a republished copy, a split or joined paragraph) gets its
mentions but alerts no one: what it says was already seen, and alerted if wanted.
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
        mentions = self.mentions(item)
        if not mentions:
            return
        storage.store_mentions(db, item["id"], mentions)
        if self.send_alerts and not item.get("dup_of"):
            self.enqueued += self.route(db, item, mentions)

    def many(self, db: Database, items: list[dict[str, Any]]) -> None:
        """The same for all new items of one article, with one write per table."""
        mention_rows: list[tuple[int, str, str, int, int]] = []
        alerts: list[dict[str, Any]] = []
        for item in items:
            spans = self.spans(item)
            mention_rows += [(item["id"], *span) for span in spans]
            if spans and self.send_alerts and not item.get("dup_of"):
                alerts += self.alerts_watching(item, {span[0] for span in spans})
        if mention_rows:
            storage.store_mentions_many(db, mention_rows)
        if alerts:
            self.enqueued += storage.enqueue_many(db, alerts)

    def spans(self, item: dict[str, Any]) -> list[tuple[str, str, int, int]]:
        """The item's mentions as (watch_id, name, start, end): found ahead by the crawl
        process when it had room for that work (``storage.prepare`` with this config's
        ``Matcher.find_spans``, kept in ``"found"``), else found here."""
        found = item.get("found")
        return found if found is not None else self.matcher.find_spans(item["text"])

    def mentions(self, item: dict[str, Any]) -> list[Mention]:
        """The item's mentions (see :meth:`spans`) as :class:`Mention` objects."""
        found = item.get("found")
        if found is None:
            return self.matcher.find(item["text"])
        return [Mention(*span) for span in found]

    def route(self, db: Database, item: dict[str, Any], mentions: Iterable[Mention]) -> int:
        """Queue one alert per interested subscriber and channel; returns rows queued."""
        alerts = self.alerts_for(item, mentions)
        return storage.enqueue_many(db, alerts) if alerts else 0

    def alerts_for(self, item: dict[str, Any], mentions: Iterable[Mention]) -> list[dict]:
        """The outbox rows an item's mentions call for: per interested subscriber and URL."""
        return self.alerts_watching(item, {m.watch_id for m in mentions})

    def alerts_watching(self, item: dict[str, Any], watched: set[str]) -> list[dict]:
        """The outbox rows for an item that mentions the watches ``watched``."""
        now = self.clock()
        found = []
        for subscriber in self.subscribers:
            wanted = interested(subscriber, watched)
            if not wanted:
                continue
            due, grouped = due_for(now, subscriber.digest, subscriber.quiet_hours)
            found += [
                {
                    "subscriber": subscriber.name,
                    "item": item,
                    "channel": channel.key,
                    "channel_label": channel.shown,
                    "watch_ids": wanted,
                    "due": due,
                    "grouped": grouped,
                }
                for channel in subscriber.channels
            ]
        return found


def interested(subscriber: Subscriber, watched: set[str]) -> set[str]:
    """The watch ids among ``watched`` that this subscriber follows."""
    if "*" in subscriber.watch:
        return set(watched)
    return watched & set(subscriber.watch)
