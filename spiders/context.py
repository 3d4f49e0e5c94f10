"""The state of one crawl of one source: its run row, what is already known, its counts.

The spider owns one; the pipeline and the middlewares reach it through the
spider. All database access of a crawl goes through the one connection here, on
the reactor thread.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

import storage
from wirewatch.config import Source
from wirewatch.logs import mask

logger = logging.getLogger(__name__)

#: Runs in a row an article page must answer 404 or 410 before later runs stop asking
#: for it (until ``--full``): a post deleted but still listed in a sitemap would
#: otherwise fail every run, and every failed run makes the next walk the archive.
GIVE_UP_AFTER = 3


@dataclass
class Counts:
    """What a run did; stored in its row when it ends."""

    pages: int = 0
    not_modified: int = 0
    protected: int = 0  # password-protected posts the API named, skipped
    new_articles: int = 0
    updated_articles: int = 0
    new_items: int = 0
    errors: int = 0


class CrawlContext:
    """One run of one source: known articles, pending validators, counts, errors."""

    def __init__(
        self, db: Database, source: Source, *, full: bool = False, secrets: Sequence[str] = ()
    ) -> None:
        self.db = db
        self.secrets = list(secrets)
        self.source = source
        self.full = full
        # Runs of crawls killed on the way (kill -9, a crash) are closed as interrupted.
        storage.mark_interrupted_runs(db)
        self.resume = self._last_status() not in (None, "ok")
        self.run_id = storage.start_run(db, source.name, full=full, pid=os.getpid(), exclusive=True)
        self.state = storage.get_source_state(db, source.name)
        self.known_ids = storage.known_external_ids(db, source.name)
        self.first_run = not self._has_articles()
        self.counts = Counts()
        self.entry_ok = False
        self.failures: list[str] = []
        self._missing: set[str] = set()  # article pages that answered 404 or 410 this run
        self._validators: dict[str, tuple[str | None, str | None]] = {}

    @property
    def walk_all(self) -> bool:
        """Whether to walk the whole archive: asked for, nothing known yet, or resuming.

        After a run that did not end ``ok`` (killed, failed, pages lost), what is
        stored may have gaps below newer articles, which an incremental run (it
        stops at the first known page, or asks the API only for recent changes)
        would never fill. Walking again fetches only the articles still unknown.
        """
        return self.full or self.first_run or self.resume

    def _last_status(self) -> str | None:
        row = self.db.execute(
            "select status from runs where source = ? order by id desc limit 1",
            [self.source.name],
        ).fetchone()
        return row[0] if row else None

    def _has_articles(self) -> bool:
        row = self.db.execute(
            "select 1 from articles where source = ? limit 1", [self.source.name]
        ).fetchone()
        return row is not None

    def wanted(self, url: str) -> bool:
        """Whether to fetch the article at ``url``: all with ``--full``; else those not
        stored yet, save the ones gone for :data:`GIVE_UP_AFTER` runs in a row."""
        if self.full:
            return True
        canonical = storage.canonical_url(url)
        if storage.known_article(self.db, canonical):
            return False
        return (self.state.get("gone") or {}).get(canonical, 0) < GIVE_UP_AFTER

    def missing(self, url: str) -> None:
        """An article page answered 404 or 410: one more run in a row it was gone."""
        self._missing.add(storage.canonical_url(url))

    def update_state(self, **values: object) -> None:
        self.state.update(values)
        storage.set_source_state(self.db, self.source.name, **values)

    def validators_for(self, url: str) -> tuple[str | None, str | None] | None:
        if self.full:
            return None
        return storage.get_validators(self.db, url)

    def remember_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self._validators[url] = (etag, last_modified)

    def error(self, url: str, kind: str, message: str) -> None:
        """Record a failed page in the run; the crawl goes on."""
        self.counts.errors += 1
        url, message = self._redact(url), self._redact(message)
        logger.warning("%s: %s %s: %s", self.source.name, kind, url, message)
        try:
            storage.record_error(self.db, self.run_id, url, kind, message)
        except sqlite3.Error as exc:  # a full disk: the count still reaches the run row
            logger.error("%s: cannot record the error: %s", self.source.name, exc)

    def entry_failed(self, url: str, message: str) -> None:
        """An entry point (start page, API, feed, sitemap) could not be read."""
        self.failures.append(self._redact(f"{url}: {message}"))
        self.error(url, "entry", message)

    def _redact(self, text: str) -> str:
        """``text`` with the config's ``${ENV}`` values masked before it is stored: a
        source URL may carry a token, and ``status`` shows what runs recorded."""
        return mask(text, self.secrets)

    def stored(self, status: str, new_items: int) -> None:
        """Count one stored article: ``status`` is ingest's new / updated / unchanged."""
        self.counts.new_items += new_items
        if status == "new":
            self.counts.new_articles += 1
        elif status == "updated":
            self.counts.updated_articles += 1

    def finish(self, reason: str, requests: int) -> str:
        """Close the run row; returns its status (ok, partial, failed, interrupted)."""
        self._count_missing()
        status, message = self._outcome(reason)
        if status == "ok":
            # Only a clean run may make the next one skip pages by their validators.
            for url, (etag, modified) in self._validators.items():
                storage.save_validators(self.db, url, etag, modified)
        storage.finish_run(
            self.db,
            self.run_id,
            status=status,
            pages=self.counts.pages,
            requests=requests,
            not_modified=self.counts.not_modified,
            new_articles=self.counts.new_articles,
            updated_articles=self.counts.updated_articles,
            new_items=self.counts.new_items,
            message=message,
        )
        return status

    def _count_missing(self) -> None:
        """Keep count of the runs in a row each missing page was gone.

        A run that walked the archive asked again for every page not given up on (a
        --full run, for those too): a page not missing in it is back, or no longer
        listed, and its count starts again.
        """
        before = self.state.get("gone") or {}
        kept = {
            url: n
            for url, n in before.items()
            if url not in self._missing
            and not self.full
            and (n >= GIVE_UP_AFTER or not self.walk_all)
        }
        gone = kept | {url: before.get(url, 0) + 1 for url in self._missing}
        if gone != before:
            self.update_state(gone=gone)

    def _outcome(self, reason: str) -> tuple[str, str | None]:
        if reason in ("shutdown", "cancelled"):
            return "interrupted", f"stopped before the end ({reason})"
        if not self.entry_ok:
            return "failed", "; ".join(self.failures) or "no entry point could be read"
        notes = ["stopped at max_pages"] if reason == "closespider_pagecount" else []
        if self.counts.protected:
            notes.append(f"{self.counts.protected} password-protected post(s) skipped")
        if self.counts.errors:
            notes.insert(0, f"{self.counts.errors} page(s) failed")
            return "partial", "; ".join(notes)
        return "ok", "; ".join(notes) or None
