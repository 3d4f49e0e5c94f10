"""Ingest: store one fetched article and decide what in it is new.

Everything for one article happens in one transaction (article row, version,
items, occurrences and whatever ``on_new_item`` writes), so a crash or an error
leaves either all of it or nothing. An *item* is a distinct normalised
paragraph, stored once however many articles and versions carry it; an
*occurrence* links it to each article version it appears in.

This is on the crawl's hot path, so it talks to the connection directly with a
handful of statements per article rather than many sqlite-utils calls.
"""

from __future__ import annotations

import copyreg
import functools
import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from sqlite_utils import Database

from storage import neardup
from storage.db import write_transaction
from storage.eventdates import event_date
from storage.fts import SEARCH_INDEX_BATCH, has_pending, index_pending
from storage.model import Article
from storage.normalise import hash_normalised, normalise
from storage.times import to_iso, utcnow_iso
from storage.urls import canonical_url

#: Called inside the transaction for each item stored for the first time, with the
#: new ``items`` row as a dict (and ``"found"``, for an article prepared with a
#: ``find``: see :func:`prepare`); whatever it raises rolls the whole article back.
OnNewItem = Callable[[Database, dict[str, Any]], None]
#: Called once per stored version with all its new items (cheaper than one call each).
OnNewItems = Callable[[Database, list[dict[str, Any]]], None]

Status = Literal["new", "updated", "unchanged"]

ITEM_COLUMNS = (
    "id",
    "hash",
    "text",
    "event_date",
    "first_article_id",
    "first_version_id",
    "first_seen",
    "cluster",
    "dup_of",
)


@dataclass
class IngestResult:
    """What :func:`ingest` did with one article."""

    article_id: int
    version: int
    status: Status
    new_item_ids: list[int] = field(default_factory=list)
    linked_items: int = 0  # occurrences that point at items stored before this call


class _Para(NamedTuple):
    text: str
    section: str | None
    hash: str


@dataclass
class Prepared:
    """What ingest works out from an article alone, before it touches the database:
    each paragraph's normalised hash and the body's, and perhaps the near-duplicate
    fingerprints of its distinct paragraphs. Made by :func:`prepare`, possibly in
    another process (a crawl's, which extracts the page it fetched).

    Fingerprints are the dearer part, and only new paragraphs need them, which the
    storing process knows: a crawl works them out only when its storing process is
    far behind (see :mod:`spiders.pipelines`), and ingest works out those missing.
    """

    paras: list[_Para]
    body_hash: str
    fingerprints: dict[str, neardup.Fingerprint]
    #: (url, fetched_url) as prepared, and their canonical forms: w3lib's canonicalisation
    #: costs some 60 µs a URL, and the crawl process has just made these very URLs.
    urls: tuple[str, str | None, str, str | None] | None = None
    #: By paragraph hash, when worked out ahead: each paragraph's event date (ISO or
    #: None), and what the ``find`` given to :func:`prepare` found in it (a crawl's
    #: watchlist mentions). Only new items need them, so a crawl works them out ahead
    #: only while its storing process is the one behind.
    event_dates: dict[str, str | None] | None = None
    found: dict[str, Any] | None = None

    def __reduce__(self) -> tuple:
        """Pickled with its paragraphs as plain tuples: a named tuple pickles through a
        Python method each, and a page's 17 took 13.6 µs to pickle where tuples took 1.6."""
        state = dict(self.__dict__)
        state["paras"] = [tuple(p) for p in self.paras]
        return (copyreg.__newobj__, (Prepared,), state)

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["paras"] = list(map(_new_para, state["paras"]))
        self.__dict__.update(state)


_new_para = functools.partial(tuple.__new__, _Para)


