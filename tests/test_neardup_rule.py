"""Parts of the near-duplicate rule that the labelled set exercises only through defaults."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.neardup import event_key, facts_mask, is_near_duplicate, use_gazetteer

JUFRA = "On 2 May, IS fighters attacked a pumping station near Jufra, killing two guards."
JAFARA = "On 2 May, IS fighters attacked a pumping station near Jafara, killing two guards."


@pytest.fixture
def no_gazetteer() -> Iterator[None]:
    use_gazetteer({})
    yield
    use_gazetteer({})


def test_gazetteer_tells_apart_what_letters_cannot(no_gazetteer: None) -> None:
    """Jufra and Jafara share their consonants; two watches listing them keep them apart."""
    assert is_near_duplicate(JAFARA, JUFRA)  # the letters alone cannot tell
    use_gazetteer({"jufra": ["Jufra", "al-Jufrah"], "jafara": ["Jafara", "Jefara"]})
    assert not is_near_duplicate(JAFARA, JUFRA)


def test_gazetteer_joins_spellings_no_rule_matches(no_gazetteer: None) -> None:
    """Tobruk and Tubruq differ in k and q; one watch listing both makes them one place."""
    original = "On 9 May, the HoR met in Tobruk to debate the budget for a second day."
    copy = "On 9 May, the HoR met in Tubruq to debate the budget for a second day."
    assert not is_near_duplicate(copy, original)
    use_gazetteer({"tobruk": ["Tobruk", "Tubruq", "طبرق"]})
    assert is_near_duplicate(copy, original)


def test_short_skeletons_need_the_same_first_letter(no_gazetteer: None) -> None:
    """Two consonants say little: Omar and Amr are two people; Sebha and Sabha one town."""
    assert not is_near_duplicate(
        "On 4 May, the GNA appointed Amr Saleh as head of the guard.",
        "On 4 May, the GNA appointed Omar Saleh as head of the guard.",
    )
    assert is_near_duplicate(
        "On 4 May, clashes broke out in Sabha between two tribal militias.",
        "On 4 May, clashes broke out in Sebha between two tribal militias.",
    )


@pytest.mark.parametrize(
    ("text", "anchors"),
    [
        ("Last week, the LNA shelled Derna.", {(0, 1)}),
        ("On Tuesday, the LNA shelled Derna.", {(0, 13)}),
        ("The LNA shelled Derna, the first time since November.", {(11, 0)}),
        ("On 3 May, the LNA shelled Derna; it may do so again.", {(5, 3)}),
    ],
)
def test_time_anchors_are_facts(text: str, anchors: set[tuple[int, int]]) -> None:
    assert event_key(text).dates == anchors


def test_directions_and_no_one_in_numbers() -> None:
    key = event_key("Two militants were killed 40km southwest of Sirte; no one else was hurt.")
    assert key.numbers == {"2", "40", "~southwest"}


def test_facts_masks_follow_set_relations() -> None:
    """Equal facts give equal masks and a subset a sub-mask: the index relies on it."""
    whole = event_key("On 3 May, two drones struck 40km west of Sirte.")
    part = event_key("On 3 May, drones struck near Sirte.")
    other = event_key("On 6 May, two drones struck 40km west of Sirte.")
    assert facts_mask(part) & ~facts_mask(whole) == 0
    assert facts_mask(other) & ~facts_mask(whole) != 0


def _store(db, url: str, *texts: str) -> list[int]:
    from storage import Article, Paragraph, ingest

    article = Article("s", url, None, [Paragraph(t) for t in texts])
    return ingest(db, article, now="2026-11-21T12:00:00+00:00").new_item_ids


def test_a_part_two_clusters_hold_stays_alone(tmp_path) -> None:
    """A stock sentence cut from one of two paragraphs that both end with it joins neither;
    cut from the one paragraph that holds it, it joins that one."""
    from storage import open_db

    stock = "The claim could not be independently verified."
    db = open_db(tmp_path / "w.db")
    try:
        (first,) = _store(
            db,
            "https://a.example/1/",
            f"On 3 May, IS said it shot down a drone near Sirte. {stock}",
        )
        (second,) = _store(
            db,
            "https://a.example/2/",
            f"On 9 June, the BRSC said it killed 12 LNA soldiers in Ganfouda. {stock}",
        )
        (alone,) = _store(db, "https://b.example/1/", stock)
        clusters = dict(db.execute("SELECT id, cluster FROM items").fetchall())
        assert clusters[alone] == alone
        assert {clusters[first], clusters[second]} == {first, second}

        unique = "Residents said they had heard a drone shortly before the blast."
        (holder,) = _store(
            db,
            "https://a.example/3/",
            f"On 20 August, a depot blew up in Qasr Bin Ghashir. {unique}",
        )
        (part,) = _store(db, "https://b.example/2/", unique)
        assert db.execute("SELECT cluster FROM items WHERE id = ?", [part]).fetchone()[0] == holder
    finally:
        db.close()


def test_last_week_in_updates_a_week_apart_is_two_items(tmp_path) -> None:
    """The same "last week" formula in two weekly updates tells of two events; a copy of
    it published two days later is the same event."""
    from datetime import date

    from storage import Article, Paragraph, ingest, open_db

    def store(url: str, day: date, text: str) -> int:
        article = Article("s", url, None, [Paragraph(text)], published=day)
        return ingest(db, article, now="2026-11-21T12:00:00+00:00").new_item_ids[0]

    first = (
        "Last week, IS claimed an attack on a checkpoint near Sirte, its first there since June."
    )
    later = (
        "Last week, IS claimed an attack on a checkpoint near Sirte, its first there since June!"
    )
    copy = (
        "Last week, ISIS claimed an attack on a checkpoint near Sirte, its first there since June."
    )
    db = open_db(tmp_path / "w.db")
    try:
        original = store("https://a.example/w1/", date(2026, 3, 2), first)
        next_week = store("https://a.example/w2/", date(2026, 3, 9), later)
        republished = store("https://b.example/c/", date(2026, 3, 4), copy)
        cluster = dict(db.execute("SELECT id, cluster FROM items").fetchall())
        assert cluster[next_week] == next_week
        assert cluster[republished] == original
    finally:
        db.close()


@pytest.mark.parametrize("size", [1, 63, 64, 65, 1000, 20_000])
def test_index_ranges_agree_with_binary_search(size: int) -> None:
    """The fenced block search finds what a binary search finds, runs across blocks too."""
    import numpy as np

    from storage.neardup import BandIndex

    rng = np.random.default_rng(size)
    index = BandIndex()
    spread = max(2, size // 8)  # many keys repeat, some runs longer than a block
    index.keys = np.sort(rng.integers(-spread, spread, size)).astype(np.int64)
    index.ids = np.arange(size, dtype=np.int64)
    index.fences = index.keys[:: index.BLOCK].copy()
    queries = np.arange(-spread - 2, spread + 2, dtype=np.int64)
    low, high = index._ranges(queries)
    assert (low == np.searchsorted(index.keys, queries, "left")).all()
    assert (high == np.searchsorted(index.keys, queries, "right")).all()


def test_a_rolled_back_batch_leaves_the_index_right(tmp_path) -> None:
    """Items the index read inside a batch that was then rolled back (a commit failing on a
    full disk) must not hide the items stored next under the same ids."""
    from storage import Article, Paragraph, ingest, open_db, write_transaction

    def article(url: str, text: str) -> Article:
        return Article("s", url, None, [Paragraph(text)])

    db = open_db(tmp_path / "w.db")
    try:
        with pytest.raises(RuntimeError), write_transaction(db):
            ingest(
                db, article("https://a.example/1/", "On 3 May, IS shot down a drone near Sirte.")
            )
            ingest(db, article("https://a.example/2/", "On 6 May, jets struck a depot near Ubari."))
            raise RuntimeError("the commit fails")
        kept_text = "On 9 May, the GNA said 12 fighters died in Garabulli after a long battle."
        (kept,) = ingest(db, article("https://a.example/3/", kept_text)).new_item_ids
        copy = "On 9 May the GNA said that 12 fighters had died in Garabulli after a long battle."
        (found,) = ingest(db, article("https://b.example/1/", copy)).new_item_ids
        assert db.execute("SELECT cluster FROM items WHERE id = ?", [found]).fetchone()[0] == kept
    finally:
        db.close()


def test_a_failed_article_keeps_the_index_it_did_not_touch(tmp_path) -> None:
    """An article rolled back to its savepoint read nothing it stored, so the index stays
    (reloading it costs seconds on a large store) and still finds what was kept."""
    from storage import Article, Paragraph, ingest, neardup, open_db, write_transaction

    def article(url: str, text: str) -> Article:
        return Article("s", url, None, [Paragraph(text)])

    def fail(db, items) -> None:
        raise RuntimeError("a hook fails after the article's items were indexed")

    kept_text = "On 3 May, IS fighters shot down a drone near Sirte, the group said."
    db = open_db(tmp_path / "w.db")
    try:
        with write_transaction(db):
            (kept,) = ingest(db, article("https://a.example/1/", kept_text)).new_item_ids
            index = neardup.band_index(db.conn)
            with pytest.raises(RuntimeError):
                ingest(
                    db,
                    article("https://a.example/2/", "On 6 May, jets struck a depot near Ubari."),
                    on_new_items=fail,
                )
            assert neardup.band_index(db.conn) is index
        copy = "On 3 May, ISIS fighters shot down a drone near Sirte, the group said."
        (found,) = ingest(db, article("https://b.example/1/", copy)).new_item_ids
        assert db.execute("SELECT cluster FROM items WHERE id = ?", [found]).fetchone()[0] == kept
    finally:
        db.close()


def test_a_candidate_s_row_is_read_once_and_only_when_it_cannot_change(tmp_path) -> None:
    """Candidates' rows are kept by the index once read; a row whose first article has no
    publication date yet (it may get one) is read again each time."""
    from datetime import date

    from storage import Article, Paragraph, ingest, neardup, open_db

    reads: list[str] = []
    text = "On 3 May, IS fighters shot down a drone near Sirte, the group said."
    copy = "On 3 May, ISIS fighters shot down a drone near Sirte, the group said."

    def stored(db, url: str, body: str, published: date | None) -> int:
        article = Article("s", url, None, [Paragraph(body)], published=published)
        (item_id,) = ingest(db, article).new_item_ids
        return item_id

    db = open_db(tmp_path / "w.db")
    db.conn.set_trace_callback(reads.append)
    try:
        dated = stored(db, "https://a.example/1/", text, date(2026, 5, 4))
        other_day = text.replace("3 May", "9 June")  # its facts keep it from the copy's lookups
        undated = stored(db, "https://a.example/2/", other_day, None)
        reads.clear()
        for _ in range(3):
            assert neardup.find_duplicate(db, neardup.fingerprint(copy)) == dated
        index = neardup.band_index(db.conn)
        assert dated in index.rows and undated not in index.rows
        selects = [r for r in reads if r.startswith("SELECT items.id, items.text")]
        assert len(selects) == 1  # the dated row first read, then kept
        for _ in range(2):
            assert (
                neardup.find_duplicate(db, neardup.fingerprint(copy.replace("3 May", "9 June")))
                == undated
            )
        selects = [r for r in reads if r.startswith("SELECT items.id, items.text")]
        assert len(selects) == 3  # the undated row read each time
    finally:
        db.close()


def test_a_pickled_fingerprint_keeps_what_was_worked_out(monkeypatch) -> None:
    """A crawl prepares fingerprints and pickles them to its storing process: everything
    survives, and the dates and numbers parsed for the facts mask are not parsed again."""
    import pickle

    from storage import neardup

    text = "On 3 March, IS fighters attacked a checkpoint 40 km south of Sirte, killing two."
    fp = neardup.fingerprint(text)
    mask = fp.facts
    back = pickle.loads(pickle.dumps(fp))

    def parse_again(text: str):
        raise AssertionError("dates parsed again after unpickling")

    monkeypatch.setattr(neardup, "_parse_dates", parse_again)
    # The shingles stay packed until compared; a second trip passes them on as they are.
    assert back._shingles is None
    again = pickle.loads(pickle.dumps(back))
    assert again._shingles is None and again.shingles == fp.shingles
    assert (back.text, back.shingles, back.bands, back.facts) == (
        fp.text,
        fp.shingles,
        fp.bands,
        mask,
    )
    assert back.key.dates == fp.key.dates == frozenset({(3, 3)})
    assert back.key.numbers == fp.key.numbers
    assert back.key.names == fp.key.names
    assert neardup.same_content(back, fp)
