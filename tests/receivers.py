"""Real message receivers on loopback for delivery tests: an SMTP server and a webhook endpoint.

Both listen on 127.0.0.1 only, on a free port, and never connect anywhere. Use them with ``with``::

    with SmtpReceiver() as smtp, WebhookReceiver() as hook:
        apobj = apprise.Apprise()
        apobj.add(smtp.url(to="desk@example.org"))
        apobj.add(hook.url("/hook"))
        assert apobj.notify(title="t", body="<p>b</p>", body_format=apprise.NotifyFormat.HTML)
        assert smtp.mails[0].subject == "t" and hook.received[0].json["title"] == "t"

Apprise URLs that reach them (checked with Apprise 2.2):

- ``mailto://127.0.0.1:PORT?to=A&from=B``: plain SMTP, no STARTTLS. ``mailto://`` means secure
  mode ``insecure`` and port 25 unless a port is given; ``mailtos://`` means STARTTLS on 587 (or
  ``mode=ssl``, 465), and ``mode=insecure`` turns TLS off even there. ``user:pass@`` in the URL
  makes Apprise log in (AUTH PLAIN), which needs ``SmtpReceiver(auth=(user, password))``.
- ``json://127.0.0.1:PORT/path``: an HTTP POST of ``{"version", "title", "message",
  "attachments", "type"}``; any 2xx answer is success.

Apprise never raises on a failed send: ``notify()`` returns a falsy ``AppriseResult``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, urlencode

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

LOOPBACK = "127.0.0.1"


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` until true, or raise TimeoutError naming ``what``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.01)


# --- SMTP --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMail:
    """One message the SMTP receiver accepted: the envelope and the parsed message."""

    sender: str
    recipients: list[str]  # envelope recipients (RCPT TO), Bcc included
    message: EmailMessage
    login: str | None  # the AUTH user name, if the client logged in

    @property
    def subject(self) -> str:
        """The decoded Subject header ("" if none)."""
        return str(self.message.get("Subject", ""))

    @property
    def html(self) -> str | None:
        """The decoded text/html part, if any."""
        return body_part(self.message, "html")

    @property
    def text(self) -> str | None:
        """The decoded text/plain part, if any."""
        return body_part(self.message, "plain")


def body_part(message: EmailMessage, subtype: str) -> str | None:
    """The decoded ``text/<subtype>`` body of a message ("html" or "plain"), or None."""
    part = message.get_body(preferencelist=(subtype,))
    return None if part is None else part.get_content()


class _Handler:
    """aiosmtpd handler hooks: record accepted messages, refuse on demand."""

    def __init__(self, owner: SmtpReceiver) -> None:
        self.owner = owner

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list
    ) -> str:
        if self.owner.auth is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        refusal = self.owner._take_refusal()
        if refusal is not None:
            return refusal
        message = message_from_bytes(envelope.content, policy=policy.default)
        login = session.auth_data.login.decode() if session.auth_data else None
        mail = ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message, login)
        self.owner._record(mail)
        return "250 OK: queued"


class _Controller(Controller):
    """An aiosmtpd Controller that may bind port 0 and learn the port it got.

    aiosmtpd 1.4 connects to ``self.port`` after binding to check the server is up, which fails
    for port 0; reading the bound port back first makes port 0 work without a find-then-bind race.
    """

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpReceiver:
    """An SMTP server on 127.0.0.1 collecting what it receives.

    auth: (user, password) to offer AUTH (over plain text, as tests need no TLS) and to refuse
        recipients from clients that did not log in with them.
    """

    def __init__(self, *, auth: tuple[str, str] | None = None) -> None:
        self.auth = auth
        self.port = 0  # known after the first start(); kept across stop()/start()
        self._mails: list[ReceivedMail] = []
        self._refusal: tuple[str, int | None] | None = None
        self._refused = 0
        self._lock = threading.Lock()
        self._controller: _Controller | None = None

    # lifecycle

    def start(self) -> SmtpReceiver:
        """Listen (again, on the same port after a stop())."""
        if self._controller is not None:
            return self
        controller = _Controller(
            _Handler(self),
            hostname=LOOPBACK,
            port=self.port,
            server_hostname="wirewatch-test",  # the default is getfqdn(): a DNS lookup
            authenticator=self._authenticate if self.auth else None,
            auth_require_tls=False,
        )
        controller.start()
        self.port = controller.port
        self._controller = controller
        return self

    def stop(self) -> None:
        """Stop listening: connections are refused until start() is called again."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._controller is not None

    # behaviour

    def refuse(self, code: int = 451, times: int | None = None, text: str = "") -> None:
        """Answer the next ``times`` messages (all, if None) with ``code`` after DATA.

        451 is a temporary local error, 421 "service not available, closing channel", 550 a
        permanent refusal. Refused messages are not recorded; ``refused`` counts them.
        """
        reply = f"{code} {text or 'Refused by the test receiver'}"
        with self._lock:
            self._refusal = (reply, times)

    def accept(self) -> None:
        """Accept messages again after refuse()."""
        with self._lock:
            self._refusal = None

    def _take_refusal(self) -> str | None:
        with self._lock:
            if self._refusal is None:
                return None
            reply, times = self._refusal
            if times is not None:
                self._refusal = (reply, times - 1) if times > 1 else None
            self._refused += 1
            return reply

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and self.auth is not None
            and (data.login, data.password) == (self.auth[0].encode(), self.auth[1].encode())
        )
        # handled=False lets aiosmtpd send the 535 reply; with the default (True) nothing is sent
        # and the client waits for its timeout.
        return AuthResult(success=ok, handled=ok, auth_data=data)

    # what arrived

    def _record(self, mail: ReceivedMail) -> None:
        with self._lock:
            self._mails.append(mail)

    @property
    def mails(self) -> list[ReceivedMail]:
        """Accepted messages with their envelopes, in arrival order (a snapshot)."""
        with self._lock:
            return list(self._mails)

    @property
    def messages(self) -> list[EmailMessage]:
        """Accepted messages, parsed (a snapshot)."""
        return [mail.message for mail in self.mails]

    @property
    def refused(self) -> int:
        """How many messages were refused by refuse()."""
        with self._lock:
            return self._refused

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMail]:
        """Block until at least ``count`` messages arrived; return them all."""
        _wait(lambda: len(self.mails) >= count, timeout, f"{count} e-mail(s)")
        return self.mails

    def clear(self) -> None:
        """Forget what arrived so far."""
        with self._lock:
            self._mails.clear()
            self._refused = 0

    def url(
        self,
        to: str = "desk@example.org",
        sender: str = "wirewatch@example.org",
        *,
        user: str | None = None,
        password: str | None = None,
    ) -> str:
        """The Apprise URL delivering to this server over plain SMTP (AUTH if user is given)."""
        if not self.port:
            raise RuntimeError("start the receiver before asking for its URL")
        login = ""
        if user is not None:
            secret = f":{quote(password, safe='')}" if password else ""
            login = f"{quote(user, safe='')}{secret}@"
        query = urlencode({"to": to, "from": sender}, safe="@")
        return f"mailto://{login}{LOOPBACK}:{self.port}?{query}"


