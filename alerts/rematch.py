"""Run the current watchlist over stored items: "what would this have caught?"

Mentions are recomputed for every item looked at. Without ``send`` nothing is
queued: the report says, per subscriber, which items would alert that have not
alerted yet. With ``send`` those are queued as if new (once per cluster, as ever:
an item already alerted to a channel is not queued again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlite_utils import Database

import storage
from alerts.matcher import Matcher
from alerts.routing import Router, interested
from wirewatch.config import Config

_ITEMS = """
SELECT i.id, i.text, i.cluster, i.dup_of, i.event_date, a.source, a.url, a.title, a.published
FROM items i JOIN articles a ON a.id = i.first_article_id
WHERE coalesce(i.event_date, substr(a.published, 1, 10), substr(i.first_seen, 1, 10)) >= ?
ORDER BY i.id
"""


@dataclass
class Rematch:
    """What a rematch found: items looked at, items matched, and per subscriber the news."""

    items: int = 0
    matched: int = 0
    queued: int = 0
    would_alert: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def rematch(db: Database, config: Config, *, since: date | None, send: bool) -> Rematch:
    """Recompute mentions of items since ``since``; report (or queue) what would alert."""
    matcher = Matcher.from_watches(config.watches)
    router = Router(config, send_alerts=send, matcher=matcher)
    found = Rematch(would_alert={s.name: [] for s in config.subscribers})
    rows = list(db.query(_ITEMS, [since.isoformat() if since else "0000"]))
    with storage.write_transaction(db):
        for row in rows:
            found.items += 1
            mentions = matcher.find(row["text"])
            storage.replace_mentions(db, row["id"], mentions)
            if not mentions or row["dup_of"]:
                continue
            found.matched += 1
            watched = {m.watch_id for m in mentions}
            for subscriber in config.subscribers:
                wanted = interested(subscriber, watched)
                if wanted and not _alerted(db, subscriber.name, row["cluster"]):
                    found.would_alert[subscriber.name].append({**row, "watch": sorted(wanted)})
            if send:
                found.queued += router.route(db, row, mentions)
    return found


def _alerted(db: Database, subscriber: str, cluster: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM outbox WHERE subscriber = ? AND cluster = ? LIMIT 1", [subscriber, cluster]
    ).fetchone()
    return row is not None
