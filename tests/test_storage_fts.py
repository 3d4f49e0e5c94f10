"""The search index: batched, complete before a search, and correct after edits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage import Article, Paragraph, ingest, list_items, open_db
from storage.fts import (
    SEARCH_INDEX_BATCH,
    fts_phrases,
    rebuild_search_index,
    update_search_index,
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    db = open_db(tmp_path / "wirewatch.db")
    yield db
    db.close()


def article(n: int, *texts: str) -> Article:
    return Article(source="s", url=f"https://s.example/{n}/", title=None,
                   paragraphs=[Paragraph(t) for t in texts])  # fmt: skip


def fts_ids(db: Database, word: str) -> list[int]:
    sql = "SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid"
    return [r[0] for r in db.execute(sql, [word]).fetchall()]


def pending(db: Database) -> int:
    return db.execute("SELECT COUNT(*) FROM items_fts_pending").fetchone()[0]


def test_new_items_wait_then_get_indexed(db: Database) -> None:
    """New items queue for the index and update_search_index indexes them all."""
    ingest(db, article(1, "Clashes in Derna.", "Calm in Misrata."))
    assert pending(db) == 2 and fts_ids(db, "derna") == []
    assert update_search_index(db) == 2
    assert pending(db) == 0 and fts_ids(db, "derna") == [1]
    assert update_search_index(db) == 0


def test_ingest_indexes_a_full_batch(db: Database) -> None:
    """Ingest indexes the queue itself once a batch is waiting, so the queue stays short."""
    for n in range(SEARCH_INDEX_BATCH // 2 + 1):
        ingest(db, article(n, f"Report {n} from Derna.", f"Report {n} from Sirte."))
    assert pending(db) < SEARCH_INDEX_BATCH
    assert len(fts_ids(db, "derna")) >= SEARCH_INDEX_BATCH // 2


def test_edit_of_indexed_item_is_reindexed(db: Database) -> None:
    """Changing an indexed item's text replaces it in the index after the next update."""
    ingest(db, article(1, "Clashes in Derna."))
    update_search_index(db)
    db.execute("UPDATE items SET text = 'Clashes in Sirte.' WHERE id = 1")
    assert fts_ids(db, "derna") == []
    update_search_index(db)
    assert fts_ids(db, "sirte") == [1]
    db.execute("INSERT INTO items_fts(items_fts) VALUES('integrity-check')")


def test_delete_of_pending_and_indexed_items(db: Database) -> None:
    """Deleting items, indexed or not, leaves neither the index nor the queue pointing at them."""
    ingest(db, article(1, "Clashes in Derna."))
    update_search_index(db)
    ingest(db, article(2, "More clashes in Derna."))
    db.execute("DELETE FROM occurrences")
    db.execute("DELETE FROM items")
    assert pending(db) == 0
    update_search_index(db)
    assert fts_ids(db, "derna") == []
    db.execute("INSERT INTO items_fts(items_fts) VALUES('integrity-check')")


def test_cluster_update_does_not_touch_index(db: Database) -> None:
    """Merging clusters (an UPDATE of other columns) neither queues nor re-indexes the item."""
    ingest(db, article(1, "Clashes in Derna.", "Clashes near Derna."))
    update_search_index(db)
    db.execute("UPDATE items SET cluster = 1")
    assert pending(db) == 0
    assert list_items(db, search="derna", cluster=1)[0]["cluster"] == 1


def test_rebuild_covers_pending_items_once(db: Database) -> None:
    """A rebuild indexes every item, pending ones included, and leaves nothing to index twice."""
    ingest(db, article(1, "Clashes in Derna."))
    update_search_index(db)
    ingest(db, article(2, "More clashes in Derna."))
    rebuild_search_index(db)
    assert pending(db) == 0 and fts_ids(db, "derna") == [1, 2]
    assert update_search_index(db) == 0
    db.execute("INSERT INTO items_fts(items_fts) VALUES('integrity-check')")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Derna", '"Derna"'),
        ("\"Derna's", '"""Derna\'s"'),
        ("IS-K NOT", '"IS-K" "NOT"'),
        ("- ( *", ""),
    ],
)
def test_fts_phrases(text: str, expected: str) -> None:
    """Every word is quoted as an FTS5 string; punctuation-only words are dropped."""
    assert fts_phrases(text) == expected
