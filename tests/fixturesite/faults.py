"""Fault rules: make chosen URLs (or a post's page) misbehave, for the first K requests or always.

A rule matches a path (``"/feed/"``: any query; ``"/?p=1042"``: exactly that target)
or a post id (every page showing that post, whatever the URL). Kinds:

``status``        answer ``status`` (500, 503, 429 ...); 429 and 503 carry ``Retry-After: 1``
``delay``         answer normally after ``delay`` seconds
``truncate``      promise the full Content-Length, send half the body, close
``no-body``       the page without its article element
``cp1252``        windows-1252 bytes with ``Content-Type: text/html; charset=windows-1252``
``meta-charset``  windows-1252 bytes, ``Content-Type: text/html``, only ``<meta charset>`` says so
``undeclared``    windows-1252 bytes, ``Content-Type: text/html``, no ``<meta charset>`` either
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .messages import Response

KINDS = ("status", "delay", "truncate", "no-body", "cp1252", "meta-charset", "undeclared")

_LITERAL = {
    "&#8216;": "‘",
    "&#8217;": "’",
    "&#8220;": "“",
    "&#8221;": "”",
    "&#8211;": "–",
    "&#8212;": "—",
    "&#8230;": "…",
    "&nbsp;": "\u00a0",
}
_ERROR_PAGES = {
    500: "<p>There has been a critical error on this website.</p>",
    502: "<h1>502 Bad Gateway</h1>",
    503: "<h1>Service Unavailable</h1><p>The server is temporarily busy, try again later.</p>",
    429: "<h1>Too Many Requests</h1><p>Slow down.</p>",
}


@dataclass
class FaultRule:
    """One fault; ``times=None`` means every matching request. ``hits`` counts uses."""

    match: str | int
    kind: str = "status"
    status: int = 503
    times: int | None = None
    delay: float = 0.5
    hits: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {KINDS}")

    def matches(self, target: str, path: str, post_id: int | None) -> bool:
        """Whether this rule applies to a request, and still has uses left."""
        if self.times is not None and self.hits >= self.times:
            return False
        if isinstance(self.match, int):
            return post_id == self.match
        return self.match == (target if "?" in self.match else path)


def error_response(status: int) -> Response:
    """A server error page; throttling and overload answers say when to come back."""
    body = f"<!DOCTYPE html><html><head><title>Error {status}</title></head><body>"
    body += _ERROR_PAGES.get(status, f"<h1>Error {status}</h1>") + "</body></html>"
    headers = [("Retry-After", "1")] if status in (429, 503) else []
    return Response(status, body.encode("utf-8"), headers=headers)


def to_cp1252(resp: Response, *, header: bool, meta: bool = True) -> Response:
    """Re-encode an HTML page as windows-1252, with entities turned into real characters."""
    text = resp.body.decode("utf-8")
    for entity, char in _LITERAL.items():
        text = text.replace(entity, char)
    declared = '<meta charset="windows-1252"' if meta else "<meta"
    text = re.sub(r'<meta charset="[^"]*"', declared, text, count=1)
    body = text.encode("cp1252", errors="xmlcharrefreplace")
    content_type = "text/html; charset=windows-1252" if header else "text/html"
    return replace(resp, body=body, content_type=content_type, etag=None, last_modified=None)
