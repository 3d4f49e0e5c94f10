"""Ingest: each article stored once, each paragraph once, all of it or nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from storage import Article, Paragraph, ingest, known_article, list_items, open_db

T0 = "2026-03-08T10:00:00+00:00"
T1 = "2026-03-09T10:00:00+00:00"

PARAS = [
    Paragraph("On 3 March, the LNA said its aircraft struck a depot near Ubari.", "IS in Action"),
    Paragraph("On 4 March, IS fighters attacked a checkpoint south of Sirte.", "IS in Action"),
    Paragraph("Last week, the GNA met in Tripoli.", "Politics"),
]


def make(**changes: Any) -> Article:
    base = Article(
        source="libya-analysis",
        url="https://libya-analysis.example/2016/03/weekly-update/",
        title="Weekly update",
        paragraphs=list(PARAS),
        published=date(2016, 3, 8),
        external_id="wp:101",
    )
    return replace(base, **changes)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    db = open_db(tmp_path / "wirewatch.db")
    yield db
    db.close()


def count(db: Database, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_new_article(db: Database) -> None:
    """A first article is stored as version 1 with one item and occurrence per paragraph."""
    result = ingest(db, make(), now=T0)
    assert (result.status, result.version, result.linked_items) == ("new", 1, 0)
    assert len(result.new_item_ids) == 3
    assert (count(db, "articles"), count(db, "versions"), count(db, "items")) == (1, 1, 3)
    sections = db.execute("SELECT section FROM occurrences ORDER BY position").fetchall()
    assert sections == [("IS in Action",), ("IS in Action",), ("Politics",)]


def test_item_rows(db: Database) -> None:
    """Items carry their event date, first article and version, and their own id as cluster."""
    result = ingest(db, make(), now=T0)
    rows = list(db.query("SELECT * FROM items ORDER BY id"))
    assert [r["event_date"] for r in rows] == ["2016-03-03", "2016-03-04", None]
    assert all(r["cluster"] == r["id"] for r in rows)
    assert {r["first_article_id"] for r in rows} == {result.article_id}
    assert {r["first_seen"] for r in rows} == {T0}


def test_event_dates_take_their_year_from_the_modified_date_when_no_published(
    db: Database,
) -> None:
    """A theme that prints no date still has the API's or the page's modified time."""
    modified = datetime(2017, 1, 4, 9, 0, tzinfo=UTC)
    paras = [Paragraph("On 30 December, gunmen fired on a patrol near Sabha.", None)]
    ingest(db, make(paragraphs=paras, published=None, modified=modified), now=T0)
    assert [r["event_date"] for r in db.query("SELECT event_date FROM items")] == ["2016-12-30"]
    ingest(
        db,
        make(
            url="https://x.example/b/",
            paragraphs=[Paragraph("On 2 May, a raid.", None)],
            published=None,
            modified=None,
            external_id="wp:102",
        ),
        now=T0,
    )
    rows = list(db.query("SELECT event_date FROM items ORDER BY id"))
    assert [r["event_date"] for r in rows] == ["2016-12-30", None]


def test_same_article_twice_is_unchanged(db: Database) -> None:
    """Ingesting the same article again stores nothing new and only updates last_seen."""
    first = ingest(db, make(), now=T0)
    again = ingest(db, make(), now=T1)
    assert (again.status, again.article_id, again.version) == ("unchanged", first.article_id, 1)
    assert again.new_item_ids == []
    assert (count(db, "articles"), count(db, "versions"), count(db, "items")) == (1, 1, 3)
    assert count(db, "occurrences") == 3
    row = db.execute("SELECT last_seen, last_changed FROM articles").fetchone()
    assert row == (T1, T0)


def test_tracking_params_and_moved_permalink_make_one_article(db: Database) -> None:
    """The same post under ?utm_source= and under a new permalink with its id is one article."""
    first = ingest(db, make(), now=T0)
    tracked = make(url="https://libya-analysis.example/2016/03/weekly-update/?utm_source=x")
    moved = make(url="https://libya-analysis.example/2016/03/weekly-update-2/")
    assert ingest(db, tracked, now=T1).article_id == first.article_id
    assert ingest(db, moved, now=T1).article_id == first.article_id
    assert count(db, "articles") == 1
    assert db.execute("SELECT url FROM articles").fetchone()[0] == moved.url
    assert db.execute("SELECT url FROM article_urls").fetchall() == [(make().url,)]
    assert known_article(db, tracked.url) and known_article(db, moved.url)


def test_old_permalink_does_not_move_article_back(db: Database) -> None:
    """Crawling an old permalink again keeps the article at its newest URL."""
    ingest(db, make(), now=T0)
    moved = make(url="https://libya-analysis.example/new-slug/")
    ingest(db, moved, now=T0)
    ingest(db, make(), now=T1)
    assert db.execute("SELECT url FROM articles").fetchall() == [(moved.url,)]


def test_guid_churn_matches_by_content(db: Database) -> None:
    """Same source and body under a new URL and a new id is the same article."""
    first = ingest(db, make(), now=T0)
    churned = make(url="https://libya-analysis.example/?p=101", external_id="guid:other")
    assert ingest(db, churned, now=T1).article_id == first.article_id
    assert count(db, "articles") == 1


def test_fetched_url_becomes_alias(db: Database) -> None:
    """The URL that was fetched, when it differs from the canonical one, is recorded."""
    article = make(fetched_url="https://libya-analysis.example/?p=101&utm_medium=rss")
    ingest(db, article, now=T0)
    assert db.execute("SELECT url FROM article_urls").fetchall() == [
        ("https://libya-analysis.example/?p=101",)
    ]


def test_empty_articles_do_not_merge(db: Database) -> None:
    """Two articles without text are not taken for copies of each other."""
    a = ingest(db, make(paragraphs=[], external_id=None), now=T0)
    b = ingest(db, make(url="https://libya-analysis.example/b/", paragraphs=[], external_id=None))
    assert a.article_id != b.article_id


def test_edited_article_gets_new_version(db: Database) -> None:
    """An edit makes version 2, reusing unchanged items and adding only the changed one."""
    first = ingest(db, make(), now=T0)
    edited_text = "On 4 March, IS fighters attacked two checkpoints south of Sirte."
    edited = make(paragraphs=[PARAS[0], Paragraph(edited_text, "IS in Action"), PARAS[2]])
    result = ingest(db, edited, now=T1)
    assert (result.status, result.version, result.linked_items) == ("updated", 2, 2)
    assert len(result.new_item_ids) == 1
    assert count(db, "items") == 4
    v2_items = db.execute(
        "SELECT o.item_id FROM occurrences o JOIN versions v ON v.id = o.version_id"
        " WHERE v.version = 2 ORDER BY o.position"
    ).fetchall()
    kept = first.new_item_ids
    assert [r[0] for r in v2_items] == [kept[0], result.new_item_ids[0], kept[2]]
    article = db.execute("SELECT version, last_changed FROM articles").fetchone()
    assert article == (2, T1)


def test_title_only_change_is_not_a_version(db: Database) -> None:
    """A new title alone updates the title but makes no new version."""
    ingest(db, make(), now=T0)
    result = ingest(db, make(title="Weekly update: 1-7 March"), now=T1)
    assert (result.status, result.version) == ("unchanged", 1)
    assert db.execute("SELECT title FROM articles").fetchone()[0] == "Weekly update: 1-7 March"


def test_missing_metadata_is_filled_not_overwritten(db: Database) -> None:
    """A later copy fills metadata the stored article lacked and keeps what it had."""
    ingest(db, make(author=None, published=None, tags=["libya"]), now=T0)
    ingest(db, make(author="A. Writer", published=date(2016, 3, 9), tags=["other"]), now=T1)
    row = db.execute("SELECT author, published, tags FROM articles").fetchone()
    assert row == ("A. Writer", "2016-03-09", '["libya"]')


def test_shared_paragraph_is_one_item(db: Database) -> None:
    """A paragraph republished by another site is one item with two occurrences."""
    first = ingest(db, make(), now=T0)
    copy = Article(
        source="republisher",
        url="https://republisher.example/libya-update/",
        title=None,
        paragraphs=[PARAS[1], Paragraph("Comments are welcome.")],
        published=date(2016, 3, 10),
    )
    result = ingest(db, copy, now=T1)
    assert result.status == "new" and result.article_id != first.article_id
    assert result.linked_items == 1 and len(result.new_item_ids) == 1
    sql = "SELECT COUNT(*) FROM occurrences WHERE item_id = ?"
    assert db.execute(sql, [first.new_item_ids[1]]).fetchone()[0] == 2


def test_same_body_in_another_source_is_another_article(db: Database) -> None:
    """Matching by content stays within one source; another site's copy is its own article."""
    first = ingest(db, make(), now=T0)
    copy = make(source="republisher", url="https://republisher.example/x/", external_id=None)
    result = ingest(db, copy, now=T1)
    assert result.article_id != first.article_id
    assert (result.new_item_ids, result.linked_items) == ([], 3)


