"""Canonical URLs: one form per page, whatever tracking or spelling a link carries."""

from __future__ import annotations

import pytest

from storage.urls import canonical_url

CASES = [
    ("HTTPS://WWW.Example.ORG/Path/Post/", "https://www.example.org/Path/Post/"),
    ("https://example.org:443/a/", "https://example.org/a/"),
    ("http://example.org:80/a/", "http://example.org/a/"),
    ("https://example.org:8443/a/", "https://example.org:8443/a/"),
    ("https://example.org/a/#comments", "https://example.org/a/"),
    ("https://example.org/a/?utm_source=rss&utm_medium=feed", "https://example.org/a/"),
    ("https://example.org/a/?UTM_Campaign=x", "https://example.org/a/"),
    ("https://example.org/a/?fbclid=1&gclid=2&mc_cid=3&mc_eid=4", "https://example.org/a/"),
    ("https://example.org/a/?_ga=1&igshid=2&ref_src=3", "https://example.org/a/"),
    ("https://example.org/a/?replytocom=12", "https://example.org/a/"),
    ("https://example.org/?p=123&utm_source=x", "https://example.org/?p=123"),
    ("https://example.org/?page_id=7", "https://example.org/?page_id=7"),
    ("https://example.org/?cat=4&paged=2", "https://example.org/?cat=4&paged=2"),
    ("https://example.org/?paged=2&cat=4", "https://example.org/?cat=4&paged=2"),
    ("https://example.org/a", "https://example.org/a"),
    ("https://example.org/a/", "https://example.org/a/"),
    ("https://example.org", "https://example.org/"),
    ("https://example.org/caf%c3%a9/", "https://example.org/caf%C3%A9/"),
    ("https://example.org/café/", "https://example.org/caf%C3%A9/"),
    ("  https://example.org/a/  ", "https://example.org/a/"),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_canonical_url(url: str, expected: str) -> None:
    """Each URL reduces to its canonical form."""
    assert canonical_url(url) == expected


@pytest.mark.parametrize("url", [expected for _, expected in CASES])
def test_canonical_url_is_idempotent(url: str) -> None:
    """Canonicalising a canonical URL changes nothing, so stored URLs stay comparable."""
    assert canonical_url(url) == url
