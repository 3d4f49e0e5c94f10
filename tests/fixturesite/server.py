"""Serve one fixture site over real HTTP on loopback, with a request log and fault rules.

Each :class:`FixtureSite` runs its own ``ThreadingHTTPServer`` on ``127.0.0.1`` (port 0
by default, so every site has its own root URL) in a daemon thread. Rendered pages
are cached until the next mutation, so a benchmark crawl costs the server little.
Mutations (``add_post``, ``edit_post``, ``publish``) are safe while a crawler runs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import random
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Protocol

from . import faults
from .content import Post, Section, Writer
from .faults import FaultRule
from .markup import http_date
from .messages import Request, Response
from .store import Store

LOGGED_HEADERS = (
    "User-Agent",
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Referer",
    "If-None-Match",
    "If-Modified-Since",
    "Cookie",
)


class App(Protocol):
    """What a site flavour (WordPress, news site) provides to the server."""

    default_headers: list[tuple[str, str]]

    def handle(self, req: Request) -> Response: ...
    def url_of(self, post: Post) -> str: ...
    def boilerplate_for(self, post: Post) -> list[str]: ...
    def private_paths(self) -> list[str]: ...
    def article_without_body(self, post: Post) -> str: ...


@dataclass(frozen=True)
class RequestRecord:
    """One request the site answered: ``target`` is the path with its query."""

    method: str
    target: str
    headers: dict[str, str]
    status: int
    at: float  # time.monotonic(), for ordering and rates

    @property
    def path(self) -> str:
        return Request(self.method, self.target).path


@dataclass(frozen=True)
class ExpectedArticle:
    """Ground truth for one article page: where it is and what it must yield."""

    url: str
    post: Post

    @property
    def title(self) -> str | None:
        return self.post.title

    @property
    def paragraphs(self) -> list[str]:
        return self.post.paragraph_texts()


class FixtureSite:
    """One site: its posts, its HTTP server, its request log and its fault rules."""

    def __init__(
        self,
        name: str,
        posts: list[Post],
        app_factory: Callable[[FixtureSite], App],
        *,
        server_header: str = "nginx/1.10.3",
        html_validators: bool = False,
        curly: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.name = name
        self.store = Store(posts)
        self.html_validators = html_validators
        self.server_header = server_header
        self.curly = curly
        self._host, self._port = host, port
        self._lock = threading.RLock()
        self._log: list[RequestRecord] = []
        self._faults: list[FaultRule] = []
        self._cache: dict[str, Response] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._root: str | None = None
        self.app = app_factory(self)

    # -- lifecycle --------------------------------------------------------------------
    @property
    def root(self) -> str:
        """``http://127.0.0.1:PORT/`` once started."""
        if self._root is None:
            raise RuntimeError(f"site {self.name!r} is not started")
        return self._root

    @property
    def port(self) -> int:
        return int(self.root.rsplit(":", 1)[1].rstrip("/"))

    def start(self) -> FixtureSite:
        """Bind and serve in a daemon thread; returns self."""
        if self._server is not None:
            return self
        self._server = _Server((self._host, self._port), self)
        self.listening_at(*self._server.server_address[:2])
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fixturesite-{self.name}",
            daemon=True,
        )
        self._thread.start()
        return self

    def listening_at(self, host: str, port: int) -> None:
        """Take the address a server (this site's own, or :mod:`.lean`) listens on."""
        with self._lock:
            self._root = f"http://{host}:{port}/"
            self._cache.clear()

    def stop(self) -> None:
        """Stop serving, drop open connections and close the listening socket."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FixtureSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- ground truth -----------------------------------------------------------------
    @property
    def posts(self) -> list[Post]:
        """Every post, newest first (a snapshot)."""
        with self._lock:
            return list(self.store.newest_first())

    def post(self, post_id: int) -> Post:
        """The post with this id (KeyError if none)."""
        with self._lock:
            post = self.store.get(post_id)
        if post is None:
            raise KeyError(post_id)
        return post

    def url_of(self, post: Post | int) -> str:
        """The canonical URL a crawler should record for a post."""
        with self._lock:
            return self.app.url_of(self.post(post) if isinstance(post, int) else post)

    def expected(self) -> list[ExpectedArticle]:
        """Every article page with its canonical URL, newest first."""
        return [ExpectedArticle(self.url_of(p), p) for p in self.posts]

    def boilerplate_for(self, post: Post | int) -> list[str]:
        """The non-article text blocks on one post's page (decoded); none may become an item."""
        with self._lock:
            return self.app.boilerplate_for(self.post(post) if isinstance(post, int) else post)

    def boilerplate(self) -> list[str]:
        """Every boilerplate string on any article page of the site."""
        with self._lock:
            seen = {t: None for p in self.store.newest_first() for t in self.app.boilerplate_for(p)}
        return list(seen)

    @property
    def private_paths(self) -> list[str]:
        """Paths robots.txt forbids but pages link to: a polite crawler never requests them."""
        return self.app.private_paths()

    # -- request log ------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        """Every request answered since start or :meth:`clear_log` (a snapshot)."""
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def paths(self) -> list[str]:
        """The requested targets (path and query), in order."""
        return [r.target for r in self.requests]

    # -- mutation ---------------------------------------------------------------------
    def add_post(self, post: Post) -> Post:
        """Publish (or replace) a post; feeds, listings and sitemaps show it at once."""
        with self._lock:
            self.store.put(post)
            self._cache.clear()
        return post

    def edit_post(
        self,
        post_id: int,
        *,
        sections: list[Section] | None = None,
        title: str | None = None,
        modified: datetime | None = None,
    ) -> Post:
        """Change a post's sections and/or title; ``modified`` defaults to just after any post's."""
        with self._lock:
            old = self.post(post_id)
            bumped = modified or max(self.store.latest_modified(), old.modified) + timedelta(
                hours=1
            )
            new = dataclasses.replace(
                old,
                sections=sections if sections is not None else old.sections,
                title=title if title is not None else old.title,
                modified=bumped,
            )
            return self.add_post(new)

    def publish(self, *, when: datetime | None = None, kind: str = "weekly", seed: int = 0) -> Post:
        """Write and add a new post (a weekly update by default) dated a week after the newest."""
        with self._lock:
            posts = self.store.newest_first()
            when = when or posts[0].date + timedelta(days=7)
            writer = Writer(random.Random(seed * 1000 + len(posts)), curly=self.curly)
            writer.seen.update(t for p in posts for t in p.paragraph_texts())
            writer.slugs.update(p.slug for p in posts)
            new_id = max(p.id for p in posts) + 5
            post = (
                writer.weekly(new_id, when) if kind == "weekly" else writer.longform(new_id, when)
            )
            return self.add_post(post)

    # -- faults -----------------------------------------------------------------------
    def add_fault(
        self,
        match: str | int,
        kind: str = "status",
        *,
        status: int = 503,
        times: int | None = None,
        delay: float = 0.5,
    ) -> FaultRule:
        """Make a path (``str``) or a post's page (``int`` id) misbehave; see :mod:`.faults`."""
        rule = FaultRule(match, kind, status, times, delay)
        with self._lock:
            self._faults.append(rule)
        return rule

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    # -- serving ----------------------------------------------------------------------
    def respond(self, req: Request) -> tuple[Response, FaultRule | None]:
        """The response to a request, after faults and conditional-GET handling."""
        with self._lock:
            resp = self._cache.get(req.target)
            if resp is None:
                resp = self.app.handle(req)
                self._cache[req.target] = resp
            rule = next(
                (f for f in self._faults if f.matches(req.target, req.path, resp.post_id)), None
            )
            if rule is not None:
                rule.hits += 1
                resp = self._apply(rule, resp)
        return _conditional(req, resp), rule

    def _apply(self, rule: FaultRule, resp: Response) -> Response:
        if rule.kind == "status":
            return faults.error_response(rule.status)
        if rule.kind == "no-body" and resp.post_id is not None:
            page = self.app.article_without_body(self.post(resp.post_id))
            return dataclasses.replace(
                resp, body=page.encode("utf-8"), etag=None, last_modified=None
            )
        charsets = ("cp1252", "meta-charset", "undeclared")
        if rule.kind in charsets and resp.content_type.startswith("text/html"):
            return faults.to_cp1252(
                resp, header=rule.kind == "cp1252", meta=rule.kind != "undeclared"
            )
        return resp

    def record(self, req: Request, status: int) -> None:
        with self._lock:
            self._log.append(
                RequestRecord(req.method, req.target, req.headers, status, time.monotonic())
            )


