"""A lean asyncio front for a fixture site, for the benchmarks' site in its own process.

The threaded server costs about 0.9 ms of CPU a page (a thread hand-off and the
email-module header parser per request). On a two-core machine that CPU is taken
from the crawlers it serves, and more from a crawl that keeps both cores busy than
from one that keeps one busy; a real site costs the crawl nothing. Answers are
the site's own (:meth:`FixtureSite.respond`, its request log and its fault rules);
only the HTTP plumbing differs, and only what a crawler sends is understood:
GET and HEAD, keep-alive, no request bodies.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from email.utils import formatdate
from http import HTTPStatus

from .faults import FaultRule
from .messages import Request, Response
from .server import LOGGED_HEADERS, FixtureSite, response_headers

_LOGGED = {name.lower(): name for name in LOGGED_HEADERS}


class _Connection(asyncio.Protocol):
    """One client connection: requests parsed off the stream, answered in order."""

    def __init__(self, site: FixtureSite) -> None:
        self.site = site
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.pending: asyncio.Task | None = None  # the answer being delayed, if any

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.pending is None:
            self._answer_waiting()

    def _answer_waiting(self) -> None:
        while self.transport is not None and (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            req, close = _parse(head)
            if req is None:
                self._send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", close=True)
                return
            resp, rule = self.site.respond(req)
            if rule is not None and rule.kind == "delay":
                self.pending = asyncio.ensure_future(self._later(rule.delay, req, resp, rule))
                return
            self._reply(req, resp, rule, close)

    async def _later(self, delay: float, req: Request, resp: Response, rule: FaultRule) -> None:
        await asyncio.sleep(delay)
        self.pending = None
        if self.transport is not None:
            self._reply(req, resp, rule, close=False)
            self._answer_waiting()

    def _reply(self, req: Request, resp: Response, rule: FaultRule | None, close: bool) -> None:
        site = self.site
        site.record(req, resp.status)
        lines = [
            f"HTTP/1.1 {resp.status} {_phrase(resp.status)}",
            f"Server: {site.server_header}",
            f"Date: {formatdate(usegmt=True)}",
            *(f"{name}: {value}" for name, value in response_headers(site, resp)),
        ]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if req.method == "HEAD" or resp.status == 304:
            self._send(head, close)
        elif rule is not None and rule.kind == "truncate":
            self._send(head + resp.body[: len(resp.body) // 2], close=True)
        else:
            self._send(head + resp.body, close)

    def _send(self, data: bytes, close: bool) -> None:
        assert self.transport is not None
        self.transport.write(data)
        if close:
            self.transport.close()
            self.transport = None

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if self.pending is not None:
            self.pending.cancel()


def _parse(head: bytes) -> tuple[Request | None, bool]:
    """The request a header block asks for, and whether the client wants the connection closed."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or parts[0] not in ("GET", "HEAD"):
        return None, True
    headers, close = {}, parts[2] == "HTTP/1.0"
    for line in lines[1:]:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        if key == "connection":
            close = value.strip().lower() == "close"
        elif key in _LOGGED:
            headers[_LOGGED[key]] = value.strip()
    return Request(parts[0], parts[1], headers), close


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


async def serve(
    site: FixtureSite, host: str, port: int, stop: asyncio.Event, ready: Callable[[], None]
) -> None:
    """Serve ``site`` on ``host:port`` (0: any free port) until ``stop`` is set;
    ``ready`` is called once it listens (``site.root`` is then its URL)."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Connection(site), host, port, reuse_address=True)
    site.listening_at(*server.sockets[0].getsockname()[:2])
    ready()
    async with server:
        await stop.wait()