def test_typographic_copies_are_one_item(db: Database) -> None:
    """Curly quotes, entities, non-breaking spaces and case do not make new items."""
    ingest(db, make(paragraphs=[Paragraph('Derna\'s council said "no" to the LNA.')]), now=T0)
    variants = [
        "Derna’s council said “no” to the LNA.",
        "Derna&#8217;s council said &quot;no&quot; to the LNA.",
        'Derna\'s\u00a0council said "no" to\u00a0the LNA.',
        'DERNA\'S COUNCIL SAID "NO" TO THE LNA.',
    ]
    for n, text in enumerate(variants):
        article = make(
            source="copy", url=f"https://copy.example/{n}/", paragraphs=[Paragraph(text)]
        )
        assert ingest(db, article, now=T1).new_item_ids == []
    assert count(db, "items") == 1


def test_acronym_swap_is_a_new_item(db: Database) -> None:
    """'IS' and 'ISIS' versions of a sentence are different items (near-duplicates come later)."""
    ingest(db, make(paragraphs=[Paragraph("IS fighters attacked Sirte.")]), now=T0)
    swapped = [Paragraph("ISIS fighters attacked Sirte.")]
    copy = make(source="copy", url="https://copy.example/", paragraphs=swapped)
    assert len(ingest(db, copy, now=T1).new_item_ids) == 1


