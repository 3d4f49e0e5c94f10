"""Shared pytest fixtures: the fixture websites, started on loopback for one test each.

Every fixture builds a fresh content model (same seed, same content), so a test may
add, edit or fault posts freely. ``sites`` builds A, B and C together: B's and C's
republished copies name A's posts in their ``origin``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixturesite import FixtureSite, Sites, make_sites


@pytest.fixture
def sites() -> Iterator[Sites]:
    """Sites A (origin blog), B (republisher, REST closed) and C (news site), all started."""
    with make_sites() as trio:
        yield trio


@pytest.fixture
def site_a() -> Iterator[FixtureSite]:
    """The origin WordPress blog: theme A, pretty permalinks, open REST API, 58 posts."""
    with make_sites().a as site:
        yield site


@pytest.fixture
def site_b() -> Iterator[FixtureSite]:
    """The republisher: theme B, plain permalinks, REST API answering 401, Yoast sitemaps."""
    with make_sites().b as site:
        yield site


@pytest.fixture
def site_c() -> Iterator[FixtureSite]:
    """The plain news site: listing pages only, no feed, sitemap or API."""
    with make_sites().c as site:
        yield site
