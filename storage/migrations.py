"""The database schema, as an ordered list of migrations.

One function per change, each applied once in its own transaction and recorded in
``_sqlite_migrations``. Never edit a migration that has shipped: add a new one and
bump :data:`SCHEMA_VERSION` (``tests/test_storage_db.py`` checks they agree).

Conventions: timestamps are ISO 8601 text (see :mod:`storage.times`), JSON columns
hold text written by ``json.dumps``, booleans are 0/1 integers.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("wirewatch")

#: The number of migrations above; written to ``PRAGMA user_version`` so that an
#: older wirewatch refuses a database a newer one has changed.
SCHEMA_VERSION = 5

_INITIAL = """
CREATE TABLE sources (
    name TEXT PRIMARY KEY,
    state TEXT NOT NULL DEFAULT '{}',          -- JSON: discovered endpoints, cursors
    created TEXT NOT NULL
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT NOT NULL UNIQUE,                  -- canonical, see storage.urls
    external_id TEXT,                          -- site-stable id such as 'wp:1234'
    title TEXT,
    author TEXT,
    published TEXT,
    modified TEXT,
    categories TEXT NOT NULL DEFAULT '[]',     -- JSON list
    tags TEXT NOT NULL DEFAULT '[]',           -- JSON list
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL
);
CREATE INDEX idx_articles_source_external_id ON articles (source, external_id);
CREATE INDEX idx_articles_source_content_hash ON articles (source, content_hash);

CREATE TABLE article_urls (
    url TEXT PRIMARY KEY,                      -- another URL of the article (canonical form)
    article_id INTEGER NOT NULL REFERENCES articles (id)
);

CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id),
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT,
    modified TEXT,
    fetched_at TEXT NOT NULL,
    paragraphs INTEGER NOT NULL,               -- how many occurrences this version has
    UNIQUE (article_id, version)
);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,                 -- storage.normalise.content_hash of text
    text TEXT NOT NULL,                        -- as first seen
    event_date TEXT,                           -- ISO date the paragraph opens with
    first_article_id INTEGER NOT NULL REFERENCES articles (id),
    first_version_id INTEGER NOT NULL REFERENCES versions (id),
    first_seen TEXT NOT NULL,
    cluster INTEGER NOT NULL                   -- own id until near-duplicates are merged
);
CREATE INDEX idx_items_cluster ON items (cluster);

CREATE TABLE occurrences (
    version_id INTEGER NOT NULL REFERENCES versions (id),
    position INTEGER NOT NULL,
    item_id INTEGER NOT NULL REFERENCES items (id),
    section TEXT,                              -- the heading the paragraph sat under
    PRIMARY KEY (version_id, position)
) WITHOUT ROWID;
CREATE INDEX idx_occurrences_item_id ON occurrences (item_id);

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'ok', 'partial', 'failed', 'interrupted', 'timeout')),
    full INTEGER NOT NULL DEFAULT 0,
    pid INTEGER,
    pages INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0,
    new_articles INTEGER NOT NULL DEFAULT 0,
    updated_articles INTEGER NOT NULL DEFAULT 0,
    new_items INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    message TEXT
);
CREATE INDEX idx_runs_source_started ON runs (source, started);

CREATE TABLE run_errors (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    url TEXT,
    kind TEXT NOT NULL,
    message TEXT,
    at TEXT NOT NULL
);
CREATE INDEX idx_run_errors_run_id ON run_errors (run_id);

CREATE TABLE validators (
    url TEXT PRIMARY KEY,                      -- exactly as requested, not canonicalised
    etag TEXT,
    last_modified TEXT,
    checked TEXT NOT NULL
);
"""

# Full-text search over items.text, indexed in batches (see storage.fts): new items
# queue in items_fts_pending, filled by a trigger so no insert path can skip it.
# The delete and update triggers touch the index only for items already in it.
# `content="items"` as sqlite-utils writes it, so Table.detect_fts() finds it.
_SEARCH = """
CREATE VIRTUAL TABLE "items_fts" USING FTS5 (
    "text",
    tokenize='unicode61 remove_diacritics 2',
    content="items"
);

CREATE TABLE items_fts_pending (
    item_id INTEGER PRIMARY KEY                -- an item not yet in items_fts
);

CREATE TRIGGER "items_ai" AFTER INSERT ON items BEGIN
    INSERT INTO items_fts_pending (item_id) VALUES (new.id);
END;

CREATE TRIGGER "items_ad" AFTER DELETE ON items BEGIN
    INSERT INTO "items_fts" ("items_fts", rowid, "text")
        SELECT 'delete', old.id, old.text
        WHERE NOT EXISTS (SELECT 1 FROM items_fts_pending WHERE item_id = old.id);
    DELETE FROM items_fts_pending WHERE item_id = old.id;
END;

CREATE TRIGGER "items_au" AFTER UPDATE OF text ON items BEGIN
    INSERT INTO "items_fts" ("items_fts", rowid, "text")
        SELECT 'delete', old.id, old.text
        WHERE NOT EXISTS (SELECT 1 FROM items_fts_pending WHERE item_id = old.id);
    INSERT OR IGNORE INTO items_fts_pending (item_id) VALUES (new.id);
