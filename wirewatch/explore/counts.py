"""The figures the timeline, the map and the report draw, counted in SQL.

A mention is counted once per cluster (one piece of news, however many sites
carried it), dated by the earliest of its items' days: an item's event date, else
its first article's published day, as `wirewatch items --since` dates it. Functions take a plain
``sqlite3.Connection`` so that Datasette's read-only connections and the
report's sqlite-utils database share them.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

# One row per (watch, cluster), dated by the earliest day of the cluster's items
# that mention the watch: a copy with no event date of its own must not count the
# same news again in another week.
_DATED_MENTIONS = """
SELECT m.watch_id, i.cluster, MIN(COALESCE(i.event_date, substr(a.published, 1, 10))) AS day
FROM (SELECT DISTINCT item_id, watch_id FROM mentions) m
JOIN items i ON i.id = m.item_id
JOIN articles a ON a.id = i.first_article_id
GROUP BY m.watch_id, i.cluster
"""

# SQLite's 'weekday 1' moves forward to a Monday; back six days first to land on
# the Monday that starts the day's week.
_WEEK = "date(day, '-6 days', 'weekday 1')"


@dataclass(frozen=True)
class WeekCount:
    """How many clusters mentioning one watch are dated in the week starting ``week``."""

    watch_id: str
    week: str
    count: int


@dataclass(frozen=True)
class PlaceCount:
    """How many clusters mention one place with coordinates."""

    watch_id: str
    lat: float
    lon: float
    count: int


def _since(since: date | None) -> str:
    return since.isoformat() if since is not None else "0000-00-00"


def has_mentions(conn: sqlite3.Connection) -> bool:
    """Whether the database has the matcher's tables (a fresh one may not)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'mentions'").fetchone()
    return found is not None


def weekly_mentions(conn: sqlite3.Connection, since: date | None = None) -> list[WeekCount]:
    """Clusters mentioning each watch per week (Monday-based), weeks with none left out."""
    if not has_mentions(conn):
        return []
    sql = (
        f"SELECT watch_id, {_WEEK} AS week, COUNT(DISTINCT cluster) FROM ({_DATED_MENTIONS})"
        " WHERE day IS NOT NULL AND day >= ? GROUP BY watch_id, week ORDER BY watch_id, week"
    )
    return [WeekCount(*row) for row in conn.execute(sql, [_since(since)])]


def mention_totals(conn: sqlite3.Connection, since: date | None = None) -> dict[str, int]:
    """Clusters mentioning each watch over the whole period."""
    if not has_mentions(conn):
        return {}
    sql = (
        f"SELECT watch_id, COUNT(DISTINCT cluster) FROM ({_DATED_MENTIONS})"
        " WHERE day IS NOT NULL AND day >= ? GROUP BY watch_id"
    )
    return dict(conn.execute(sql, [_since(since)]).fetchall())


def place_counts(
    conn: sqlite3.Connection,
    coordinates: dict[str, tuple[float, float]],
    since: date | None = None,
) -> list[PlaceCount]:
    """Mention totals of the watches that have coordinates, largest first."""
    totals = mention_totals(conn, since)
    found = [
        PlaceCount(watch_id, lat, lon, totals[watch_id])
        for watch_id, (lat, lon) in coordinates.items()
        if totals.get(watch_id)
    ]
    return sorted(found, key=lambda p: (-p.count, p.watch_id))


_TOP_CLUSTERS = """
WITH dated AS (
    SELECT i.cluster, i.id, COALESCE(i.event_date, substr(a.published, 1, 10)) AS day
    FROM items i JOIN articles a ON a.id = i.first_article_id
), news AS (
    SELECT cluster, MIN(day) AS day, MIN(id) AS first_item FROM dated
    GROUP BY cluster HAVING MIN(day) >= ?
), carried AS (
    SELECT n.cluster, COUNT(DISTINCT a.source) AS sources, COUNT(DISTINCT a.id) AS articles,
           json_group_array(DISTINCT a.source) AS source_names
    FROM news n JOIN items i ON i.cluster = n.cluster
    JOIN occurrences o ON o.item_id = i.id JOIN versions v ON v.id = o.version_id
    JOIN articles a ON a.id = v.article_id
    GROUP BY n.cluster
)
SELECT n.cluster, n.day, c.sources, c.articles, c.source_names,
       (SELECT json_group_array(DISTINCT m.watch_id) FROM mentions m
         JOIN items mi ON mi.id = m.item_id WHERE mi.cluster = n.cluster) AS watch_ids,
       i.text, a.source, a.title, a.url
FROM news n JOIN carried c ON c.cluster = n.cluster
JOIN items i ON i.id = n.first_item JOIN articles a ON a.id = i.first_article_id
{where}
ORDER BY c.sources DESC, c.articles DESC, n.day DESC, n.cluster DESC
LIMIT ?
"""


def top_clusters(
    conn: sqlite3.Connection, since: date | None = None, limit: int = 10
) -> list[dict[str, Any]]:
    """The news first dated on or after ``since`` that most sites carried.

    Only clusters that mention some watch: the report is about what analysts
    watch. Ranked by sources, then articles carrying it, then newest first.
    """
    if not has_mentions(conn):
        return []
    where = "WHERE EXISTS (SELECT 1 FROM mentions m JOIN items mi ON mi.id = m.item_id"
    where += " WHERE mi.cluster = n.cluster)"
    cursor = conn.execute(_TOP_CLUSTERS.format(where=where), [_since(since), limit])
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor]
    for row in rows:
        row["source_names"] = sorted(json.loads(row["source_names"]))
        row["watch_ids"] = sorted(json.loads(row["watch_ids"]))
    return rows
