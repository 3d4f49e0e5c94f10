"""A hostile website on loopback: every way a site can misbehave, one URL each.

The fixture site (:mod:`tests.fixturesite`) is a well-behaved WordPress; this one
is a raw socket server, because some faults cannot be made with an HTTP library:
a server that accepts and never answers, a connection reset half way through a
body, a body streamed without end. Each case is an article linked from the home
page (``a.post``), so one crawl of the site tries them all; the site records
every request (path and Host header) so a test can tell what the crawler did.

The same server answers as ``127.0.0.1`` and as ``localhost``: a redirect to
``localhost`` is "another host", and any request carrying that Host proves the
crawler followed it.

:class:`SilentServer` is the receiver-side counterpart for delivery faults: an
SMTP or HTTP server that accepts and never answers, or trickles bytes for ever.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import socket
import socketserver
import struct
import threading
from dataclasses import dataclass, field
from functools import cache

#: Articles that must be stored, with the paragraphs each must yield.
GOOD = {
    f"/p/good-{n}": [
        f"On {n} March, fixture reporters saw convoy number {n} leave the port of Misrata.",
        f"Residents counted {n * 3} trucks on the coastal road, according to the local council.",
    ]
    for n in range(1, 4)
}
#: windows-1256 Arabic: must come out as the same Unicode text.
ARABIC = ["في 3 مارس، قالت القوات إن طائراتها قصفت مستودعا في درنة.", "وأكد المجلس المحلي الخبر."]
#: A paragraph with invalid UTF-8 bytes in it, and the clean one after it.
BAD_UTF8 = b"Broken bytes \xff\xfe here, then on 9 March the market in Sabha reopened."
BAD_UTF8_CLEAN = "Afterwards, the council of Sabha said the road to Ubari stays open."
MALFORMED = [
    "On 12 March, a malformed page still reported clashes near Sirte airport.",
    "Witnesses said the fighting lasted until the evening prayer.",
]
RETRIED = {
    "/p/retry-429": ["On 14 March, a throttled page reported that the Ghat crossing reopened."],
    "/p/burst-500": ["On 15 March, a flaky page reported a new checkpoint at Jufra."],
}
#: Cases that must be recorded as failed pages, never stored, never stall the crawl.
#: Scraped text that tries to be markup in an e-mail or a chat message (as the page's text).
HOSTILE_TEXT = [
    "On 16 March, fighters in Derna posted <script>alert('x')</script> and"
    " <img src=x onerror=alert(1)> with [a link](javascript:alert(1)) to @channel <!channel>.",
    "On 17 March, the Derna council replied with **bold** claims, ![a picture](http://evil/x.png)"
    ' and <a href="javascript:alert(2)">a fake link</a> in plain text.',
]
HOSTILE_TITLE = "<script>alert(3)</script> Derna [news](javascript:alert(4))"

FAILING = (
    "/p/hang",
    "/p/reset",
    "/p/loop/0",
    "/p/huge",
    "/p/gzip-bomb",
    "/p/layout-changed",
    "/p/offsite",
    "/p/a-pdf",
)
HUGE_BYTES = 30_000_000
BOMB_BYTES = 200_000_000

#: A feed with a billion-laughs DTD and external entities (a local file, a URL on this site).
FEED_TEMPLATE = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY net SYSTEM "{root}xxe-probe">
]>
<rss version="2.0"><channel><title>&lol9;</title><link>{root}</link>
<item><title>&xxe; &net;</title><link>{root}p/good-1</link><guid>g1</guid></item>
<item><title>&lol9;</title><link>{root}p/good-2</link><guid>g2</guid></item>
</channel></rss>
"""


@dataclass(frozen=True)
class Hit:
    """One request the site received."""

    path: str
    host: str


