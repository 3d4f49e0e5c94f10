"""Full-text search over items: batched indexing and safe queries.

Indexing each new item as it is inserted (sqlite-utils' trigger) cost about
40 µs per paragraph, measured here, and halved ingest's rate; one
``INSERT ... SELECT`` over a batch costs about 4 µs per paragraph. So new items
wait in ``items_fts_pending`` (a trigger puts them there) and are indexed a
batch at a time: by :func:`storage.ingest` once :data:`SEARCH_INDEX_BATCH` are
waiting, and by :func:`update_search_index`, which a search runs first and a
crawl may run when it ends.

To rebuild the index use :func:`rebuild_search_index`, not sqlite-utils'
``rebuild_fts()``: that would index the pending items too, and indexing them
again later would corrupt the index.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from storage.db import write_transaction

#: Pending items that make ingest index them within its own transaction.
SEARCH_INDEX_BATCH = 256


def update_search_index(db: Database) -> int:
    """Index every pending item now; return how many were indexed."""
    if not has_pending(db.conn):
        return 0
    with write_transaction(db):
        return index_pending(db.conn)


def rebuild_search_index(db: Database) -> None:
    """Rebuild the whole index from ``items`` and empty the queue, in one transaction."""
    with write_transaction(db):
        db.conn.execute('INSERT INTO "items_fts" ("items_fts") VALUES (\'rebuild\')')
        db.conn.execute("DELETE FROM items_fts_pending")


def has_pending(conn: sqlite3.Connection, at_least: int = 1) -> bool:
    """Tell whether at least ``at_least`` items wait to be indexed."""
    row = conn.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM items_fts_pending LIMIT ?)", (at_least,)
    ).fetchone()
    return row[0] >= at_least


def index_pending(conn: sqlite3.Connection) -> int:
    """Index the pending items; the caller holds the transaction."""
    cursor = conn.execute(
        'INSERT INTO "items_fts" (rowid, "text")'
        " SELECT i.id, i.text FROM items_fts_pending p JOIN items i ON i.id = p.item_id"
    )
    conn.execute("DELETE FROM items_fts_pending")
    return cursor.rowcount


def fts_phrases(text: str) -> str:
    """Return ``text`` as an FTS5 query of quoted words that all must occur.

    Each whitespace-separated word becomes a ``"..."`` string (inner quotes
    doubled), so ``Derna's``, ``IS-K``, ``NOT`` or a stray ``"`` cannot be read as
    query syntax. Words without a letter or digit are dropped; an empty result
    means there is nothing to search for.
    """
    words = [w for w in text.split() if any(c.isalnum() for c in w)]
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)
