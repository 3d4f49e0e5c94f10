"""Datasette metadata: what each table and column holds, facets, and canned queries.

Kept as Python so one module says what the UI shows; ``metadata(name)`` gives
the dict Datasette takes, for the database Datasette calls ``name``.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

_DAY = "COALESCE(i.event_date, substr(a.published, 1, 10))"

TABLES: dict[str, dict[str, Any]] = {
    "item_list": {
        "title": "Items, one row each, with day, month and watch ids",
        "description": (
            "Every stored paragraph ('item'), dated by the day it reports, else its "
            "article's publication day. Search it, or facet by source, month and watch id."
        ),
        "fts_table": "items_fts",
        "fts_pk": "id",
        "facets": ["source", "month", {"array": "watch_ids"}],
        "sort_desc": "day",
        "columns": {
            "id": "The item's id (items.id).",
            "day": "The event date the paragraph opens with, else the article's published day.",
            "month": "YYYY-MM of that day: facet on it for a month's news.",
            "source": "The source (config [[source]] name) where the item was first seen.",
            "title": "Title of the article the item was first seen in.",
            "url": "That article's canonical URL.",
            "text": "The paragraph as first seen.",
            "cluster": "Shared by every copy of the same news across sites.",
            "copy_of": "The item this one is a near-duplicate copy of; empty for an original.",
            "watch_ids": "JSON list of the watch ids whose names the text mentions.",
            "first_seen": "When wirewatch first stored it (UTC).",
        },
    },
    "mention_list": {
        "title": "Mentions of watched actors and places",
        "description": "One row per watched name found in an item. Facet by watch, kind, month.",
        "facets": ["watch_id", "kind", "source", "month"],
        "sort_desc": "day",
        "columns": {
            "item_id": "The item mentioning it.",
            "watch_id": "The [[watch]] id from the config.",
            "kind": "actor, place or topic (from the config's watchlist).",
            "name": "The text that matched, as the item spells it.",
            "day": "The item's day (event date, else published).",
            "month": "YYYY-MM of that day.",
            "source": "Where the item was first seen.",
            "cluster": "The item's cluster (same news elsewhere).",
            "text": "The item's paragraph.",
        },
    },
    "watchlist": {
        "title": "The watchlist, from the config",
        "description": "Rewritten from the config's [[watch]] tables when `wirewatch ui` starts.",
        "columns": {
            "id": "The watch id subscribers and mentions refer to.",
            "kind": "actor, place or topic.",
            "names": "JSON list of names, matched case-insensitively as whole words.",
            "acronyms": "JSON list of acronyms, matched case-sensitively.",
            "lat": "Latitude of a place (for the map).",
            "lon": "Longitude of a place.",
        },
    },
    "items": {
        "title": "Items: de-duplicated paragraphs",
        "description": "The paragraphs stored once each; item_list shows them with their dates.",
        "fts_table": "items_fts",
        "fts_pk": "id",
        "columns": {
            "id": "Item id.",
            "hash": "Hash of the normalised text: the exact-duplicate key.",
            "text": "The paragraph as first seen.",
            "event_date": "ISO date the paragraph opens with ('On 3 March'), if any.",
            "first_article_id": "The article it was first seen in.",
            "first_version_id": "The version of that article.",
            "first_seen": "When it was first stored (UTC).",
            "cluster": "Id shared by every copy of the same news (own id for an original).",
            "dup_of": "The item it is a near-duplicate of, if any.",
        },
    },
    "articles": {
        "title": "Articles",
        "description": "One row per crawled article (post or page), latest version's fields.",
        "facets": ["source"],
        "columns": {
            "source": "The config source it was crawled from.",
            "url": "Canonical URL.",
            "external_id": "Site-stable id such as 'wp:1234'.",
            "title": "Title.",
            "author": "Author, where the site says.",
            "published": "Publication time the site gives.",
            "modified": "Last modification time the site gives.",
            "categories": "JSON list of categories.",
            "tags": "JSON list of tags.",
            "content_hash": "Hash of the article's paragraphs (boilerplate excluded).",
            "version": "How many distinct contents were seen.",
            "first_seen": "When first crawled (UTC).",
            "last_seen": "When last crawled.",
            "last_changed": "When its content last changed.",
        },
    },
    "versions": {
        "title": "Article versions",
        "description": "Each distinct content of an article, as fetched.",
    },
    "occurrences": {
        "title": "Occurrences: which item sits where in which article version",
        "description": "Links items to article versions; an item on two sites has two.",
        "columns": {
            "version_id": "The article version.",
            "position": "Paragraph number in it.",
            "item_id": "The item.",
            "section": "The heading the paragraph sat under.",
        },
    },
    "mentions": {
        "title": "Mentions (raw)",
        "description": "Watch names found in items, with offsets; mention_list is easier to read.",
        "facets": ["watch_id"],
        "columns": {
            "item_id": "The item.",
            "watch_id": "The watch id.",
            "name": "The text that matched.",
            "start": "Offset of the match in the item's text.",
            "end": "Offset just past it.",
        },
    },
    "outbox": {
        "title": "Alert outbox",
        "description": "One row per subscriber, cluster and notify URL; sent exactly once.",
        "facets": ["state", "subscriber"],
        "columns": {
            "subscriber": "The [[subscriber]] name.",
            "cluster": "The news (cluster) the alert is about.",
            "item_id": "The item that raised it.",
            "channel": "Hash of the notify URL as the config writes it.",
            "channel_label": "The notify URL in Apprise's privacy form (no secrets).",
            "watch_ids": "JSON list of what matched for this subscriber.",
            "state": "pending, sending, sent, failed or unknown.",
            "due": "Not to be sent before (digest time, end of quiet hours).",
            "grouped": "1 when it goes out in one message with the others due.",
            "tries": "Delivery attempts so far.",
            "next_try": "After a failure: when it is tried again.",
            "last_error": "The last delivery error (secrets masked).",
            "created": "When it was queued.",
            "sent": "When it was sent.",
            "message": "Id shared by the rows sent in one message.",
        },
    },
    "runs": {
        "title": "Crawl runs",
        "description": "One row per crawl of one source.",
        "facets": ["source", "status"],
        "sort_desc": "started",
        "columns": {
            "source": "The source crawled.",
            "started": "Start (UTC).",
            "finished": "End (UTC); empty while running.",
            "status": "running, ok, partial, failed, interrupted or timeout.",
            "full": "1 for a --full crawl of the whole archive.",
            "pages": "Pages fetched.",
            "requests": "HTTP requests made.",
            "not_modified": "Requests answered 304 Not Modified.",
            "new_articles": "Articles seen for the first time.",
            "updated_articles": "Articles whose content changed.",
            "new_items": "Items stored for the first time.",
            "errors": "Errors recorded (see run_errors).",
            "message": "Why a run was not ok.",
        },
    },
    "run_errors": {
        "title": "Crawl errors",
        "description": "What went wrong in a run, one row per error.",
        "facets": ["kind"],
    },
    "sources": {
        "title": "Sources",
        "description": "Per-source crawl state (discovered endpoints).",
    },
    "article_urls": {"title": "Other URLs of articles", "description": "Aliases of article URLs."},
    "validators": {
        "title": "HTTP validators",
        "description": "ETag and Last-Modified per URL, for conditional requests.",
    },
    "item_bands": {"hidden": True},
    "items_fts_pending": {"hidden": True},
    "_sqlite_migrations": {"hidden": True},
}

QUERIES: dict[str, dict[str, Any]] = {
    "mentions_recent": {
        "title": "Items mentioning a watch in the last N days",
        "description": "watch: a watch id such as derna; days: how far back from today.",
        "sql": f"""SELECT i.id, {_DAY} AS day, a.source, a.title, a.url, i.text, i.cluster
