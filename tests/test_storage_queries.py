"""Queries: items newest first with their filters and search, runs, per-source status."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlite_utils import Database

from storage import (
    Article,
    Paragraph,
    finish_run,
    ingest,
    list_items,
    list_runs,
    open_db,
    record_error,
    source_status,
    start_run,
    store_mentions,
)

T0 = "2026-03-08T10:00:00+00:00"

DERNA = "On 3 March, the Derna Mujahedeen Shura Council's fighters clashed with the LNA."
ISK = "On 4 March, IS-K claimed an attack in Nangarhar."
SIRTE = "Last week, IS fighters withdrew from Sirte's port."
QUOTE = 'Derna’s mayor said the city was "calm".'


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    db = open_db(tmp_path / "wirewatch.db")
    ingest(db, Article(
        source="alpha", url="https://alpha.example/old/", title="Old update",
        paragraphs=[Paragraph(SIRTE, "IS in Action")], published=date(2016, 2, 20),
    ), now=T0)  # fmt: skip
    ingest(db, Article(
        source="alpha", url="https://alpha.example/new/", title="New update",
        paragraphs=[Paragraph(DERNA, "Other Jihadi Actors"), Paragraph(ISK), Paragraph(QUOTE)],
        published=date(2016, 3, 8),
    ), now=T0)  # fmt: skip
    ingest(db, Article(
        source="beta", url="https://beta.example/copy/", title="Republished",
        paragraphs=[Paragraph(DERNA), Paragraph(SIRTE)], published=date(2016, 3, 12),
    ), now=T0)  # fmt: skip
    yield db
    db.close()


def texts(rows: list[dict]) -> list[str]:
    return [row["text"] for row in rows]


def test_newest_first(db: Database) -> None:
    """Items come by their first article's published date, then by id, newest first."""
    assert texts(list_items(db)) == [QUOTE, ISK, DERNA, SIRTE]


def test_item_fields(db: Database) -> None:
    """Each item carries where it was first seen, its date, section, cluster and appearances."""
    derna = next(row for row in list_items(db) if row["text"] == DERNA)
    assert derna["source"] == "alpha"
    assert derna["url"] == "https://alpha.example/new/"
    assert derna["title"] == "New update"
    assert derna["published"] == "2016-03-08"
    assert derna["event_date"] == "2016-03-03"
    assert derna["section"] == "Other Jihadi Actors"
    assert derna["cluster"] == derna["id"]
    assert derna["appearances"] == 2
    assert derna["mentions"] == []
    assert derna["first_seen"] == T0
    assert len(derna["hash"]) == 64


def test_filter_by_source(db: Database) -> None:
    """source= keeps items that appear in any article of that source."""
    assert texts(list_items(db, source="beta")) == [DERNA, SIRTE]
    assert list_items(db, source="nowhere") == []


def test_filter_since(db: Database) -> None:
    """since= compares the event date where there is one, else the article's date."""
    assert texts(list_items(db, since=date(2016, 3, 4))) == [QUOTE, ISK]
    assert texts(list_items(db, since=date(2016, 2, 21))) == [QUOTE, ISK, DERNA]


def test_filter_cluster_and_limit(db: Database) -> None:
    """cluster= selects one cluster; limit= caps the count, keeping the newest."""
    derna = next(row for row in list_items(db) if row["text"] == DERNA)
    assert texts(list_items(db, cluster=derna["cluster"])) == [DERNA]
    assert texts(list_items(db, limit=2)) == [QUOTE, ISK]


def test_mentions_without_mentions_table(db: Database) -> None:
    """Before the watchlist has stored any mentions, a mentions filter finds nothing."""
    assert list_items(db, mentions="derna") == []


def test_mentions_filter_and_field(db: Database) -> None:
    """With a mentions table, items list their watch ids and can be filtered by one."""
    derna = next(row for row in list_items(db) if row["text"] == DERNA)
    start = DERNA.index("Derna")
    store_mentions(
        db,
        derna["id"],
        [
            SimpleNamespace(watch_id="derna", name="Derna", start=start, end=start + 5),
            SimpleNamespace(watch_id="lna", name="LNA", start=0, end=3),
        ],
    )
    rows = list_items(db, mentions="derna")
    assert texts(rows) == [DERNA]
    assert rows[0]["mentions"] == ["derna", "lna"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Derna", [QUOTE, DERNA]),
        ("\"Derna's", [QUOTE]),
        ("Derna’s mayor", [QUOTE]),
        ("IS-K", [ISK]),
        ("sirte's", [SIRTE]),
        ("council's fighters", [DERNA]),
        ("NOT", []),
        ('"calm"', [QUOTE]),
        ("mujahedeen AND", []),
        ("Nangarhar*", [ISK]),
        ("( Sirte", [SIRTE]),
        ("- : ^", []),
        ("", []),
    ],
)
def test_search_takes_text_literally(db: Database, query: str, expected: list[str]) -> None:
    """Search treats punctuation and FTS operators as plain text and never raises on them."""
    assert texts(list_items(db, search=query)) == expected


def test_search_combines_with_filters(db: Database) -> None:
    """Search and the other filters narrow the same list."""
    assert texts(list_items(db, search="Derna", source="beta")) == [DERNA]


def test_list_runs_newest_first(db: Database) -> None:
    """Runs come newest first, optionally for one source, at most limit of them."""
    ids = [start_run(db, source) for source in ("alpha", "beta", "alpha")]
    db.execute("UPDATE runs SET started = '2026-01-0' || id || 'T00:00:00+00:00'")
    assert [r["id"] for r in list_runs(db)] == ids[::-1]
    assert [r["id"] for r in list_runs(db, source="alpha")] == [ids[2], ids[0]]
    assert len(list_runs(db, limit=1)) == 1


def test_source_status(db: Database) -> None:
    """Each source reports its counts, its latest run and when it last succeeded."""
    ok = start_run(db, "alpha")
    finish_run(db, ok, status="ok", pages=5, new_articles=2, new_items=4)
    failed = start_run(db, "alpha")
    record_error(db, failed, "https://alpha.example/", "http", "503")
    finish_run(db, failed, status="failed", message="site down")
    db.execute("UPDATE runs SET started = '2026-01-0' || id || 'T00:00:00+00:00'")
    start_run(db, "gamma")
    status = {s["name"]: s for s in source_status(db)}
    assert list(status) == ["alpha", "beta", "gamma"]
    alpha = status["alpha"]
    assert (alpha["articles"], alpha["items"]) == (2, 4)
    assert alpha["last_run"]["status"] == "failed"
    assert alpha["last_run"]["errors"] == 1
    assert alpha["last_run"]["message"] == "site down"
    assert alpha["last_ok"] is not None
    assert (status["beta"]["articles"], status["beta"]["items"]) == (1, 2)
    assert status["beta"]["last_run"] is None and status["beta"]["last_ok"] is None
    assert status["gamma"]["last_run"]["status"] == "running"
    assert status["gamma"]["articles"] == 0