def test_repeated_paragraph_within_article(db: Database) -> None:
    """A paragraph repeated inside one article is one item with an occurrence per position."""
    result = ingest(db, make(paragraphs=[PARAS[0], PARAS[1], PARAS[0]]), now=T0)
    assert len(result.new_item_ids) == 2
    assert count(db, "occurrences") == 3


def test_empty_paragraphs_are_skipped(db: Database) -> None:
    """Paragraphs with no text after normalising make no item and take no position."""
    paras = [Paragraph(" "), PARAS[0], Paragraph("\u00a0\u200b"), PARAS[1]]
    ingest(db, make(paragraphs=paras), now=T0)
    positions = db.execute("SELECT position FROM occurrences ORDER BY position").fetchall()
    assert positions == [(0,), (1,)]


def test_on_new_item_sees_each_new_item(db: Database) -> None:
    """on_new_item is called once per new item, with its row, inside the transaction."""
    seen: list[dict[str, Any]] = []

    def hook(conn_db: Database, row: dict[str, Any]) -> None:
        assert conn_db.conn.in_transaction
        seen.append(row)

    first = ingest(db, make(), on_new_item=hook, now=T0)
    assert [row["id"] for row in seen] == first.new_item_ids
    assert seen[0]["text"] == PARAS[0].text and seen[0]["event_date"] == "2016-03-03"
    assert set(seen[0]) >= {"id", "hash", "text", "event_date", "cluster", "first_article_id"}
    seen.clear()
    ingest(db, make(), on_new_item=hook, now=T1)
    assert seen == []


def test_failure_in_on_new_item_rolls_back_everything(db: Database) -> None:
    """An error raised by on_new_item leaves no trace of the article, even its own writes."""

    def hook(conn_db: Database, row: dict[str, Any]) -> None:
        conn_db.execute("INSERT INTO sources (name, created) VALUES ('hook', 'now')")
        raise RuntimeError("alert routing failed")

    with pytest.raises(RuntimeError, match="alert routing failed"):
        ingest(db, make(fetched_url="https://libya-analysis.example/?p=101"), on_new_item=hook)
    for table in ("articles", "article_urls", "versions", "items", "occurrences", "sources"):
        assert count(db, table) == 0, table
    assert not db.conn.in_transaction


def test_failed_update_keeps_previous_version(db: Database) -> None:
    """A failed ingest of an edit leaves the stored article exactly as it was."""
    ingest(db, make(), now=T0)

    def hook(conn_db: Database, row: dict[str, Any]) -> None:
        raise RuntimeError("boom")

    edited = make(paragraphs=[*PARAS, Paragraph("A new development.")])
    with pytest.raises(RuntimeError):
        ingest(db, edited, on_new_item=hook, now=T1)
    assert db.execute("SELECT version, last_seen FROM articles").fetchone() == (1, T0)
    assert (count(db, "versions"), count(db, "items")) == (1, 3)


