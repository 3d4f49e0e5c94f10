"""The loopback receivers, driven through real Apprise: what arrives, and how failures look."""

from __future__ import annotations

import threading
import time

import apprise
import pytest

from alerts.render import render_alert
from tests.receivers import SmtpReceiver, WebhookReceiver
from tests.test_render import make_item

HTML = apprise.NotifyFormat.HTML


def send(url: str, title: str = "Subject line", body: str = "<p>Body</p>", fmt=HTML):
    """Notify one URL through a fresh Apprise object (the e-mail plugin throttles a reused one)."""
    apobj = apprise.Apprise()
    assert apobj.add(url), url
    return apobj.notify(title=title, body=body, body_format=fmt)


@pytest.fixture
def smtp():
    with SmtpReceiver() as receiver:
        yield receiver


@pytest.fixture
def hook():
    with WebhookReceiver() as receiver:
        yield receiver


# --- SMTP --------------------------------------------------------------------------------------


def test_rendered_alert_arrives_by_email_with_recipient_subject_and_html(smtp):
    """A rendered HTML alert sent to the mailto:// URL arrives with its subject and both parts."""
    title, body = render_alert(make_item(), "html")
    assert send(smtp.url(to="desk@example.org", sender="wirewatch@example.org"), title, body)
    (mail,) = smtp.mails
    assert mail.recipients == ["desk@example.org"]
    assert mail.sender == "wirewatch@example.org"
    assert mail.subject == "LNA, Islamic State, Ubari — libya-analysis"
    assert mail.message["To"] == "desk@example.org"
    assert '<a href="https://libya-analysis.example/2016/03/weekly-update-7/">' in mail.html
    assert "<strong>Ubari</strong>" in mail.html
    assert "Ubari" in mail.text and "<strong>" not in mail.text
    assert smtp.messages == [mail.message]


def test_url_needs_no_tls_options_and_mailtos_needs_mode_insecure(smtp):
    """mailto:// is plain SMTP as is; mailtos:// (STARTTLS) only reaches it with mode=insecure."""
    assert send(smtp.url())
    assert send(smtp.url().replace("mailto://", "mailtos://") + "&mode=insecure")
    assert not send(smtp.url().replace("mailto://", "mailtos://"))
    assert len(smtp.mails) == 2


def test_several_messages_in_a_row_are_not_throttled(smtp):
    """Three sends through fresh Apprise objects arrive well within Apprise's 5.5 s throttle."""
    started = time.monotonic()
    for n in range(3):
        assert send(smtp.url(to=f"desk{n}@example.org"))
    assert time.monotonic() - started < 3
    assert [m.recipients for m in smtp.wait_for(3)] == [[f"desk{n}@example.org"] for n in range(3)]


def test_stopped_server_gives_a_falsy_result_without_raising(smtp):
    """With the server stopped the connection is refused: notify() returns a falsy result."""
    url = smtp.url()
    smtp.stop()
    result = send(url)
    assert not result
    assert result.failed_count == 1
    smtp.start()
    assert send(url) and len(smtp.mails) == 1


@pytest.mark.parametrize("code", [421, 451, 550])
def test_refusing_server_gives_a_falsy_result_then_accepts_again(smtp, code):
    """A refusal after DATA fails the send; once the refusals are used up, mail is accepted."""
    smtp.refuse(code, times=1)
    assert not send(smtp.url())
    assert smtp.refused == 1 and smtp.mails == []
    assert send(smtp.url())
    assert len(smtp.mails) == 1


def test_auth_with_user_and_password_in_the_url():
    """With auth configured, a URL with the right user:pass@ delivers; wrong or none fails."""
    with SmtpReceiver(auth=("wire watch", "s3cret:@/")) as smtp:
        assert send(smtp.url(user="wire watch", password="s3cret:@/"))
        assert not send(smtp.url(user="wire watch", password="wrong"))
        assert not send(smtp.url())
        assert [m.login for m in smtp.mails] == ["wire watch"]


# --- webhook -----------------------------------------------------------------------------------


def test_rendered_alert_arrives_as_json(hook):
    """json:// posts version, title, message, attachments and type to the given path."""
    title, body = render_alert(make_item(), "text")
    assert send(hook.url("/alerts"), title, body, apprise.NotifyFormat.TEXT)
    (request,) = hook.received
    assert request.method == "POST" and request.path == "/alerts" and request.status == 200
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.json == {
        "version": "1.0",
        "title": title,
        "message": body,
        "attachments": [],
        "type": "info",
    }
    assert hook.delivered == [request.json]


def test_failing_status_gives_a_falsy_result_for_the_first_requests(hook):
    """fail(500, times=2): the first two sends fail, the third succeeds; all are recorded."""
    hook.fail(500, times=2)
    assert [bool(send(hook.url())) for _ in range(3)] == [False, False, True]
    assert [r.status for r in hook.received] == [500, 500, 200]
    assert len(hook.delivered) == 1


def test_slow_answer_times_out_the_sender(hook):
    """A delayed answer beyond Apprise's read timeout (rto) is a failure, yet the body arrived."""
    hook.delay = 2.0
    started = time.monotonic()
    assert not send(hook.url(rto="0.3"))
    assert time.monotonic() - started < 1.5
    assert len(hook.received) == 1


def test_callback_runs_after_receipt_and_before_the_answer(hook):
    """on_receive sees the request while the sender is still waiting for the answer."""
    seen = []
    answered = threading.Event()

    def on_receive(request):
        seen.append((request.json["title"], answered.is_set()))

    hook.on_receive = on_receive
    assert send(hook.url(), title="first")
    answered.set()
    assert seen == [("first", False)]


def test_stop_cuts_a_pending_delay_short():
    """stop() returns promptly even while a handler is holding an answer back."""
    hook = WebhookReceiver(delay=30).start()
    url = hook.url()
    sender = threading.Thread(target=send, args=(url,))
    sender.start()
    hook.wait_for(1)
    started = time.monotonic()
    hook.stop()
    sender.join(timeout=10)
    assert not sender.is_alive()
    assert time.monotonic() - started < 5