FROM items i JOIN articles a ON a.id = i.first_article_id
WHERE i.id IN (SELECT item_id FROM mentions WHERE watch_id = :watch)
  AND {_DAY} >= date('now', '-' || CAST(:days AS INTEGER) || ' days')
ORDER BY day DESC, i.id DESC""",
    },
    "cluster_copies": {
        "title": "Clusters with all their copies",
        "description": (
            "News carried by more than one article, each copy with its site and URL, "
            "earliest first. cluster: one cluster id, or empty for all."
        ),
        "sql": """SELECT i.cluster, a.source, a.url, a.title, MIN(a.first_seen) AS first_seen,
       i.id AS item_id, i.dup_of AS copy_of, i.text
FROM items i JOIN occurrences o ON o.item_id = i.id
JOIN versions v ON v.id = o.version_id JOIN articles a ON a.id = v.article_id
WHERE i.cluster IN (
    SELECT ci.cluster FROM items ci JOIN occurrences co ON co.item_id = ci.id
    JOIN versions cv ON cv.id = co.version_id
    WHERE :cluster = '' OR ci.cluster = CAST(:cluster AS INTEGER)
    GROUP BY ci.cluster HAVING COUNT(DISTINCT cv.article_id) > 1)
GROUP BY a.id, i.id
ORDER BY i.cluster DESC, first_seen, a.id""",
    },
    "run_health": {
        "title": "Crawl run health per source",
        "description": "Runs, outcomes, errors and the latest result of each source.",
        "sql": """SELECT r.source, COUNT(*) AS runs,
       SUM(r.status = 'ok') AS ok, SUM(r.status = 'partial') AS partial,
       SUM(r.status IN ('failed', 'timeout', 'interrupted')) AS failed,
       MAX(r.started) AS last_started,
       (SELECT status FROM runs l WHERE l.source = r.source
         ORDER BY l.started DESC, l.id DESC LIMIT 1) AS last_status,
       (SELECT message FROM runs l WHERE l.source = r.source
         ORDER BY l.started DESC, l.id DESC LIMIT 1) AS last_message,
       (SELECT MAX(finished) FROM runs k WHERE k.source = r.source AND k.status = 'ok')
         AS last_ok,
       SUM(r.pages) AS pages, SUM(r.new_items) AS new_items, SUM(r.errors) AS errors
