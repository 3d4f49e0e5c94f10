"""Opening the database: file mode, pragmas, migrations, version checks, locking."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from storage import Article, Paragraph, ingest
from storage.db import (
    BULK_CACHE_KIB,
    SCHEMA_VERSION,
    SchemaTooNew,
    StorageError,
    open_db,
    tune_for_bulk_writes,
    write_transaction,
)
from storage.migrations import MIGRATIONS


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "nested" / "wirewatch.db"


def test_creates_parent_dirs_and_private_file(path: Path) -> None:
    """A new database file and its parent directories are created; only the owner may read it."""
    open_db(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_wal_sidecar_files_are_private(path: Path) -> None:
    """The WAL file SQLite creates beside the database is as private as the database."""
    db = open_db(path)
    try:
        db.execute("INSERT INTO sources (name, created) VALUES ('s', 'now')")
        wal = path.with_name(path.name + "-wal")
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    finally:
        db.close()


def test_existing_file_mode_is_left_alone(path: Path) -> None:
    """An existing file keeps the mode its owner gave it."""
    path.parent.mkdir(parents=True)
    open_db(path).close()
    path.chmod(0o640)
    open_db(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_pragmas(path: Path) -> None:
    """The connection runs in WAL mode with a busy timeout, NORMAL sync and foreign keys."""
    db = open_db(path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        db.close()


def _temporary_files_open() -> list[str]:
    """The SQLite temporary files this process holds open (unlinked at once, so seen
    only through /proc)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if "etilqs_" in target:
            found.append(target)
    return found


def _article(n: int) -> Article:
    paragraphs = [
        Paragraph(f"On {d % 28 + 1} May, article {n} says item {d} happened in town {n}-{d}.")
        for d in range(20)
    ]
    return Article(source="s", url=f"http://a/{n}", title="t", paragraphs=paragraphs)


def _temporary_files_in_batch(db) -> list[str]:
    """Store articles as the crawl's worker does (one transaction, a savepoint each)
    into a database grown past SQLite's 64 KiB in-memory statement journal; return
    the temporary files open meanwhile."""
    with write_transaction(db):
        for n in range(200):
            ingest(db, _article(n))
    seen = []
    with write_transaction(db):
        for n in range(200, 204):
            with write_transaction(db):
                ingest(db, _article(n))
            seen += _temporary_files_open()
    return seen


def test_nested_writes_roll_back_only_their_own_level(path: Path) -> None:
    """Every level's savepoint has one name: a failure undoes its own level and no more,
    at any depth, and the levels around it still commit."""
    db = open_db(path)
    urls = lambda: {r[0] for r in db.execute("SELECT url FROM articles")}  # noqa: E731
    with write_transaction(db):
        ingest(db, _article(1))
        with write_transaction(db):
            ingest(db, _article(2))
            with pytest.raises(RuntimeError), write_transaction(db):
                ingest(db, _article(3))
                raise RuntimeError("third fails")
            with write_transaction(db):
                ingest(db, _article(4))
        with pytest.raises(RuntimeError), write_transaction(db):
            with write_transaction(db):
                ingest(db, _article(5))
            raise RuntimeError("fifth's outer level fails after its inner one released")
    assert not db.conn.in_transaction
    assert urls() == {_article(n).url for n in (1, 2, 4)}


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_bulk_writes_keep_statement_journals_in_memory(tmp_path: Path) -> None:
    """A worker's connection writes no statement journals to /var/tmp.

    Each savepoint's multi-row statements keep one; as files they cost the worker
    more writes than its WAL (see tune_for_bulk_writes). The untuned connection is
    the control: it does open them, so this test sees them when they are there.
    """
    plain = open_db(tmp_path / "plain.db")
    tuned = open_db(tmp_path / "tuned.db")
    try:
        tune_for_bulk_writes(tuned)
        assert _temporary_files_in_batch(plain) != []
        assert _temporary_files_in_batch(tuned) == []
        assert tuned.execute("SELECT count(*) FROM articles").fetchone()[0] == 204
        # Its page cache holds a store's indexes, not SQLite's default 2 MB.
        assert tuned.execute("PRAGMA cache_size").fetchone()[0] == -BULK_CACHE_KIB
        assert plain.execute("PRAGMA cache_size").fetchone()[0] == -2000
    finally:
        plain.close()
        tuned.close()


def test_migrations_recorded(path: Path) -> None:
    """Every migration is applied and recorded, and user_version is the schema version."""
    db = open_db(path)
    try:
        assert [m.name for m in MIGRATIONS.applied(db)] == [
            "m001_initial",
            "m002_alerts",
            "m003_near_duplicates",
            "m004_daemon",
            "m005_near_duplicate_facts",
        ]
        assert not MIGRATIONS.pending(db)
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert len(MIGRATIONS.applied(db)) == SCHEMA_VERSION
    finally:
        db.close()