def prepare(
    article: Article,
    *,
    fingerprints: bool = True,
    find: Callable[[str], Any] | None = None,
) -> Article:
    """Do the database-free part of :func:`ingest` now; ingest then skips it.

    ``fingerprints=False`` leaves the near-duplicate fingerprints to ingest. With
    ``find``, each distinct paragraph's event date is worked out too, and ``find``
    is run on its text; ingest hands that result to ``on_new_items`` as the new
    item's ``"found"`` (a crawl's router takes it for the item's mentions).
    """
    paras, body_hash = _paragraphs(article)
    distinct: dict[str, str] = {}
    for p in paras:
        distinct.setdefault(p.hash, p.text)  # as ingest does: the first text of each hash
    ready: dict[str, neardup.Fingerprint] = {}
    event_dates = found = None
    if find is not None:
        event_dates = {h: _iso_event_date(text, article) for h, text in distinct.items()}
        found = {h: find(text) for h, text in distinct.items()}
    if fingerprints:
        fps = neardup.fingerprints(list(distinct.values()))
        for fp in fps:
            fp.facts  # noqa: B018 (worked out and kept: the lookup needs it)
        ready = dict(zip(distinct, fps, strict=True))
    urls = _canonical_urls(article)
    article.prepared = Prepared(paras, body_hash, ready, urls, event_dates, found)
    return article


def _iso_event_date(text: str, article: Article) -> str | None:
    # A page that states no publication date still has its last change: near enough
    # to give "On 3 March" its year (weekly updates are seldom edited months later).
    day = event_date(text, article.published or article.modified)
    return day.isoformat() if day else None


def _canonical_urls(article: Article) -> tuple[str, str | None, str, str | None]:
    """The article's URL and fetched URL, and the canonical form of each."""
    fetched = canonical_url(article.fetched_url) if article.fetched_url else None
    return (article.url, article.fetched_url, canonical_url(article.url), fetched)


def _prepared(article: Article) -> Prepared | None:
    return article.prepared if isinstance(article.prepared, Prepared) else None


class _Found(NamedTuple):
    id: int
    url: str
    content_hash: str
    version: int


def ingest(
    db: Database,
    article: Article,
    *,
    on_new_item: OnNewItem | None = None,
    on_new_items: OnNewItems | None = None,
    now: str | None = None,
) -> IngestResult:
    """Store ``article``: as new, as a new version of a known one, or as unchanged.

    A known article is found by canonical URL (its own or an alias), then by
    ``(source, external_id)``, then by ``(source, content hash)``, so tracking
    parameters, GUID churn and a changed permalink never duplicate it. The newest
    URL it is found under becomes its ``url``; earlier ones stay as aliases.

    :param on_new_item: called for every newly stored item, inside the transaction.
    :param on_new_items: called once with all of them (when there are any), inside it too.
    :param now: the ISO timestamp to record (default: the current UTC time).
    """
    now = now or utcnow_iso()
    prepared = _prepared(article)
    paras, body_hash = (prepared.paras, prepared.body_hash) if prepared else _paragraphs(article)
    urls = prepared.urls if prepared else None
    if urls is None or urls[:2] != (article.url, article.fetched_url):  # changed since
        urls = _canonical_urls(article)
    url, fetched = urls[2], urls[3]
    conn = db.conn
    with write_transaction(db):
        found = _find(conn, article, url, fetched, body_hash if paras else None)
        if found is None:
            article_id = _insert_article(conn, article, url, body_hash, now)
            version, status = 1, "new"
        else:
            article_id = found.id
            changed = found.content_hash != body_hash
            version = found.version + 1 if changed else found.version
            status = "updated" if changed else "unchanged"
            url = _choose_url(conn, found, url)
            _update_article(conn, found.id, article, url, body_hash, version, changed, now)
        if fetched and fetched != url:
            _add_alias(conn, fetched, article_id)
        if status == "unchanged":
            return IngestResult(article_id, version, status)
        hooks = (on_new_item, on_new_items)
        return _store_version(db, article_id, version, status, article, paras, hooks, now)


def _paragraphs(article: Article) -> tuple[list[_Para], str]:
    """Return the paragraphs that have text, each with its item hash, and the body hash.

    The body hash follows :func:`storage.normalise.article_hash`, computed from the
    same normalised texts rather than normalising twice.
    """
    paras, normalised_texts = [], []
    for p in article.paragraphs:
        normalised = normalise(p.text)
        if normalised:
            paras.append(_Para(p.text.strip(), p.section, hash_normalised(normalised)))
            normalised_texts.append(normalised)
    return paras, hash_normalised("\n".join(normalised_texts))