END;
"""


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """Create the tables for articles, items, crawl runs and HTTP validators, and search.

    The schema is written as SQL rather than ``Table.create`` calls for the CHECK on
    ``runs.status``, for triggers ``Table.enable_fts`` cannot express, and so that it
    reads as the record of what the database holds. Never ``insert(replace=True)``
    into ``items``: the implicit delete fires no trigger.
    """
    db.executescript(_INITIAL)
    db.executescript(_SEARCH)


_ALERTS = """
CREATE TABLE mentions (
    item_id INTEGER NOT NULL REFERENCES items(id),
    watch_id TEXT NOT NULL,
    name TEXT NOT NULL,                        -- the text that matched, as the item has it
    start INTEGER NOT NULL,                    -- offsets into items.text, end exclusive
    "end" INTEGER NOT NULL,
    PRIMARY KEY (item_id, watch_id, start)
) WITHOUT ROWID;
CREATE INDEX mentions_watch ON mentions (watch_id, item_id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    subscriber TEXT NOT NULL,
    cluster INTEGER NOT NULL,                  -- every copy of an item shares it
    item_id INTEGER NOT NULL REFERENCES items(id),
    channel TEXT NOT NULL,                     -- hash of the notify URL as the config writes it
    channel_label TEXT NOT NULL,               -- Apprise's privacy form: no secrets
    watch_ids TEXT NOT NULL,                   -- JSON list: what matched for this subscriber
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
    due TEXT NOT NULL,                         -- not before: a digest time, the end of quiet hours
    grouped INTEGER NOT NULL DEFAULT 0,        -- 1: goes out in one message with the others due
    tries INTEGER NOT NULL DEFAULT 0,
    next_try TEXT,                             -- after a failure: when to try again
    last_error TEXT,
    created TEXT NOT NULL,
    sending_since TEXT,
    sent TEXT,
    message TEXT,                              -- id shared by the rows sent in one message
    UNIQUE (subscriber, cluster, channel)
);
CREATE INDEX outbox_state ON outbox (state, due);
"""


@MIGRATIONS()
def m002_alerts(db: Database) -> None:
    """Watchlist mentions with their spans, and the alert outbox.

    The outbox is written in the same transaction as the item that caused it, one
    row per subscriber, cluster and notify URL; the UNIQUE key is what makes a
    second enqueue of the same news for the same channel impossible.
    """
    db.executescript(_ALERTS)


@MIGRATIONS()
def m003_near_duplicates(db: Database) -> None:
    """The near-duplicate index (MinHash band keys) and each item's ``dup_of``.

    Items stored before this migration are indexed here, so a copy of one of them
    found later still joins its cluster. See :mod:`storage.neardup` for the rule.
    """
    from storage import neardup  # the migration needs the index code, not vice versa

    db.executescript(
        """
        ALTER TABLE items ADD COLUMN dup_of INTEGER REFERENCES items(id) ON DELETE SET NULL;
        CREATE TABLE item_bands (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            bands BLOB NOT NULL                    -- the MinHash band keys, int64 little-endian
        );
        """
    )
    rows = db.execute("SELECT id, text FROM items ORDER BY id").fetchall()
    db.conn.executemany(
        "INSERT INTO item_bands (item_id, bands) VALUES (?, ?)",
        [(item_id, neardup.pack_bands(neardup.fingerprint(text).bands)) for item_id, text in rows],
    )


@MIGRATIONS()
def m004_daemon(db: Database) -> None:
    """What the daemon keeps between restarts and tells ``wirewatch status``.

    ``daemon`` holds one row: who runs (pid, host, since) and its last heartbeat.
    ``schedule`` holds each source's last and next scheduled run, so a restart runs
    one catch-up crawl per due source. ``ops_notices`` remembers which problems ops
    have been told of (a failing source, stuck alerts), for reminders and recovery.
    """
    db.executescript(
        """
        CREATE TABLE daemon (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            started TEXT NOT NULL,
            heartbeat TEXT NOT NULL,
            stopped TEXT                           -- set on a clean stop
        );
        CREATE TABLE schedule (
            source TEXT PRIMARY KEY,
            schedule TEXT NOT NULL,                -- as the config wrote it
            last_run TEXT,                         -- when the daemon last started a crawl of it
            next_run TEXT                          -- when it will next (NULL: not scheduled)
        );
        CREATE TABLE ops_notices (
            key TEXT PRIMARY KEY,                  -- 'source:NAME', 'alerts:failed'
            opened TEXT NOT NULL,
            last_sent TEXT NOT NULL,
            detail TEXT
        );
        """
    )


@MIGRATIONS()
def m005_near_duplicate_facts(db: Database) -> None:
    """Each indexed item's facts mask, and its band keys made anew.

    The mask lets the index turn formula twins away unread (see
    :func:`storage.neardup.facts_mask`); the band keys change because the MinHash
    lost its modulo and the bigrams their per-pair hashing, for speed. Items
    stored before are worked out again here, so nothing already stored drops
    out of the index.
    """
    from storage import neardup

    db.execute("ALTER TABLE item_bands ADD COLUMN facts INTEGER NOT NULL DEFAULT 0")
    rows = db.execute("SELECT id, text FROM items ORDER BY id").fetchall()
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        fps = neardup.fingerprints([text for _, text in chunk])
        neardup.index_items(
            db, [(item_id, fp) for (item_id, _), fp in zip(chunk, fps, strict=True)]
        )
