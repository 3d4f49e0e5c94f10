"""Normalisation and hashing: typography never separates copies; meaning always does."""

from __future__ import annotations

import hashlib

import pytest

from storage.normalise import article_hash, content_hash, normalise

BASE = "On 3 March, the LNA said it's \"ready\" - Derna's port."


@pytest.mark.parametrize(
    "variant",
    [
        "On 3 March, the LNA said it’s “ready” – Derna’s port.",
        "On 3 March, the LNA said it&#8217;s &quot;ready&quot; &#8212; Derna&rsquo;s port.",
        "On 3\u00a0March, the LNA said it's \"ready\"\u00a0- Derna's port.",
        "  On 3 March,\n\tthe LNA   said it's \"ready\" - Derna's port.  ",
        "ON 3 MARCH, THE LNA SAID IT'S \"READY\" - DERNA'S PORT.",
        "On 3 March, the LNA said it`s ″ready″ ‑ Derna′s port.",
        "On 3 March, the LNA said it\u200b's \"rea\u00addy\" - Derna's\ufeff port.",
        "On 3 March, the LNA said it's \"ready\" − Derna's port.",
        "On ３ March, the LNA said it's \"ready\" - Derna's port.",
    ],
    ids=[
        "curly",
        "entities",
        "nbsp",
        "whitespace",
        "capitals",
        "backtick-prime",
        "invisible",
        "minus",
        "fullwidth",
    ],
)
def test_typographic_variants_hash_equal(variant: str) -> None:
    """A copy differing only in typography, entities, spacing or case hashes the same."""
    assert content_hash(variant) == content_hash(BASE)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("IS fighters attacked Sirte.", "ISIS fighters attacked Sirte."),
        ("On 3 March, two airstrikes.", "On 6 March, two airstrikes."),
        ("40 km west of Ubari", "45 km west of Ubari"),
        ("used as base", "used as a base"),
    ],
)
def test_different_wording_hashes_differently(one: str, other: str) -> None:
    """Acronym swaps, dates, numbers and added words are differences of meaning."""
    assert content_hash(one) != content_hash(other)


def test_zwnj_is_kept() -> None:
    """ZWNJ is part of Arabic-script spelling, so removing it would merge different words."""
    assert "\u200c" in normalise("می\u200cخواهم")


def test_normalise_output() -> None:
    """The normalised form is case-folded, single-spaced and stripped."""
    assert normalise("  Derna’s\u00a0\u00a0PORT — “open”\n") == 'derna\'s port - "open"'


def test_content_hash_is_sha256_of_normalised_text() -> None:
    """The item hash is the SHA-256 hex digest of the normalised text."""
    expected = hashlib.sha256(b"derna's port").hexdigest()
    assert content_hash(" Derna’s  Port ") == expected


def test_article_hash_skips_empty_paragraphs() -> None:
    """Paragraphs that normalise to nothing do not change an article's hash."""
    assert article_hash(["One.", " \u00a0", "Two."]) == article_hash(["one.", "two."])


def test_article_hash_depends_on_order_and_content() -> None:
    """Reordered or edited paragraphs make a different article hash."""
    assert article_hash(["One.", "Two."]) != article_hash(["Two.", "One."])
    assert article_hash(["One.", "Two."]) != article_hash(["One.", "Three."])


def test_article_hash_keeps_paragraph_boundaries() -> None:
    """Splitting a paragraph in two is a different body from the joined paragraph."""
    assert article_hash(["One two."]) != article_hash(["One", "two."])
