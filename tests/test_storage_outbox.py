"""The alert outbox: one row per subscriber, cluster and channel; its states and retries."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

import storage
from storage import Article, Paragraph
from storage.migrations import MIGRATIONS

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path):
    database = storage.open_db(tmp_path / "ww.db")
    yield database
    database.close()


def new_item(db, text: str = "On 3 March, the LNA struck a depot near Derna.") -> dict:
    stored: list[dict] = []
    storage.ingest(
        db,
        Article(
            source="s", url=f"http://s/{abs(hash(text))}/", title="t", paragraphs=[Paragraph(text)]
        ),
        on_new_item=lambda _db, item: stored.append(item),
    )
    return stored[0]


def queue(db, item, subscriber="desk", channel="c1", due=NOW) -> bool:
    return storage.enqueue(
        db,
        subscriber=subscriber,
        item=item,
        channel=channel,
        channel_label="json://x",
        watch_ids=["derna"],
        due=due.isoformat(timespec="seconds"),
    )


def state(db, row_id: int) -> dict:
    return db.execute("select * from outbox where id = ?", [row_id]).fetchone()


def test_one_row_per_subscriber_cluster_and_channel(db):
    """The same cluster cannot be queued twice for one channel; other channels get their own."""
    item = new_item(db)
    assert queue(db, item) is True
    assert queue(db, item) is False
    assert queue(db, item, channel="c2") is True
    assert queue(db, item, subscriber="other") is True
    assert db.execute("select count(*) from outbox").fetchone()[0] == 3


def test_due_rows_respect_due_and_next_try(db):
    """A row is due once its time has come and any retry wait has passed."""
    item = new_item(db)
    queue(db, item, due=NOW + timedelta(hours=1))
    assert storage.due_rows(db, NOW.isoformat()) == []
    assert len(storage.due_rows(db, (NOW + timedelta(hours=1)).isoformat())) == 1


def test_failure_backs_off_then_fails_after_max_tries(db):
    """Each failure waits longer (capped); after max tries the row is failed and reported."""
    queue(db, new_item(db))
    row_id = storage.list_outbox(db)[0]["id"]
    waits = []
    for _ in range(3):
        storage.claim(db, [row_id], "m")
        failed = storage.mark_failed(
            db,
            [row_id],
            "SMTP down",
            max_tries=3,
            backoff=timedelta(minutes=1),
            cap=timedelta(minutes=3),
            now=NOW,
        )
        row = storage.list_outbox(db)[0]
        if row["state"] == "pending":
            waits.append(datetime.fromisoformat(row["next_try"]) - NOW)
    assert waits == [timedelta(minutes=1), timedelta(minutes=2)]
    assert failed == [row_id]
    row = storage.list_outbox(db)[0]
    assert row["state"] == "failed" and row["last_error"] == "SMTP down" and row["tries"] == 3


def test_reconcile_marks_sending_rows_unknown_and_retry_requeues(db):
    """Rows a dead process left 'sending' become 'unknown', never pending by themselves."""
    queue(db, new_item(db))
    row_id = storage.list_outbox(db)[0]["id"]
    storage.claim(db, [row_id], "m")
    assert storage.reconcile(db) == 1
    row = storage.list_outbox(db)[0]
    assert row["state"] == "unknown" and "not resent" in row["last_error"]
    assert storage.due_rows(db, (NOW + timedelta(days=9)).isoformat()) == []
    assert storage.retry(db) == 1
    assert storage.list_outbox(db)[0]["state"] == "pending"


def test_outbox_rows_roll_back_with_the_item(db):
    """An enqueue inside ingest's transaction is undone when the transaction fails."""

    def enqueue_then_fail(database, item):
        queue(database, item)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        storage.ingest(
            db,
            Article(source="s", url="http://s/x/", title="t", paragraphs=[Paragraph("On 4 May.")]),
            on_new_item=enqueue_then_fail,
        )
    assert db.execute("select count(*) from outbox").fetchone()[0] == 0
    assert db.execute("select count(*) from items").fetchone()[0] == 0


def test_sent_rows_and_messages_counted_for_rate_limits(db):
    """Rows sent in one message count as one message."""
    first, second = new_item(db), new_item(db, "On 5 March, clashes in Sirte.")
    queue(db, first)
    queue(db, second)
    ids = [r["id"] for r in storage.list_outbox(db)]
    storage.claim(db, ids, "one-message")
    storage.mark_sent(db, ids)
    assert len(storage.sent_since(db, "desk", "c1", "2000-01-01")) == 1
    assert storage.outbox_counts(db)["sent"] == 2


def test_version_1_database_is_migrated(tmp_path):
    """A database made before the outbox existed gains it on open, keeping its rows."""
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    MIGRATIONS.apply(old, stop_before="m002_alerts")
    old.execute("PRAGMA user_version = 1")
    old.execute("insert into sources (name, state, created) values ('kept', '{}', '2020-01-01')")
    old.conn.commit()
    old.close()
    db = storage.open_db(path)
    try:
        assert db.table("outbox").exists() and db.table("mentions").exists()
        assert db.execute("select name from sources").fetchall() == [("kept",)]
        assert db.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
    finally:
        db.close()
    with pytest.raises(sqlite3.IntegrityError):
        conn = sqlite3.connect(path)
        try:
            conn.execute(
                "insert into outbox (subscriber, cluster, item_id, channel, channel_label,"
                " watch_ids, due, created, state) values ('a', 1, 1, 'c', 'l', '[]', 'x', 'x',"
                " 'lost')"
            )
        finally:
            conn.close()
