"""The records that cross from a crawl into storage.

A spider fetches and parses only; what it found travels to :func:`storage.ingest`
as an :class:`Article`. Keeping these plain dataclasses in ``storage`` lets every
package use them while ``storage`` imports none of the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph as clean text, with the section heading it sits under."""

    text: str
    section: str | None = None


@dataclass
class Article:
    """One fetched article, as extraction left it.

    ``url`` is the canonical URL (already canonicalised by the crawl); ``fetched_url``
    is what was requested when that differs, so an alias can be recorded.
    ``external_id`` is a site-stable id where the site has one (``"wp:1234"``).
    """

    source: str
    url: str
    title: str | None
    paragraphs: list[Paragraph]
    published: datetime | date | None = None
    modified: datetime | None = None
    author: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    fetched_url: str | None = None
    external_id: str | None = None
    #: The database-free part of ingest, done ahead by :func:`storage.prepare` in the
    #: process that has time for it (a crawl whose store is behind); None: not done.
    prepared: object | None = field(default=None, compare=False, repr=False)
