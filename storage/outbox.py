"""Mentions and the alert outbox: what must be said to whom, and what became of it.

A row's life::

    pending ──claim──▶ sending ──▶ sent
       ▲                  │
       └──── failure ─────┤ (tries < max: back to pending with a next_try)
                          ├──▶ failed   (tries exhausted; `alerts retry` re-queues)
    process died while ───┘
    sending ─────────────────▶ unknown  (never resent on its own, see below)

Exactly once: a row is marked ``sending`` and committed before the send and
``sent`` right after it. A process that dies between the two leaves ``sending``
rows; :func:`reconcile` turns them into ``unknown`` rather than sending them again,
because the message most likely arrived (the send had begun). They are listed with
the failed ones, and ``wirewatch alerts retry`` re-queues them on a person's word.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.times import utcnow_iso

STATES = ("pending", "sending", "sent", "failed", "unknown")


def store_mentions(db: Database, item_id: int, mentions: Iterable[Any]) -> int:
    """Record an item's mentions (objects with watch_id, name, start, end); returns how many."""
    rows = [(item_id, m.watch_id, m.name, m.start, m.end) for m in mentions]
    store_mentions_many(db, rows)
    return len(rows)


def store_mentions_many(db: Database, rows: Iterable[tuple[int, str, str, int, int]]) -> None:
    """Record many mentions at once: (item_id, watch_id, name, start, end) tuples."""
    db.conn.executemany(
        'INSERT OR IGNORE INTO mentions (item_id, watch_id, name, start, "end")'
        " VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def replace_mentions(db: Database, item_id: int, mentions: Iterable[Any]) -> int:
    """Replace an item's mentions (a watchlist changed); returns how many it has now."""
    db.conn.execute("DELETE FROM mentions WHERE item_id = ?", (item_id,))
    return store_mentions(db, item_id, mentions)


def enqueue(db: Database, **alert: Any) -> bool:
    """Queue one alert (keys of :func:`enqueue_many`); True if it was not queued already."""
    return enqueue_many(db, [alert]) == 1


def enqueue_many(db: Database, alerts: Iterable[dict[str, Any]]) -> int:
    """Queue alerts unless their subscriber's channel has one for the cluster already.

    Each alert: ``subscriber``, ``item`` (its row), ``channel``, ``channel_label``,
    ``watch_ids``, ``due`` and optionally ``grouped``. Call inside the transaction
    that stores the items, so both or neither exist. Returns how many were new.
    """
    now = utcnow_iso()
    rows = [
        (
            a["subscriber"],
            a["item"]["cluster"],
            a["item"]["id"],
            a["channel"],
            a["channel_label"],
            json.dumps(sorted(a["watch_ids"])),
            a["due"],
            int(a.get("grouped", False)),
            now,
        )
        for a in alerts
    ]
    cursor = db.conn.executemany(
        "INSERT OR IGNORE INTO outbox (subscriber, cluster, item_id, channel, channel_label,"
        " watch_ids, due, grouped, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return cursor.rowcount


def due_rows(db: Database, now: str) -> list[dict[str, Any]]:
    """Pending rows whose time has come, oldest first."""
    return _rows(
        db,
        "SELECT * FROM outbox WHERE state = 'pending' AND due <= ?"
        " AND (next_try IS NULL OR next_try <= ?) ORDER BY due, id",
        (now, now),
    )


def claim(db: Database, ids: Sequence[int], message: str) -> None:
    """Mark rows ``sending`` (committed) just before their message goes out."""
    with write_transaction(db):
        db.conn.executemany(
            "UPDATE outbox SET state = 'sending', sending_since = ?, tries = tries + 1,"
            " message = ? WHERE id = ? AND state = 'pending'",
            [(utcnow_iso(), message, i) for i in ids],
        )


def mark_sent(db: Database, ids: Sequence[int]) -> None:
    """The message carrying these rows was delivered."""
    with write_transaction(db):
        db.conn.executemany(
            "UPDATE outbox SET state = 'sent', sent = ?, last_error = NULL, next_try = NULL"
            " WHERE id = ?",
            [(utcnow_iso(), i) for i in ids],
        )


def mark_failed(
    db: Database,
    ids: Sequence[int],
    error: str,
    *,
    max_tries: int,
    backoff: timedelta,
    cap: timedelta,
    now: datetime | None = None,
) -> list[int]:
    """Back to ``pending`` with a later next_try, or ``failed`` once tries run out.

    Returns the ids that became ``failed`` now (ops are told of those).
    """
    now = now or datetime.now(UTC)
    failed: list[int] = []
    with write_transaction(db):
        for row_id in ids:
            tries = db.conn.execute("SELECT tries FROM outbox WHERE id = ?", (row_id,)).fetchone()
            tries = tries[0] if tries else max_tries
            if tries >= max_tries:
                failed.append(row_id)
                db.conn.execute(
                    "UPDATE outbox SET state = 'failed', last_error = ?, next_try = NULL"
                    " WHERE id = ?",
                    (error, row_id),
                )
                continue
            wait = min(cap, backoff * 2 ** max(0, tries - 1))
            db.conn.execute(
                "UPDATE outbox SET state = 'pending', last_error = ?, next_try = ? WHERE id = ?",
                (error, (now + wait).isoformat(timespec="seconds"), row_id),
            )
    return failed


def mark_unknown(db: Database, ids: Sequence[int], error: str) -> None:
    """The send began but its outcome is unknown (an answer timed out): never resent on its own."""
    with write_transaction(db):
        db.conn.executemany(
            "UPDATE outbox SET state = 'unknown', last_error = ?, next_try = NULL WHERE id = ?",
            [(error, i) for i in ids],
        )


def defer(db: Database, ids: Sequence[int], due: str, *, grouped: bool = True) -> None:
    """Hold rows until ``due`` (quiet hours, a rate limit), to go out together then."""
    with write_transaction(db):
        db.conn.executemany(
            "UPDATE outbox SET due = ?, grouped = ? WHERE id = ? AND state = 'pending'",
            [(due, int(grouped), i) for i in ids],
        )


def reconcile(db: Database) -> int:
    """Rows left ``sending`` by a process that died become ``unknown``; returns how many."""
    with write_transaction(db):
        cursor = db.conn.execute(
            "UPDATE outbox SET state = 'unknown', last_error = 'the process stopped while"
            " sending: not resent on its own to avoid a duplicate (wirewatch alerts retry"
            " re-queues it)' WHERE state = 'sending'"
        )
    return cursor.rowcount


def retry(db: Database, *, states: Sequence[str] = ("failed", "unknown")) -> int:
    """Re-queue failed (and unknown) rows, and make waiting retries due now; returns how many.

    Held rows (a digest, quiet hours) keep their time: only failures are hurried.
    """
    marks = ",".join("?" * len(states))
    with write_transaction(db):
        requeued = db.conn.execute(
            f"UPDATE outbox SET state = 'pending', tries = 0, next_try = NULL"
            f" WHERE state IN ({marks})",
            tuple(states),
        ).rowcount
        hurried = db.conn.execute(
            "UPDATE outbox SET next_try = NULL WHERE state = 'pending' AND next_try IS NOT NULL"
        ).rowcount
    return requeued + hurried


def sent_since(db: Database, subscriber: str, channel: str, since: str) -> list[str]:
    """Send times of the distinct messages sent to a channel since ``since``, oldest first."""
    found = db.conn.execute(
        "SELECT MIN(sent) FROM outbox WHERE subscriber = ? AND channel = ? AND state = 'sent'"
        " AND sent >= ? GROUP BY message ORDER BY 1",
        (subscriber, channel, since),
    )
    return [row[0] for row in found]


def list_outbox(
    db: Database, *, states: Sequence[str] | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Outbox rows, newest first, optionally only in some states."""
    where, params = "1", ()
    if states:
        where = f"state IN ({','.join('?' * len(states))})"
        params = tuple(states)
    sql = f"SELECT * FROM outbox WHERE {where} ORDER BY id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return _rows(db, sql, params)


def outbox_counts(db: Database) -> dict[str, int]:
    """How many rows are in each state."""
    counts = dict.fromkeys(STATES, 0)
    for state, n in db.conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state"):
        counts[state] = n
    return counts


def _rows(db: Database, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def alert_details(db: Database, item_id: int) -> dict[str, Any] | None:
    """What a message says about an item: first article, section, mentions, other copies.

    Copies are the other articles carrying any item of the same cluster, so a
    republication found later is named in alerts sent after it was found.
    """
    rows = _rows(
        db,
        "SELECT i.id AS item_id, i.cluster, i.text, i.event_date, a.id AS article_id,"
        " a.source, a.url, a.title, a.published,"
        " (SELECT o.section FROM occurrences o WHERE o.version_id = i.first_version_id"
        "   AND o.item_id = i.id ORDER BY o.position LIMIT 1) AS section"
        " FROM items i JOIN articles a ON a.id = i.first_article_id WHERE i.id = ?",
        (item_id,),
    )
    if not rows:
        return None
    details = rows[0]
    details["mentions"] = _rows(
        db,
        'SELECT watch_id, name, start, "end" FROM mentions WHERE item_id = ? ORDER BY start',
        (item_id,),
    )
    details["copies"] = _rows(
        db,
        "SELECT a.source, a.url, a.title, MIN(a.first_seen) AS first_seen"
        " FROM items i JOIN occurrences o ON o.item_id = i.id"
        " JOIN versions v ON v.id = o.version_id JOIN articles a ON a.id = v.article_id"
        " WHERE i.cluster = ? AND a.id != ? GROUP BY a.id ORDER BY first_seen",
        (details["cluster"], details["article_id"]),
    )
    return details