def article(title: str, paragraphs: list[str], *, layout: str = "old") -> str:
    """An article page; ``layout="new"`` is the redesigned theme the selectors do not know."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    if layout == "new":
        main = f'<section class="story__text">{body}</section>'
    else:
        main = f'<div class="entry-content">{body}</div>'
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<title>{title}</title></head><body><h1 class="entry-title">{title}</h1>'
        f'<time class="published" datetime="2016-03-15T10:00:00+00:00">15 March 2016</time>'
        f"{main}</body></html>"
    )


@cache
def gzip_bomb() -> bytes:
    """``BOMB_BYTES`` of zeros gzipped (about 200 KB on the wire)."""
    return gzip.compress(b"\0" * BOMB_BYTES, compresslevel=9)


@dataclass
class HostileSite:
    """The server; ``layout`` switches every good article to the new theme."""

    layout: str = "old"
    listed: list[str] | None = None  # the home page's links; all cases by default
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: socketserver.ThreadingTCPServer | None = None

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> HostileSite:
        site = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                site._serve(self.request)

        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> HostileSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def requested(self, prefix: str) -> int:
        with self._lock:
            return sum(1 for h in self.hits if h.path.startswith(prefix))

    def hosts(self) -> set[str]:
        with self._lock:
            return {h.host.split(":")[0] for h in self.hits}

    # -- serving -------------------------------------------------------------

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
        except OSError:
            return
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        path = head[0].split(" ")[1] if len(head[0].split(" ")) > 1 else "/"
        host = next(
            (h.split(":", 1)[1].strip() for h in head[1:] if h.lower().startswith("host:")), ""
        )
        with self._lock:
            self.hits.append(Hit(path, host))
            self.counts[path] = self.counts.get(path, 0) + 1
            nth = self.counts[path]
        # The crawler may hang up on us (a cancelled download): that is the point.
        with contextlib.suppress(OSError):
            self._answer(conn, path, nth)

    def _answer(self, conn: socket.socket, path: str, nth: int) -> None:
        if path == "/":
            self._send(conn, 200, self.home().encode())
        elif path == "/good-only/":
            links = "".join(f'<article><h2><a href="{p}">{p}</a></h2></article>' for p in GOOD)
            self._send(conn, 200, f"<html><body>{links}</body></html>".encode())
        elif path in GOOD:
            title = path.rsplit("/", 1)[1]
            self._send(conn, 200, article(title, GOOD[path], layout=self.layout).encode())
        elif path == "/p/retry-429" and nth == 1:
            self._send(conn, 429, b"slow down", [("Retry-After", "1")])
        elif path == "/p/burst-500" and nth <= 2:
            self._send(conn, 500 if nth == 1 else 503, b"<h1>busy</h1>")
        elif path in RETRIED:
            self._send(conn, 200, article(path.rsplit("/", 1)[1], RETRIED[path]).encode())
        elif path == "/p/hang":
            self._stopping.wait()  # accept, read the request, never answer
        elif path == "/p/reset":
            self._reset_mid_body(conn)
        elif path.startswith("/p/loop/"):
            n = int(path.rsplit("/", 1)[1])
            self._send(conn, 302, b"", [("Location", f"/p/loop/{n + 1}")])
        elif path == "/p/offsite":
            self._send(conn, 301, b"", [("Location", f"http://localhost:{self.port}/p/elsewhere")])
        elif path == "/p/huge":
            self._stream_huge(conn)
        elif path == "/p/gzip-bomb":
            self._send(conn, 200, gzip_bomb(), [("Content-Encoding", "gzip")])
        elif path == "/p/malformed":
            self._send(conn, 200, malformed_page())
        elif path == "/p/bad-utf8":
            self._send(conn, 200, bad_utf8_page())
        elif path == "/p/arabic":
            page = article("تقرير", ARABIC).replace('charset="utf-8"', 'charset="windows-1256"')
            self._send(conn, 200, page.encode("cp1256"), ctype="text/html; charset=windows-1256")
        elif path == "/p/hostile":
            self._send(conn, 200, hostile_page())
        elif path == "/p/layout-changed":
            self._send(conn, 200, article("redesign", GOOD["/p/good-1"], layout="new").encode())
        elif path == "/p/a-pdf":  # a linked document, not a page
            pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\nstream\n\x00\x01\x02endstream"
            self._send(conn, 200, pdf, ctype="application/pdf")
        elif path == "/bomb-feed.xml":
            feed = FEED_TEMPLATE.replace("{root}", self.root).encode()
            self._send(conn, 200, feed, ctype="application/rss+xml; charset=utf-8")
        else:
            self._send(conn, 404, b"<h1>not found</h1>")

    def home(self) -> str:
        paths = self.listed or [
            *GOOD,
            *RETRIED,
            "/p/malformed",
            "/p/bad-utf8",
            "/p/arabic",
            *FAILING,
        ]
        links = "".join(f'<h2><a class="post" href="{p}">{p}</a></h2>' for p in paths)
        return (
            f"<!DOCTYPE html><html><head><title>hostile</title></head><body>{links}</body></html>"
        )

    @staticmethod
    def _send(
        conn: socket.socket,
        status: int,
        body: bytes,
        headers: list[tuple[str, str]] | None = None,
        ctype: str = "text/html; charset=utf-8",
    ) -> None:
        lines = [f"HTTP/1.1 {status} X", f"Content-Type: {ctype}", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in headers or []]
        lines.append("Connection: close")
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    @staticmethod
    def _reset_mid_body(conn: socket.socket) -> None:
        body = article("reset", GOOD["/p/good-1"] * 200).encode()
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n"
        conn.sendall(head.encode() + body[: len(body) // 2])
        # SO_LINGER 0: close() sends RST instead of FIN, a reset mid-body.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()

    def _stream_huge(self, conn: socket.socket) -> None:
        """A page with no Content-Length, streamed until ``HUGE_BYTES`` or a hang-up."""
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
        conn.sendall(b'<html><body><div class="entry-content">')
        chunk = b"<p>" + b"filler text of a page that never ends " * 100 + b"</p>"
        sent = 0
        while sent < HUGE_BYTES and not self._stopping.is_set():
            conn.sendall(chunk)
            sent += len(chunk)


def malformed_page() -> bytes:
    """Unclosed tags, stray end tags, a NUL, an unterminated comment at the very end."""
    return (
        "<html><head><title>malformed</title><body><h1 class=entry-title>malformed</h3>"
        "<div class=entry-content><p>" + MALFORMED[0] + "<p>" + MALFORMED[1] + "\x00</b></i>"
        "<table><tr><td>"
        "</div></span></html><!-- never closed"
    ).encode()


def bad_utf8_page() -> bytes:
    head = article("bad bytes", ["PLACEHOLDER", BAD_UTF8_CLEAN]).encode()
    return head.replace(b"PLACEHOLDER", BAD_UTF8)


class SilentServer:
    """A TCP server on loopback that accepts and then never finishes answering.

    ``mode="hang"``: reads nothing and says nothing (an SMTP server that never greets,
    a web server that never answers). ``mode="trickle"``: after the request, one byte
    every ``every`` seconds, for ever: each read succeeds in time, so a per-read timeout
    never fires and only a deadline on the whole send can end it. ``open`` counts
    connections still held.
    """

    def __init__(self, mode: str = "hang", every: float = 0.2) -> None:
        self.mode, self.every = mode, every
        self.accepted = 0
        self.open = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def start(self) -> SilentServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the listening socket and every held connection (idempotent)."""
        self._stopping.set()
        self._sock.close()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(5)

    def __enter__(self) -> SilentServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.accepted += 1
                self.open += 1
            threading.Thread(target=self._hold, args=(conn,), daemon=True).start()

    def _hold(self, conn: socket.socket) -> None:
        try:
            if self.mode == "trickle":
                conn.recv(65536)
                while not self._stopping.wait(self.every):
                    conn.sendall(b"H")
            else:
                self._stopping.wait()
        except OSError:
            pass
        finally:
            conn.close()
            with self._lock:
                self.open -= 1


def hostile_page() -> bytes:
    """The hostile text escaped into the page, so that it is the page's *text*; plus a real
    javascript: link and a script element, which must not become text at all."""
    paragraphs = [html.escape(t, quote=False) for t in HOSTILE_TEXT]
    paragraphs[0] += ' <a href="javascript:alert(5)">see more</a><script>alert(6)</script>'
    page = article(html.escape(HOSTILE_TITLE, quote=False), ["P0", "P1"])
    return (
        page.replace("<p>P0</p>", f"<p>{paragraphs[0]}</p>")
        .replace("<p>P1</p>", f"<p>{paragraphs[1]}</p>")
        .encode()
    )
