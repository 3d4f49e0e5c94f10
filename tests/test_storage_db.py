"""Opening the database: file mode, pragmas, migrations, version checks, locking."""

from __future__ import annotations

import stat
import threading
import time
from pathlib import Path

import pytest

from storage import Article, Paragraph, ingest
from storage.db import SCHEMA_VERSION, SchemaTooNew, StorageError, open_db
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


def test_migrations_recorded(path: Path) -> None:
    """Every migration is applied and recorded, and user_version is the schema version."""
    db = open_db(path)
    try:
        assert [m.name for m in MIGRATIONS.applied(db)] == [
            "m001_initial",
            "m002_alerts",
            "m003_near_duplicates",
            "m004_daemon",
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
