"""The questions the command line asks: items, runs, per-source status.

All read only, except that a search first indexes the items still waiting for
the search index (see :mod:`storage.fts`).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlite_utils import Database

from storage.fts import fts_phrases, update_search_index

# An item's source, url, title and published date are those of the article it was
# first seen in; ``appearances`` counts the distinct articles that carry it.
_ITEMS_SQL = """
SELECT
    i.id, a.source, a.url, a.title, a.published, i.event_date, i.text, i.hash,
    i.cluster, i.first_seen,
    (SELECT o.section FROM occurrences o
      WHERE o.version_id = i.first_version_id AND o.item_id = i.id
      ORDER BY o.position LIMIT 1) AS section,
    (SELECT COUNT(DISTINCT v.article_id) FROM occurrences o
      JOIN versions v ON v.id = o.version_id WHERE o.item_id = i.id) AS appearances,
    {mentions} AS mentions
FROM items i JOIN articles a ON a.id = i.first_article_id
WHERE {where}
ORDER BY a.published DESC, i.id DESC
{limit}
"""

# Assumes the mentions table the watchlist matcher will add: (item_id, watch_id).
_MENTIONS_SQL = (
    "(SELECT json_group_array(watch_id) FROM"
    " (SELECT DISTINCT watch_id FROM mentions m WHERE m.item_id = i.id ORDER BY watch_id))"
)


def list_items(
    db: Database,
    *,
    mentions: str | None = None,
    source: str | None = None,
    since: date | None = None,
    search: str | None = None,
    cluster: int | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Return stored items, newest first (article published, then item id, descending).

    :param mentions: only items that mention this watch id.
    :param source: only items carried by some article of this source.
    :param since: only items whose event date, else whose article's published date,
        is on or after this day.
    :param search: full-text search; the text is taken literally (punctuation and
        FTS operators in it are quoted). A search with no words finds nothing.
        It first indexes the items still waiting (a short write).
    :param cluster: only items of this cluster.
    """
    has_mentions = db.table("mentions").exists()
    where, params = ["1"], []
    if mentions is not None:
        if not has_mentions:
            return []
        where.append("i.id IN (SELECT item_id FROM mentions WHERE watch_id = ?)")
        params.append(mentions)
    if source is not None:
        where.append(
            "EXISTS (SELECT 1 FROM occurrences o JOIN versions v ON v.id = o.version_id"
            " JOIN articles sa ON sa.id = v.article_id WHERE o.item_id = i.id AND sa.source = ?)"
        )
        params.append(source)
    if since is not None:
        where.append("COALESCE(i.event_date, substr(a.published, 1, 10)) >= ?")
        params.append(since.isoformat())
    if search is not None:
        query = fts_phrases(search)
        if not query:
            return []
        update_search_index(db)
        where.append("i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)")
        params.append(query)
    if cluster is not None:
        where.append("i.cluster = ?")
        params.append(cluster)
    sql = _ITEMS_SQL.format(
        mentions=_MENTIONS_SQL if has_mentions else "'[]'",
        where=" AND ".join(where),
        limit="LIMIT ?" if limit is not None else "",
    )
    if limit is not None:
        params.append(limit)
    rows = list(db.query(sql, params))
    for row in rows:
        row["mentions"] = json.loads(row["mentions"])
    return rows


def list_runs(db: Database, source: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Return the latest crawl runs, newest first, of one source or all."""
    where, params = ("WHERE source = ?", [source]) if source is not None else ("", [])
    sql = f"SELECT * FROM runs {where} ORDER BY started DESC, id DESC LIMIT ?"
    return list(db.query(sql, [*params, limit]))


_LAST_RUN_COLUMNS = (
    "started",
    "finished",
    "status",
    "pages",
    "new_articles",
    "new_items",
    "errors",
    "message",
)


def source_status(db: Database) -> list[dict[str, Any]]:
    """Return one summary per source known from runs or articles, by name.

    Each has ``name``, ``articles``, ``items`` (distinct items its articles carry),
    ``last_run`` (a dict of the latest run's figures, or None) and ``last_ok``
    (when the last successful run finished, or None).
    """
    articles = dict(db.execute("SELECT source, COUNT(*) FROM articles GROUP BY source").fetchall())
    items = dict(
        db.execute(
            "SELECT a.source, COUNT(DISTINCT o.item_id) FROM occurrences o"
            " JOIN versions v ON v.id = o.version_id JOIN articles a ON a.id = v.article_id"
            " GROUP BY a.source"
        ).fetchall()
    )
    last_ok = dict(
        db.execute(
            "SELECT source, MAX(finished) FROM runs WHERE status = 'ok' GROUP BY source"
        ).fetchall()
    )
    last_runs = _last_runs(db)
    names = sorted(set(articles) | set(last_runs))
    return [
        {
            "name": name,
            "articles": articles.get(name, 0),
            "items": items.get(name, 0),
            "last_run": last_runs.get(name),
            "last_ok": last_ok.get(name),
        }
        for name in names
    ]


def _last_runs(db: Database) -> dict[str, dict[str, Any]]:
    """Return each source's latest run (by start time) as a dict of its figures."""
    columns = ", ".join(f"r.{c}" for c in _LAST_RUN_COLUMNS)
    rows = db.execute(
        f"SELECT r.source, {columns} FROM runs r WHERE r.id = ("
        " SELECT id FROM runs WHERE source = r.source ORDER BY started DESC, id DESC LIMIT 1)"
    ).fetchall()
    return {row[0]: dict(zip(_LAST_RUN_COLUMNS, row[1:], strict=True)) for row in rows}


def cluster_copies(db: Database, cluster: int) -> list[dict[str, Any]]:
    """Every article carrying an item of ``cluster``: source, URL, title, first seen, item.

    The provenance of one piece of news: where it first appeared and every site
    that carried it since, earliest first.
    """
    cursor = db.execute(
        """SELECT a.source, a.url, a.title, a.published, MIN(a.first_seen) AS first_seen,
                  i.id AS item_id, i.dup_of, i.text
           FROM items i JOIN occurrences o ON o.item_id = i.id
           JOIN versions v ON v.id = o.version_id JOIN articles a ON a.id = v.article_id
           WHERE i.cluster = ? GROUP BY a.id, i.id ORDER BY first_seen, a.id, i.id""",
        [cluster],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def layout_warnings(db: Database) -> dict[str, str]:
    """Sources whose last run found pages but read nothing from them, though earlier runs did.

    That pattern (pages fetched, every one an extraction failure, no article
    stored, when the source used to yield items) is what a site redesign looks
    like: the selectors match nothing any more. A quiet rerun that finds no new
    pages is not a warning; it records no extraction failure. Keyed by source.
    """
    found = db.execute(
        """SELECT r.source, r.started,
                  (SELECT COUNT(*) FROM run_errors e WHERE e.run_id = r.id
                    AND e.kind = 'extraction') AS unread
           FROM runs r
           WHERE r.id = (SELECT id FROM runs WHERE source = r.source AND status != 'running'
                         ORDER BY started DESC, id DESC LIMIT 1)
             AND r.new_articles + r.updated_articles = 0
             AND EXISTS (SELECT 1 FROM runs p WHERE p.source = r.source AND p.id < r.id
                         AND p.new_items > 0)"""
    ).fetchall()
    return {
        source: (
            f"the last run ({started}) read no article from {unread} page(s) although earlier"
            " runs yielded items: has the site changed its layout? (check its selectors)"
        )
        for source, started, unread in found
        if unread
    }
