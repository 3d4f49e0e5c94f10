"""Escaping and date formatting shared by the themes.

Each theme encodes the same Unicode text differently, as real sites do: WordPress's
texturize output uses numeric entities (``&#8217;``) and ``&nbsp;``; a republisher
writes straight quotes and sometimes ``&#39;``; a plain news site writes UTF-8.
Decoding any of them gives back the model text unchanged.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta, timezone

from .content import long_date
from .phrases import MONTHS

_WP_ENTITIES = str.maketrans(
    {
        "&": "&#038;",
        "<": "&lt;",
        ">": "&gt;",
        "‘": "&#8216;",
        "’": "&#8217;",
        "“": "&#8220;",
        "”": "&#8221;",
        "–": "&#8211;",
        "—": "&#8212;",
        "…": "&#8230;",
        "\u00a0": "&nbsp;",
    }
)
_PLAIN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\u00a0": "&nbsp;"})
_PLAIN_QUOTES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\u00a0": "&nbsp;",
        "'": "&#39;",
        '"': "&quot;",
    }
)


def wp_text(text: str) -> str:
    """Text as WordPress's texturize leaves it in HTML: numeric entities, ``&nbsp;``."""
    return text.translate(_WP_ENTITIES)


def plain_text(text: str, *, entity_quotes: bool = False) -> str:
    """Minimal escaping, ``&nbsp;`` kept; with ``entity_quotes`` also ``&#39;``/``&quot;``."""
    return text.translate(_PLAIN_QUOTES if entity_quotes else _PLAIN)


def utf8_text(text: str) -> str:
    """Minimal escaping; curly quotes and non-breaking spaces stay literal characters."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    """An attribute value, quotes escaped."""
    return html.escape(text, quote=True)


def local(dt: datetime, offset_hours: float) -> datetime:
    """``dt`` in a fixed-offset site time zone (WordPress's ``gmt_offset``)."""
    return dt.astimezone(timezone(timedelta(hours=offset_hours)))


def iso(dt: datetime) -> str:
    """``2016-03-07T14:20:31-05:00``: ISO 8601 with the datetime's own offset."""
    return dt.isoformat(timespec="seconds")


def iso_naive(dt: datetime) -> str:
    """``2016-03-07T14:20:31``: how the REST API writes ``date`` and ``date_gmt``."""
    return dt.replace(tzinfo=None).isoformat(timespec="seconds")


def rfc822(dt: datetime) -> str:
    """``Mon, 07 Mar 2016 19:20:31 +0000``: RSS ``pubDate`` in GMT."""
    return dt.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def http_date(dt: datetime) -> str:
    """``Mon, 07 Mar 2016 19:20:31 GMT``: for Last-Modified."""
    return dt.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def us_date(dt: datetime) -> str:
    """``March 7, 2016``: how WordPress themes print dates by default."""
    return f"{MONTHS[dt.month - 1]} {dt.day}, {dt.year}"


def uk_date(dt: datetime) -> str:
    """``7 March 2016``."""
    return long_date(dt.date())


def cdata(text: str) -> str:
    """A CDATA section that survives a literal ``]]>`` in the text."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def page_numbers(current: int, last: int) -> list[int | None]:
    """WordPress ``paginate_links`` with end and mid size 1: ``None`` marks the dots."""
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out