_FIND_SQL = """
SELECT id, url, content_hash, version FROM (
    SELECT id, url, content_hash, version, CASE url WHEN :url THEN 0 ELSE 2 END AS how
      FROM articles WHERE url IN (:url, :fetched)
    UNION ALL
    SELECT a.id, a.url, a.content_hash, a.version, CASE u.url WHEN :url THEN 1 ELSE 3 END
      FROM article_urls u JOIN articles a ON a.id = u.article_id WHERE u.url IN (:url, :fetched)
    UNION ALL
    SELECT id, url, content_hash, version, 4
      FROM articles WHERE source = :source AND external_id = :external_id
    UNION ALL
    SELECT id, url, content_hash, version, 5
      FROM articles WHERE source = :source AND content_hash = :hash
)
ORDER BY how, id LIMIT 1
"""


def _find(
    conn: sqlite3.Connection, article: Article, url: str, fetched: str | None, body_hash: str | None
) -> _Found | None:
    """Return the stored article this one is a copy of, if any (one query).

    ``body_hash`` is None for an article without text: every such article would
    share the hash of nothing, so it must not match by content.
    """
    row = conn.execute(
        _FIND_SQL,
        {
            "url": url,
            "fetched": fetched,
            "source": article.source,
            "external_id": article.external_id,
            "hash": body_hash,
        },
    ).fetchone()
    return _Found(*row) if row else None


def _insert_article(
    conn: sqlite3.Connection, article: Article, url: str, body_hash: str, now: str
) -> int:
    cursor = conn.execute(
        "INSERT INTO articles (source, url, external_id, title, author, published, modified,"
        " categories, tags, content_hash, version, first_seen, last_seen, last_changed)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
        (
            article.source,
            url,
            article.external_id,
            article.title or None,
            article.author or None,
            to_iso(article.published),
            to_iso(article.modified),
            _json_list(article.categories),
            _json_list(article.tags),
            body_hash,
            now,
            now,
            now,
        ),
    )
    return cursor.lastrowid  # type: ignore[return-value]


def _choose_url(conn: sqlite3.Connection, found: _Found, url: str) -> str:
    """Return the URL the article keeps: ``url`` if recorded nowhere yet, else its own.

    On a move the old URL stays as an alias. A URL already recorded (an alias)
    never moves the article, so crawling an old permalink again cannot flip it back.
    """
    if url == found.url:
        return url
    if conn.execute("SELECT 1 FROM article_urls WHERE url = ?", (url,)).fetchone():
        return found.url
    conn.execute(
        "INSERT OR IGNORE INTO article_urls (url, article_id) VALUES (?, ?)", (found.url, found.id)
    )
    return url


def _add_alias(conn: sqlite3.Connection, url: str, article_id: int) -> None:
    """Record ``url`` as another URL of the article unless some article already has it."""
    conn.execute(
        "INSERT OR IGNORE INTO article_urls (url, article_id)"
        " SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM articles WHERE url = ?1)",
        (url, article_id),
    )


_UPDATE_SQL = """
UPDATE articles SET
    url = :url,
    last_seen = :now,
    title = COALESCE(:title, title),
    author = COALESCE(author, :author),
    published = COALESCE(published, :published),
    modified = COALESCE(:modified, modified),
    external_id = COALESCE(external_id, :external_id),
    categories = CASE categories WHEN '[]' THEN :categories ELSE categories END,
    tags = CASE tags WHEN '[]' THEN :tags ELSE tags END,
    content_hash = :hash,
    version = :version,
    last_changed = CASE WHEN :changed THEN :now ELSE last_changed END
WHERE id = :id
"""


def _update_article(
    conn: sqlite3.Connection,
    article_id: int,
    article: Article,
    url: str,
    body_hash: str,
    version: int,
    changed: bool,
    now: str,
) -> None:
    """Refresh a known article: last seen, a changed title, metadata it lacked."""
    conn.execute(
        _UPDATE_SQL,
        {
            "id": article_id,
            "url": url,
            "now": now,
            "title": article.title or None,
            "author": article.author or None,
            "published": to_iso(article.published),
            "modified": to_iso(article.modified),
            "external_id": article.external_id,
            "categories": _json_list(article.categories),
            "tags": _json_list(article.tags),
            "hash": body_hash,
            "version": version,
            "changed": changed,
        },
    )


