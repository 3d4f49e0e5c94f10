"""Normalisation and hashing: what makes two copies of a paragraph the same item.

Republished copies differ in typography only (curly or straight quotes, HTML
entities, non-breaking spaces, dash forms, capitals); :func:`normalise` removes
exactly those differences and nothing that carries meaning, so "IS" and "ISIS"
still hash apart. This runs for every paragraph ingested (thousands a second),
hence the precompiled tables and the pure-ASCII fast path.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import unicodedata
from collections.abc import Iterable

try:  # in C (storage/_fastdup.c); absent when built with no compiler
    from storage._fastdup import ascii_fold as _ascii_fold
except ImportError:  # pragma: no cover - the extension is optional
    _ascii_fold = None
if os.environ.get("WIREWATCH_PURE_PYTHON"):  # the reference code, for comparing and measuring
    _ascii_fold = None

_SINGLE_QUOTES = "‘’‚‛′‵`´ʹʻʼʽ‹›"
_DOUBLE_QUOTES = "“”„‟″‶«»〝〞"
_DASHES = "‐‑‒–—―−⁃﹘﹣－"
# Invisible characters that only break words apart for the eye or the parser.
# ZWNJ (U+200C) and ZWJ (U+200D) are kept: Arabic and Persian spelling needs them.
_INVISIBLE = "\u200b\ufeff\u00ad\u2060"

_REPLACEMENTS = {
    **dict.fromkeys(_SINGLE_QUOTES, "'"),
    **dict.fromkeys(_DOUBLE_QUOTES, '"'),
    **dict.fromkeys(_DASHES, "-"),
    **dict.fromkeys(_INVISIBLE, ""),
}
# A character class and a dict lookup per hit: measured 5x faster than
# str.translate, which costs about 40 ns per character of the whole text.
_SPECIAL = re.compile("[" + re.escape("".join(_REPLACEMENTS)) + "]")


# The few that real text is full of go first, through str.replace (cheaper still).
_COMMON = tuple((c, _REPLACEMENTS[c]) for c in "’‘“”–—")


def _replace(match: re.Match[str]) -> str:
    return _REPLACEMENTS[match[0]]


def normalise(text: str) -> str:
    """Return ``text`` in the form used for hashing: typography removed, case folded.

    Steps: HTML entities decoded; quote, prime and backtick forms to ``'`` and ``"``;
    dash forms to ``-``; zero-width space, BOM, soft hyphen and word joiner removed;
    Unicode NFKC; whitespace runs (non-breaking included) to one space; stripped;
    case-folded.
    """
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        for char, replacement in _COMMON:
            if char in text:
                text = text.replace(char, replacement)
        # Map before NFKC too: NFKC turns the double prime into two primes.
        if _SPECIAL.search(text):
            text = _SPECIAL.sub(_replace, text)
        # ASCII is its own NFKC form: most text is ASCII once its quotes are mapped.
        if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
            # ... and after: it turns the small em dash into an em dash.
            text = _SPECIAL.sub(_replace, unicodedata.normalize("NFKC", text))
    if text.isascii():
        if _ascii_fold is not None:  # one pass in C for the split, join and casefold below
            return _ascii_fold(text)
        if "`" in text:
            text = text.replace("`", "'")
    return " ".join(text.split()).casefold()


def hash_normalised(normalised: str) -> str:
    """Return the SHA-256 hex digest of text already passed through :func:`normalise`."""
    return hashlib.sha256(normalised.encode()).hexdigest()


def content_hash(text: str) -> str:
    """Return the item hash of a paragraph: SHA-256 hex of its normalised text."""
    return hash_normalised(normalise(text))


def article_hash(paragraph_texts: Iterable[str]) -> str:
    """Return the content hash of an article body: its normalised, non-empty paragraphs.

    The title is not part of it: an article whose only change is its title is not
    a new version.
    """
    kept = (n for n in map(normalise, paragraph_texts) if n)
    return hash_normalised("\n".join(kept))