# --- webhook -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookRequest:
    """One request the webhook receiver got, and the status it answered with."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    received_at: float = field(default_factory=time.time)

    @property
    def json(self) -> Any:
        """The body parsed as JSON (Apprise json:// sends version, title, message, type, ...)."""
        return json.loads(self.body)


class _WebhookHandler(BaseHTTPRequestHandler):
    server: _WebhookServer

    def _receive(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status = owner._next_status()
        request = WebhookRequest(self.command, self.path, dict(self.headers), body, status)
        owner._record(request)
        callback = owner.on_receive
        if callback is not None:
            callback(request)
        if owner.delay:
            owner._stopping.wait(owner.delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")
        except (BrokenPipeError, ConnectionResetError):  # the sender gave up or was killed
            pass

    do_POST = do_PUT = do_PATCH = _receive

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class _WebhookServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: WebhookReceiver) -> None:
        self.owner = owner
        super().__init__((LOOPBACK, 0), _WebhookHandler)


class WebhookReceiver:
    """An HTTP endpoint on 127.0.0.1 recording every request and answering as configured.

    status: the normal answer (200). delay: seconds to wait before answering (stop() cuts it
    short). on_receive: called with the WebhookRequest after it is recorded and before the answer
    is sent, in the server's thread (e.g. to kill the sending process at exactly that point).
    All three may be changed while running.
    """

    def __init__(
        self,
        *,
        status: int = HTTPStatus.OK,
        delay: float = 0.0,
        on_receive: Callable[[WebhookRequest], None] | None = None,
    ) -> None:
        self.status = int(status)
        self.delay = delay
        self.on_receive = on_receive
        self._failures: list[int] = []
        self._received: list[WebhookRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _WebhookServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> WebhookReceiver:
        """Listen on a free loopback port."""
        if self._server is None:
            self._stopping.clear()
            self._server = _WebhookServer(self)
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket; pending delays end at once."""
        if self._server is not None:
            self._stopping.set()
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join()
            self._server = self._thread = None

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the webhook receiver is not running")
        return self._server.server_address[1]

    def url(self, path: str = "/hook", **params: str) -> str:
        """The Apprise ``json://`` URL posting here; params become URL options (e.g. rto="1")."""
        query = f"?{urlencode(params)}" if params else ""
        return f"json://{LOOPBACK}:{self.port}{path}{query}"

    def fail(self, status: int = HTTPStatus.INTERNAL_SERVER_ERROR, times: int = 1) -> None:
        """Answer the next ``times`` requests with ``status``, then the normal status again."""
        with self._lock:
            self._failures.extend([int(status)] * times)

    def _next_status(self) -> int:
        with self._lock:
            return self._failures.pop(0) if self._failures else self.status

    def _record(self, request: WebhookRequest) -> None:
        with self._lock:
            self._received.append(request)

    @property
    def received(self) -> list[WebhookRequest]:
        """Every request received, answered with success or not, in order (a snapshot)."""
        with self._lock:
            return list(self._received)

    @property
    def delivered(self) -> list[Any]:
        """The JSON bodies of the requests answered with a 2xx status."""
        return [r.json for r in self.received if 200 <= r.status < 300]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[WebhookRequest]:
        """Block until at least ``count`` requests arrived; return them all."""
        _wait(lambda: len(self.received) >= count, timeout, f"{count} webhook request(s)")
        return self.received

    def clear(self) -> None:
        """Forget what arrived so far."""
        with self._lock:
            self._received.clear()