def test_killed_process_leaves_nothing(tmp_path: Path) -> None:
    """A process killed in the middle of an ingest leaves the database without that article."""
    path = tmp_path / "wirewatch.db"
    open_db(path).close()
    script = textwrap.dedent(f"""
        import os
        from storage import Article, Paragraph, ingest, open_db
        db = open_db({str(path)!r})
        article = Article(source="s", url="https://example.org/a/", title="A",
                          paragraphs=[Paragraph("One."), Paragraph("Two.")])
        ingest(db, article, on_new_item=lambda db, row: os._exit(3))
    """)
    done = subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    assert done.returncode == 3
    db = open_db(path)
    try:
        for table in ("articles", "versions", "items", "occurrences"):
            assert count(db, table) == 0, table
        assert ingest(db, make(), now=T0).status == "new"
    finally:
        db.close()


def test_items_are_searchable_after_ingest(db: Database) -> None:
    """Items are found by search right after ingest, before any batch indexing ran."""
    ingest(db, make(), now=T0)
    assert [i["text"] for i in list_items(db, search="checkpoint")] == [PARAS[1].text]


def _stored(db: Database) -> tuple[list, list]:
    items = db.execute(
        "SELECT id, hash, text, event_date, cluster, dup_of FROM items ORDER BY id"
    ).fetchall()
    bands = db.execute("SELECT item_id, bands, facts FROM item_bands ORDER BY item_id").fetchall()
    return items, bands


@pytest.mark.parametrize("fingerprints", [True, False])
def test_a_prepared_article_is_stored_as_ingest_would_store_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fingerprints: bool
) -> None:
    """A crawl process prepares the articles it extracts, with or without fingerprints,
    and pickles them across: what is stored must not depend on which process did
    which part, and nothing prepared is worked out again."""
    import importlib
    import pickle

    from storage import neardup, prepare

    ingest_module = importlib.import_module("storage.ingest")  # the module, not the function
    work_out = neardup.fingerprints

    def hashed_again(article) -> tuple:
        raise AssertionError("a prepared article's paragraphs were hashed again")

    def fingerprinted_again(texts: list[str]) -> list:
        if texts and fingerprints:
            raise AssertionError("a prepared article's fingerprints were worked out again")
        return work_out(texts)

    def canonicalised_again(url: str) -> str:
        raise AssertionError("a prepared article's URLs were canonicalised again")

    copy = make(
        source="republisher",
        url="https://republisher.example/libya-update/",
        external_id=None,
        paragraphs=[
            Paragraph("On 3 March, the LNA said its aircraft had struck a depot near Ubari."),
            Paragraph("On 4 March, ISIS fighters attacked a checkpoint south of Sirte."),
            Paragraph("On 4 March, ISIS fighters attacked a checkpoint south of Sirte."),
            Paragraph("Subscribe to our newsletter."),
        ],
    )
    plain, ahead = open_db(tmp_path / "plain.db"), open_db(tmp_path / "ahead.db")
    try:
        for article in (make(), copy):
            ingest(plain, replace(article), now=T0)
            prepared = prepare(replace(article), fingerprints=fingerprints)
            shipped = pickle.loads(pickle.dumps(prepared))
            assert bool(shipped.prepared.fingerprints) == fingerprints
            # Its paragraphs cross as plain tuples and arrive as they left.
            assert shipped.prepared.paras == prepared.prepared.paras
            assert {type(p) for p in shipped.prepared.paras} == {ingest_module._Para}
            assert shipped.prepared.paras[0].hash == prepared.prepared.paras[0].hash
            with monkeypatch.context() as patch:
                patch.setattr(ingest_module, "_paragraphs", hashed_again)
                patch.setattr(neardup, "fingerprints", fingerprinted_again)
                patch.setattr(ingest_module, "canonical_url", canonicalised_again)
                ingest(ahead, shipped, now=T0)
        assert ingest_module._paragraphs is not hashed_again
        assert _stored(ahead) == _stored(plain)
        items, _ = _stored(plain)
        assert [row[5] for row in items] == [None, None, None, 1, 2, None]  # copies found
    finally:
        plain.close()
        ahead.close()


def test_a_prepared_article_whose_url_changed_is_stored_under_the_new_one(db: Database) -> None:
    """The canonical URLs worked out by prepare are used only for the URLs they came from."""
    from storage import prepare

    article = prepare(make(url="https://site.example/update-a/?utm_source=feed"))
    article.url = "https://SITE.example/update-b/?utm_medium=x#top"
    ingest(db, article, now=T0)
    assert db.execute("SELECT url FROM articles").fetchall() == [
        ("https://site.example/update-b/",)
    ]