FROM runs r GROUP BY r.source ORDER BY r.source""",
    },
    "alert_outbox": {
        "title": "The alert outbox",
        "description": "Alerts newest first; state: pending, sent, failed... or empty for all.",
        "sql": """SELECT o.id, o.state, o.subscriber, o.channel_label, o.watch_ids, o.cluster,
       o.item_id, o.due, o.tries, o.next_try, o.last_error, o.created, o.sent,
       substr(i.text, 1, 200) AS text
FROM outbox o JOIN items i ON i.id = o.item_id
WHERE :state = '' OR o.state = :state
ORDER BY o.id DESC""",
    },
}


def _home(database: str) -> str:
    """The home page's links: figures, the two searchable views, the canned queries."""
    db = escape(quote(database), quote=True)
    queries = " · ".join(
        f"<a href='/{db}/{name}'>{escape(q['title'])}</a>" for name, q in QUERIES.items()
    )
    return (
        "What wirewatch collected. <a href='/-/wirewatch'>Timeline and map</a> · "
        f"search <a href='/{db}/item_list'>items</a> · <a href='/{db}/mention_list'>mentions</a>"
        f"<br>Canned queries: {queries}"
    )


def metadata(database: str) -> dict[str, Any]:
    """The metadata dict for Datasette, the wirewatch database being called ``database``."""
    return {
        "title": "wirewatch",
        "description_html": _home(database),
        "databases": {
            database: {
                "description": "Items, their copies across sites, mentions, crawl runs, alerts.",
                "tables": TABLES,
                "queries": QUERIES,
            }
        },
    }