def _store_version(
    db: Database,
    article_id: int,
    version: int,
    status: Status,
    article: Article,
    paras: list[_Para],
    hooks: tuple[OnNewItem | None, OnNewItems | None],
    now: str,
) -> IngestResult:
    """Store a version row, the items not seen before, and one occurrence per paragraph."""
    conn = db.conn
    version_id: int = conn.execute(
        "INSERT INTO versions (article_id, version, content_hash, title, modified, fetched_at,"
        " paragraphs) SELECT id, version, content_hash, title, modified, ?, ? FROM articles"
        " WHERE id = ?",
        (now, len(paras), article_id),
    ).lastrowid  # type: ignore[assignment]
    item_ids = _existing_items(conn, {p.hash for p in paras})
    linked = sum(1 for p in paras if p.hash in item_ids)
    new_rows, fingerprints = _new_item_rows(
        conn, article, paras, item_ids, article_id, version_id, now
    )
    if new_rows:
        conn.executemany(
            f"INSERT INTO items ({', '.join(ITEM_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(ITEM_COLUMNS))})",
            new_rows,
        )
    neardup.index_items(conn, fingerprints)
    conn.executemany(
        "INSERT INTO occurrences (version_id, position, item_id, section) VALUES (?, ?, ?, ?)",
        [(version_id, pos, item_ids[p.hash], p.section) for pos, p in enumerate(paras)],
    )
    if new_rows and has_pending(conn, SEARCH_INDEX_BATCH):
        index_pending(conn)
    on_new_item, on_new_items = hooks
    if new_rows and (on_new_item or on_new_items):
        items = [dict(zip(ITEM_COLUMNS, row, strict=True)) for row in new_rows]
        prepared = _prepared(article)
        if prepared is not None and prepared.found is not None:
            for item in items:
                item["found"] = prepared.found[item["hash"]]
        for item in items if on_new_item else ():
            on_new_item(db, item)
        if on_new_items:
            on_new_items(db, items)
    return IngestResult(article_id, version, status, [row[0] for row in new_rows], linked)


def _existing_items(conn: sqlite3.Connection, hashes: set[str]) -> dict[str, int]:
    """Return ``{hash: item id}`` for the hashes already stored."""
    found: dict[str, int] = {}
    batch = list(hashes)
    for start in range(0, len(batch), 500):  # stay far below SQLite's variable limit
        chunk = batch[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT hash, id FROM items WHERE hash IN ({marks})", chunk))
    return found


def _new_item_rows(
    conn: sqlite3.Connection,
    article: Article,
    paras: Sequence[_Para],
    item_ids: dict[str, int],
    article_id: int,
    version_id: int,
    now: str,
) -> tuple[list[tuple[Any, ...]], list[tuple[int, neardup.Fingerprint]]]:
    """Return the ``items`` rows to insert and their fingerprints; add ids to ``item_ids``.

    Ids are assigned here, not by SQLite, so that ``cluster`` (its own id for a
    new item, the copied item's for a near-duplicate) is written by the INSERT
    itself rather than by an UPDATE per item. Safe because the transaction has
    held the write lock since it began.
    """
    next_id: int = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM items").fetchone()[0]
    new: dict[str, _Para] = {}
    for p in paras:
        if p.hash not in item_ids:
            new.setdefault(p.hash, p)
    prepared = _prepared(article)
    ready = prepared.fingerprints if prepared else {}
    dates = prepared.event_dates if prepared and prepared.event_dates is not None else {}
    missing = neardup.fingerprints([p.text for h, p in new.items() if h not in ready])
    worked_out = iter(missing)
    fps = [ready[h] if h in ready else next(worked_out) for h in new]
    duplicates = neardup.find_duplicates(conn, fps, article.published)
    rows = []
    fingerprints = []
    for p, fp, dup_of in zip(new.values(), fps, duplicates, strict=True):
        item_ids[p.hash] = next_id
        iso_day = dates[p.hash] if p.hash in dates else _iso_event_date(p.text, article)
        cluster = _cluster_of(conn, dup_of) if dup_of else next_id
        rows.append(
            (next_id, p.hash, p.text, iso_day, article_id, version_id, now, cluster, dup_of)
        )
        fingerprints.append((next_id, fp))
        next_id += 1
    return rows, fingerprints


def _cluster_of(conn: sqlite3.Connection, item_id: int) -> int:
    return conn.execute("SELECT cluster FROM items WHERE id = ?", (item_id,)).fetchone()[0]


def _json_list(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)