def _conditional(req: Request, resp: Response) -> Response:
    """304 Not Modified when the validators match (ETag first, then the date)."""
    if resp.status != 200 or (resp.etag is None and resp.last_modified is None):
        return resp
    inm, ims = req.headers.get("If-None-Match"), req.headers.get("If-Modified-Since")
    fresh = False
    if inm is not None and resp.etag is not None:
        fresh = inm.strip() == "*" or resp.etag in [t.strip() for t in inm.split(",")]
    elif ims is not None and resp.last_modified is not None:
        try:
            fresh = resp.last_modified.replace(microsecond=0) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            fresh = False
    if not fresh:
        return resp
    return Response(304, b"", resp.content_type, etag=resp.etag, last_modified=resp.last_modified)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as crawlers expect
    timeout = 15  # idle keep-alive connections end on their own
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms ACK waits
    server: _Server

    def version_string(self) -> str:
        return self.server.site.server_header

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the site keeps its own request log."""

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, *, head: bool) -> None:
        site = self.server.site
        headers = {k: v for k in LOGGED_HEADERS if (v := self.headers.get(k)) is not None}
        req = Request(self.command, self.path, headers)
        resp, rule = site.respond(req)
        if rule is not None and rule.kind == "delay":
            time.sleep(rule.delay)
        site.record(req, resp.status)  # before the body goes out, so a client sees it logged
        self.send_response(resp.status)
        for name, value in self._headers(site, resp):
            self.send_header(name, value)
        self.end_headers()
        if head or resp.status == 304:
            return
        if rule is not None and rule.kind == "truncate":
            self.wfile.write(resp.body[: len(resp.body) // 2])
            self.close_connection = True
            return
        self.wfile.write(resp.body)

    def _headers(self, site: FixtureSite, resp: Response) -> list[tuple[str, str]]:
        return response_headers(site, resp)


def response_headers(site: FixtureSite, resp: Response) -> list[tuple[str, str]]:
    """The headers a response goes out with, after the status line (and Server, Date)."""
    out = [("Content-Type", resp.content_type)]
    if resp.status != 304:
        out.append(("Content-Length", str(len(resp.body))))
    if resp.etag:
        out.append(("ETag", resp.etag))
    if resp.last_modified:
        out.append(("Last-Modified", http_date(resp.last_modified)))
    return out + site.app.default_headers + resp.headers


class _Server(ThreadingHTTPServer):
    """A threading server that can drop its keep-alive connections when stopped."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: FixtureSite) -> None:
        self.site = site
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake handler threads blocked on idle keep-alive sockets so they close them."""
        with self._open_lock:
            for sock in list(self._open):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-response is normal for a crawler; anything else is shown."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)
