"""What a crawl needs to remember between runs, and the record of each run.

A crawl resumes from the database alone: runs and their errors, the HTTP
validators (ETag / Last-Modified) per URL, the articles and external ids already
known, and a free-form JSON state per source (discovered endpoints, cursors).
"""

from __future__ import annotations

import json
import os
from typing import Any

from sqlite_utils import Database

from storage.db import StorageError, write_transaction
from storage.times import utcnow_iso
from storage.urls import canonical_url

#: How a run can end (``partial``: some pages failed); ``running`` is the state while it lasts.
RUN_STATUSES = frozenset({"running", "ok", "partial", "failed", "interrupted", "timeout"})


class SourceBusy(StorageError):
    """Another live process is crawling the source; the message names its run."""


def start_run(
    db: Database,
    source: str,
    *,
    full: bool = False,
    pid: int | None = None,
    exclusive: bool = False,
) -> int:
    """Record that a crawl of ``source`` has started and return the run id.

    With ``exclusive``, refuse (:class:`SourceBusy`) while another live process has a
    run of the source open: a crawl run by hand while the daemon crawls the same
    source would fetch every page twice. The check and the new row share the write
    lock, so of two crawls starting together exactly one goes ahead.
    """
    with write_transaction(db):
        if exclusive and (other := live_run(db, source, besides=pid)):
            raise SourceBusy(
                f"source {source!r} is being crawled by process {other['pid']}"
                f" (run {other['id']}, since {other['started']})"
            )
        cursor = db.execute(
            "INSERT INTO runs (source, started, status, full, pid) VALUES (?, ?, 'running', ?, ?)",
            (source, utcnow_iso(), int(full), pid),
        )
    return cursor.lastrowid  # type: ignore[return-value]


def finish_run(
    db: Database,
    run_id: int,
    *,
    status: str,
    pages: int = 0,
    requests: int = 0,
    not_modified: int = 0,
    new_articles: int = 0,
    updated_articles: int = 0,
    new_items: int = 0,
    message: str | None = None,
) -> None:
    """Record how run ``run_id`` ended, with its counters.

    :raises ValueError: ``status`` is not one of :data:`RUN_STATUSES` (or is ``running``).
    """
    if status not in RUN_STATUSES - {"running"}:
        raise ValueError(f"not a final run status: {status!r}")
    with write_transaction(db):
        db.execute(
            "UPDATE runs SET finished = ?, status = ?, pages = ?, requests = ?,"
            " not_modified = ?, new_articles = ?, updated_articles = ?, new_items = ?,"
            " message = ? WHERE id = ?",
            (
                utcnow_iso(),
                status,
                pages,
                requests,
                not_modified,
                new_articles,
                updated_articles,
                new_items,
                message,
                run_id,
            ),
        )


def record_error(db: Database, run_id: int, url: str | None, kind: str, message: str) -> None:
    """Record one error of run ``run_id`` (a failed page, a parse error) and count it."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO run_errors (run_id, url, kind, message, at) VALUES (?, ?, ?, ?, ?)",
            (run_id, url, kind, message, utcnow_iso()),
        )
        db.execute("UPDATE runs SET errors = errors + 1 WHERE id = ?", (run_id,))


def live_run(db: Database, source: str, *, besides: int | None = None) -> dict[str, Any] | None:
    """The open run of ``source`` whose process still exists (other than ``besides``)."""
    rows = db.execute(
        "SELECT id, pid, started FROM runs WHERE source = ? AND status = 'running' ORDER BY id",
        (source,),
    ).fetchall()
    for run_id, pid, started in rows:
        if pid != besides and _alive(pid):
            return {"id": run_id, "pid": pid, "started": started}
    return None


def mark_interrupted_runs(db: Database, *, keep_live: bool = True) -> int:
    """Mark runs left ``running`` by a killed process as ``interrupted``; return how many.

    With ``keep_live`` (the default), a run whose process still exists on this host
    is left alone: it may be a crawl child that is still working.
    """
    with write_transaction(db):
        rows = db.execute("SELECT id, pid FROM runs WHERE status = 'running'").fetchall()
        dead = [run_id for run_id, pid in rows if not (keep_live and _alive(pid))]
        now = utcnow_iso()
        db.conn.executemany(
            "UPDATE runs SET status = 'interrupted', finished = ? WHERE id = ?",
            [(now, run_id) for run_id in dead],
        )
    return len(dead)


def _alive(pid: int | None) -> bool:
    """Tell whether process ``pid`` runs (a reused pid counts: we cannot tell).

    A zombie does not: a crawl killed with its parent stays one until something
    reaps it, which in a container whose init reaps nothing is never.
    """
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        pass
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] == b"Z"
    except (OSError, IndexError):  # no /proc here, or the process just went
        return False


def get_validators(db: Database, url: str) -> tuple[str | None, str | None] | None:
    """Return ``(etag, last_modified)`` last saved for ``url``, or None if never saved.

    Validators belong to the exact URL requested, so ``url`` is not canonicalised.
    """
    row = db.execute("SELECT etag, last_modified FROM validators WHERE url = ?", (url,)).fetchone()
    return (row[0], row[1]) if row else None


def save_validators(db: Database, url: str, etag: str | None, last_modified: str | None) -> None:
    """Save the validators a response for ``url`` carried, replacing earlier ones."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO validators (url, etag, last_modified, checked) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
            " last_modified = excluded.last_modified, checked = excluded.checked",
            (url, etag, last_modified, utcnow_iso()),
        )


def known_article(db: Database, url: str) -> bool:
    """Tell whether ``url`` (canonicalised) is an article's URL or one of its aliases."""
    url = canonical_url(url)
    row = db.execute(
        "SELECT EXISTS (SELECT 1 FROM articles WHERE url = ?1)"
        " OR EXISTS (SELECT 1 FROM article_urls WHERE url = ?1)",
        (url,),
    ).fetchone()
    return bool(row[0])


def known_external_ids(db: Database, source: str) -> dict[str, str | None]:
    """Return ``{external_id: modified}`` for the articles of ``source`` that have an id.

    A crawl compares a listing's modified dates with these to fetch only what changed.
    """
    return dict(
        db.execute(
            "SELECT external_id, modified FROM articles"
            " WHERE source = ? AND external_id IS NOT NULL",
            (source,),
        ).fetchall()
    )


def get_source_state(db: Database, name: str) -> dict[str, Any]:
    """Return the JSON state saved for source ``name`` (empty if none)."""
    row = db.execute("SELECT state FROM sources WHERE name = ?", (name,)).fetchone()
    return json.loads(row[0]) if row else {}


def set_source_state(db: Database, name: str, **values: Any) -> None:
    """Merge ``values`` into the state of source ``name`` (top-level keys replaced).

    :raises TypeError: a value is not JSON-serialisable.
    """
    with write_transaction(db):
        state = get_source_state(db, name)
        state.update(values)
        db.execute(
            "INSERT INTO sources (name, state, created) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET state = excluded.state",
            (name, json.dumps(state, ensure_ascii=False, sort_keys=True), utcnow_iso()),
        )
