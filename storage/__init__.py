"""Storage: the SQLite database, normalisation and hashing, ingest and queries.

What the other packages may use is exported here. ``storage`` imports none of
the other wirewatch packages: the watchlist matcher and subscriber routing
reach :func:`ingest` as plain callables.

Exceptions::

    StorageError            base of what this package raises on purpose
    ├── SchemaTooNew        the database was written by a newer wirewatch
    └── SourceBusy          another live process is crawling that source
"""

# First: it imports sqlite-utils without numpy, before any module below imports it.
from storage import _nonumpy  # noqa: F401
from storage.crawlstate import (
    SourceBusy,
    finish_run,
    get_source_state,
    get_validators,
    known_article,
    known_external_ids,
    live_run,
    mark_interrupted_runs,
    record_error,
    save_validators,
    set_source_state,
    start_run,
)
from storage.db import (
    SCHEMA_VERSION,
    SchemaTooNew,
    StorageError,
    open_db,
    open_problem,
    tune_for_bulk_writes,
    write_transaction,
)
from storage.eventdates import event_date
from storage.fts import rebuild_search_index, update_search_index
from storage.ingest import IngestResult, OnNewItem, ingest, prepare
from storage.model import Article, Paragraph
from storage.normalise import article_hash, content_hash, normalise
from storage.outbox import (
    alert_details,
    claim,
    defer,
    due_rows,
    enqueue,
    enqueue_many,
    list_outbox,
    mark_failed,
    mark_sent,
    mark_unknown,
    outbox_counts,
    reconcile,
    replace_mentions,
    retry,
    sent_since,
    store_mentions,
    store_mentions_many,
)
from storage.queries import (
    cluster_copies,
    layout_warnings,
    list_items,
    list_runs,
    source_status,
)
from storage.times import utcnow_iso
from storage.urls import canonical_url

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "IngestResult",
    "OnNewItem",
    "Paragraph",
    "SchemaTooNew",
    "SourceBusy",
    "StorageError",
    "alert_details",
    "article_hash",
    "canonical_url",
    "claim",
    "cluster_copies",
    "content_hash",
    "defer",
    "due_rows",
    "enqueue",
    "enqueue_many",
    "event_date",
    "finish_run",
    "get_source_state",
    "get_validators",
    "ingest",
    "known_article",
    "known_external_ids",
    "layout_warnings",
    "list_items",
    "list_outbox",
    "list_runs",
    "live_run",
    "mark_failed",
    "mark_interrupted_runs",
    "mark_sent",
    "mark_unknown",
    "normalise",
    "open_db",
    "open_problem",
    "outbox_counts",
    "prepare",
    "rebuild_search_index",
    "reconcile",
    "record_error",
    "replace_mentions",
    "retry",
    "save_validators",
    "sent_since",
    "set_source_state",
    "source_status",
    "start_run",
    "store_mentions",
    "store_mentions_many",
    "tune_for_bulk_writes",
    "update_search_index",
    "utcnow_iso",
    "write_transaction",
]
