"""What `wirewatch ui` and `wirewatch report` add to the database for reading it.

The watchlist lives in the config, not the database; the UI needs its ids,
names and coordinates beside the mentions, so ``watchlist`` is rewritten from
the config each time the UI starts. The views give Datasette one row per item
and per mention with the day, month and source already worked out, which its
facets and search need. None of this is a migration: it is derived, dropped and
recreated freely, and nothing else in wirewatch reads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlite_utils import Database

from storage.db import write_transaction
from wirewatch.config import Watch

_WATCHLIST = """
CREATE TABLE IF NOT EXISTS watchlist (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    names TEXT NOT NULL,        -- JSON list
    acronyms TEXT NOT NULL,     -- JSON list
    lat REAL,
    lon REAL
)
"""

_ITEM_LIST = """
CREATE VIEW item_list AS
SELECT
    i.id,
    COALESCE(i.event_date, substr(a.published, 1, 10)) AS day,
    substr(COALESCE(i.event_date, a.published), 1, 7) AS month,
    a.source,
    a.title,
    a.url,
    i.text,
    i.cluster,
    i.dup_of AS copy_of,
    (SELECT json_group_array(watch_id) FROM
        (SELECT DISTINCT watch_id FROM mentions m WHERE m.item_id = i.id ORDER BY watch_id)
    ) AS watch_ids,
    i.first_seen
FROM items i JOIN articles a ON a.id = i.first_article_id
"""

_MENTION_LIST = """
CREATE VIEW mention_list AS
SELECT
    m.item_id,
    m.watch_id,
    w.kind,
    m.name,
    COALESCE(i.event_date, substr(a.published, 1, 10)) AS day,
    substr(COALESCE(i.event_date, a.published), 1, 7) AS month,
    a.source,
    i.cluster,
    i.text
FROM mentions m
JOIN items i ON i.id = m.item_id
JOIN articles a ON a.id = i.first_article_id
LEFT JOIN watchlist w ON w.id = m.watch_id
"""

#: Names this module owns in the database.
VIEWS = ("item_list", "mention_list")


def refresh(db: Database, watches: Iterable[Watch]) -> None:
    """Rewrite ``watchlist`` from the config and recreate the views, in one transaction."""
    rows = [
        (
            w.id,
            w.kind,
            json.dumps(w.names, ensure_ascii=False),
            json.dumps(w.acronyms),
            w.lat,
            w.lon,
        )
        for w in watches
    ]
    with write_transaction(db):
        db.execute(_WATCHLIST)
        db.execute("DELETE FROM watchlist")
        db.conn.executemany("INSERT INTO watchlist VALUES (?, ?, ?, ?, ?, ?)", rows)
        for view in VIEWS:
            db.execute(f"DROP VIEW IF EXISTS {view}")
        db.execute(_ITEM_LIST)
        db.execute(_MENTION_LIST)


def coordinates(conn) -> dict[str, tuple[float, float]]:
    """Watch id to (lat, lon), for the watches in ``watchlist`` that have them."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'watchlist'").fetchone()
    if found is None:
        return {}
    rows = conn.execute(
        "SELECT id, lat, lon FROM watchlist WHERE lat IS NOT NULL AND lon IS NOT NULL"
    )
    return {watch_id: (lat, lon) for watch_id, lat, lon in rows}


def labels(conn) -> dict[str, str]:
    """Watch id to a row label such as ``derna (place)``."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'watchlist'").fetchone()
    if found is None:
        return {}
    return {wid: f"{wid} ({kind})" for wid, kind in conn.execute("SELECT id, kind FROM watchlist")}
