"""Storage: the SQLite database, normalisation and hashing, ingest and queries.

What the other packages may use is exported here. ``storage`` imports none of
the other wirewatch packages: the watchlist matcher and subscriber routing
reach :func:`ingest` as plain callables.

Exceptions::

    StorageError            base of what this package raises on purpose
    └── SchemaTooNew        the database was written by a newer wirewatch
"""

from storage.crawlstate import (
    finish_run,
    get_source_state,
    get_validators,
    known_article,
    known_external_ids,
    record_error,
    save_validators,
    set_source_state,
    start_run,
)
from storage.db import SCHEMA_VERSION, SchemaTooNew, StorageError, open_db
from storage.eventdates import event_date
from storage.ingest import IngestResult, ingest
from storage.model import Article, Paragraph
from storage.normalise import content_hash, normalise
from storage.queries import list_items, list_runs, source_status
from storage.urls import canonical_url

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "IngestResult",
    "Paragraph",
    "SchemaTooNew",
    "StorageError",
    "canonical_url",
    "content_hash",
    "event_date",
    "finish_run",
    "get_source_state",
    "get_validators",
    "ingest",
    "known_article",
    "known_external_ids",
    "list_items",
    "list_runs",
    "normalise",
    "open_db",
    "record_error",
    "save_validators",
    "set_source_state",
    "source_status",
    "start_run",
]
