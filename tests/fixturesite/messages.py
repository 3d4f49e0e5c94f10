"""The request and response records passed between the HTTP server and the site apps."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Request:
    """What an app needs of an HTTP request: the path, the query, a few headers."""

    method: str
    target: str  # path and query, as sent
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return urlsplit(self.target).path or "/"

    @property
    def query(self) -> dict[str, str]:
        """The first value of each query parameter (blank values kept)."""
        parsed = parse_qs(urlsplit(self.target).query, keep_blank_values=True)
        return {k: v[0] for k, v in parsed.items()}


@dataclass
class Response:
    """An HTTP response; ``etag``/``last_modified`` make the server answer 304 when they match.

    ``post_id`` names the post an HTML page shows, so fault rules can target a post
    whatever URL reached it.
    """

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=UTF-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    etag: str | None = None
    last_modified: datetime | None = None
    post_id: int | None = None


def html(body: str, status: int = 200, **kw: object) -> Response:
    """An HTML response."""
    return Response(status, body.encode("utf-8"), **kw)  # type: ignore[arg-type]


def xml(body: str, content_type: str = "application/xml; charset=UTF-8", **kw: object) -> Response:
    """An XML response (sitemaps, feeds)."""
    return Response(200, body.encode("utf-8"), content_type, **kw)  # type: ignore[arg-type]


def as_json(
    data: object, status: int = 200, headers: list[tuple[str, str]] | None = None
) -> Response:
    """A JSON response, compact like WordPress's."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, "application/json; charset=UTF-8", headers or [])


def text(body: str, status: int = 200) -> Response:
    """A plain text response (robots.txt)."""
    return Response(status, body.encode("utf-8"), "text/plain; charset=utf-8")


def redirect(location: str, status: int = 301) -> Response:
    """A redirect, as WordPress's canonical redirect sends."""
    return Response(status, b"", headers=[("Location", location)])
