"""Opening the database, and the transactions every write goes through.

Two processes write to one file (the daemon and a crawl child), so the database
runs in WAL mode with a busy timeout, and writers take the write lock up front
(:func:`write_transaction`): a transaction that reads first and writes later
cannot wait for a lock another writer holds; SQLite fails it at once with
"database is locked", whatever the busy timeout.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from storage import neardup
from storage.migrations import MIGRATIONS, SCHEMA_VERSION

# SCHEMA_VERSION lives beside the migrations it counts; it is public from here.
__all__ = [
    "SCHEMA_VERSION",
    "SchemaTooNew",
    "StorageError",
    "open_db",
    "open_problem",
    "tune_for_bulk_writes",
    "write_transaction",
]

#: How long (ms) a writer waits for another's lock before failing; a crawl's
#: ingest and the daemon's outbox writes are short, so this is generous.
BUSY_TIMEOUT_MS = 30_000

#: WAL pages (4 KiB) written before a commit copies them into the database and
#: fsyncs. SQLite's default of 1000 made those checkpoints about a third of
#: ingest's time (bench/ingest.py); 10,000 (a WAL of up to ~40 MB) made ingest
#: about 1.25x faster.
WAL_AUTOCHECKPOINT_PAGES = 10_000

MEMORY = ":memory:"


class StorageError(Exception):
    """Base of the errors this package raises on purpose."""


class SchemaTooNew(StorageError):
    """The database was written by a newer wirewatch; this one must not touch it."""

    def __init__(self, path: str | Path, found: int, known: int) -> None:
        super().__init__(
            f"{path}: database schema version {found} is newer than this wirewatch "
            f"knows ({known}); upgrade wirewatch"
        )
        self.path = path
        self.found = found
        self.known = known


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) the wirewatch database at ``path``, migrated and ready.

    A new file is created readable by its owner only: what it collects, and the
    alert outbox with subscriber addresses, are nobody else's business.
    ``":memory:"`` gives a private in-memory database for tests.

    :raises SchemaTooNew: the file records a schema version newer than this code.
    """
    memory = str(path) == MEMORY
    if not memory:
        _create_private(Path(path))
    db = Database(MEMORY if memory else Path(path))
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        found = _user_version(db)
        if found > SCHEMA_VERSION:
            raise SchemaTooNew(path, found, SCHEMA_VERSION)
        _configure(db)
        _migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def open_problem(path: str | Path, exc: Exception) -> str:
    """Why :func:`open_db` refused ``path``, in one line naming the file once: a
    :class:`SchemaTooNew` names it already, SQLite's own errors ("file is not a
    database") do not."""
    return str(exc) if str(path) in str(exc) else f"{path}: {exc}"


def tune_for_bulk_writes(db: Database) -> None:
    """Keep this connection's statement journals in memory: for a process that stores
    articles all day, not for every connection.

    A crawl's worker stores each article in a savepoint of its batch's transaction,
    and inside one every statement that changes several rows (an executemany, an
    insert that fires a trigger) keeps a statement journal for its own rollback. In
    SQLite's default temp store those are files under /var/tmp: strace of a 500-page
    crawl counted 124,000 page writes to them against 10,000 to the WAL, and 0.6 ms of
    system time an article. Sorts and temporary tables of this connection live in
    memory too, which ingest's small queries can afford.

    Its page cache is :data:`BULK_CACHE_KIB` rather than SQLite's 2 MB. Storing
    touches pages all over a store's indexes (an item's hash lands anywhere in its
    index); with the default cache each was read back from the file when next
    needed, and dirty ones were spilled to the WAL mid-transaction only to be
    written again at commit. strace of storing 2,000 bench articles: 106,600 reads
    and 109,800 writes with 2 MB, 10,800 and 79,100 with 64 MB (16 MB was nearly
    as good at that size; a store grows).
    """
    db.execute("PRAGMA temp_store = MEMORY")
    db.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")


#: The page cache of a connection that stores articles all day, in KiB (SQLite's unit).
BULK_CACHE_KIB = 64 * 1024


def _create_private(path: Path) -> None:
    """Create ``path`` and its parent directories; a new file gets mode 0o600.

    SQLite gives the -wal and -shm files the mode of the database file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, 0o600)  # the umask may have taken bits away; make it exact
    finally:
        os.close(fd)


def _configure(db: Database) -> None:
    """Set the per-connection pragmas; WAL itself persists in the file."""
    _enable_wal(db)  # must not run inside a transaction: open_db is the place
    db.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable except on power loss
    db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    db.execute("PRAGMA foreign_keys = ON")


def _enable_wal(db: Database) -> None:
    """Switch the file to WAL, waiting out another process switching it at once.

    A new file is opened by several processes together (a crawl's runner and its
    workers, the command line beside them). Switching to WAL takes the file's
    exclusive lock, and while another connection holds the write lock (as the other
    switch does on its way) SQLite refuses it at once with "database is locked",
    without calling the busy handler (tried: a ``BEGIN IMMEDIATE`` elsewhere gets that
    answer in no time). The other switch is over within milliseconds, after which
    this one finds WAL already set.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.001
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _user_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def _migrate(db: Database) -> None:
    """Apply pending migrations under the write lock, then record the schema version.

    Holding the lock makes two processes opening a new file at once take turns:
    the second finds nothing pending. (A future migration registered with
    ``transactional=False``, such as a VACUUM, would need to run outside it.)
    """
    if not MIGRATIONS.pending(db) and _user_version(db) == SCHEMA_VERSION:
        return
    with write_transaction(db):
        MIGRATIONS.apply(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


_SAVEPOINT = "wirewatch_write"


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Like ``db.atomic()``, but starting with ``BEGIN IMMEDIATE``.

    Taking the write lock before the first read makes a concurrent writer wait
    (up to the busy timeout) instead of failing. Inside an open transaction it
    nests as a savepoint, exactly as ``db.atomic()`` does.
    """
    mark = neardup.read_mark(db.conn)
    conn = db.conn
    if conn.in_transaction:
        # One name for every level: SQLite's savepoints stack, and RELEASE or ROLLBACK TO
        # take the newest of a name. db.atomic() names each with 16 random bytes: a read
        # of os.urandom and a statement compiled afresh for every article a batch stores.
        conn.execute(f"SAVEPOINT {_SAVEPOINT}")
        try:
            yield db
        except BaseException:
            # A RAISE(ROLLBACK) trigger can have ended the whole transaction, savepoints and all.
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
                conn.execute(f"RELEASE SAVEPOINT {_SAVEPOINT}")
            neardup.forget_after(conn, mark)  # its index may hold what was rolled back
            raise
        conn.execute(f"RELEASE SAVEPOINT {_SAVEPOINT}")
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        neardup.forget_after(db.conn, mark)
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()
        neardup.forget_after(db.conn, mark)
        raise