def test_schema_tables(path: Path) -> None:
    """The first migration creates the tables the rest of wirewatch relies on."""
    db = open_db(path)
    try:
        names = set(db.table_names())
        assert {
            "sources",
            "articles",
            "article_urls",
            "versions",
            "items",
            "occurrences",
            "runs",
            "run_errors",
            "validators",
            "items_fts",
        } <= names
        assert db.table("items").detect_fts() == "items_fts"
    finally:
        db.close()


def test_reopening_is_idempotent(path: Path) -> None:
    """Opening an existing database again applies nothing twice and keeps its data."""
    db = open_db(path)
    db.execute("INSERT INTO sources (name, created) VALUES ('s', 'now')")
    db.close()
    db = open_db(path)
    try:
        assert len(MIGRATIONS.applied(db)) == SCHEMA_VERSION
        assert db.execute("SELECT name FROM sources").fetchall() == [("s",)]
    finally:
        db.close()


def test_facts_migration_indexes_items_stored_before_it(path: Path) -> None:
    """Items stored at schema 4 get their facts masks, and a later copy still joins them.

    Left at 0, an old item's mask would pass for "no dates, no numbers" and a
    copy stating its date would still find it; a formula twin of it would too.
    """
    from sqlite_utils import Database

    from storage import neardup

    path.parent.mkdir(parents=True)
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m005_near_duplicate_facts")
    text = "On 4 May, the LNA said two drones struck a depot near Sirte; nobody was hurt."
    old.execute(
        "INSERT INTO articles (id, source, url, content_hash, version, first_seen, last_seen,"
        " last_changed) VALUES (1, 's', 'http://a/1', 'h', 1, 'now', 'now', 'now')"
    )
    old.execute(
        "INSERT INTO versions (id, article_id, version, content_hash, fetched_at, paragraphs)"
        " VALUES (1, 1, 1, 'h', 'now', 1)"
    )
    old.execute(
        "INSERT INTO items (id, hash, text, first_article_id, first_version_id, first_seen,"
        " cluster) VALUES (1, 'x', ?, 1, 1, 'now', 1)",
        [text],
    )
    old.execute(
        "INSERT INTO item_bands (item_id, bands) VALUES (1, ?)",
        [neardup.pack_bands(neardup.fingerprint(text).bands)],
    )
    old.conn.commit()
    old.close()
    db = open_db(path)
    try:
        stored = db.execute("SELECT facts FROM item_bands WHERE item_id = 1").fetchone()[0]
        assert stored == neardup.fingerprint(text).facts != 0
        copy = "On 4 May the LNA said that two drones struck a depot near Sirte; no one was hurt."
        twin = "On 9 May, the LNA said two drones struck a depot near Sirte; nobody was hurt."
        assert neardup.find_duplicate(db, neardup.fingerprint(copy)) == 1
        assert neardup.find_duplicate(db, neardup.fingerprint(twin)) is None
    finally:
        db.close()


def test_schema_too_new(path: Path) -> None:
    """A database stamped by a newer wirewatch is refused with SchemaTooNew."""
    db = open_db(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(SchemaTooNew) as info:
        open_db(path)
    assert isinstance(info.value, StorageError)
    assert info.value.found == SCHEMA_VERSION + 1
    assert str(SCHEMA_VERSION + 1) in str(info.value)


def test_memory_database() -> None:
    """The name ":memory:" gives a migrated private database and creates no file."""
    db = open_db(":memory:")
    try:
        assert db.memory
        assert db.table("items").exists()
    finally:
        db.close()
    assert not Path(":memory:").exists()


def test_writer_waits_for_another_writer(path: Path) -> None:
    """Ingest waits for a lock another connection holds instead of failing."""
    open_db(path).close()
    article = Article(source="s", url="https://example.org/a/", title="A",
                      paragraphs=[Paragraph("On 3 March, something happened.")])  # fmt: skip
    errors: list[BaseException] = []

    def write() -> None:
        db = open_db(path)
        try:
            ingest(db, article)
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)
        finally:
            db.close()

    holder = open_db(path)
    try:
        holder.conn.execute("BEGIN IMMEDIATE")
        holder.conn.execute("INSERT INTO sources (name, created) VALUES ('s', 'now')")
        thread = threading.Thread(target=write)
        thread.start()
        time.sleep(0.3)
        holder.conn.execute("COMMIT")
        thread.join()
        assert errors == []
        assert holder.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
    finally:
        holder.close()


def test_opening_a_new_file_waits_for_another_process_switching_it_to_wal(path: Path) -> None:
    """Two processes opening a new file at once both switch it to WAL. The second
    switch meets the first's lock and SQLite refuses it at once, busy timeout or
    not (seen when a crawl's two workers started together); open_db waits instead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # the lock a switch to WAL holds on the way
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        other = sqlite3.connect(path, isolation_level=None, timeout=5)
        try:
            other.execute("PRAGMA journal_mode = wal")  # what open_db met: refused at once
        finally:
            other.close()
    release = threading.Timer(0.3, holder.rollback)
    release.start()
    try:
        db = open_db(path)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.close()
    finally:
        release.join()
        holder.close()
