"""Delivery misbehaving: real SMTP and webhook receivers refusing, hanging, failing, slow.

Each test asserts the outbox guarantee: every alert reaches its receiver exactly
once when the receiver works again, none twice; a send that went out but got no
answer is ``unknown`` (never resent on its own); and one bad receiver never
holds up the others.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from alerts.deliver import deliver
from tests.hostilesite import SilentServer
from tests.receivers import SmtpReceiver, WebhookReceiver
from tests.test_alerts import THREE, db_with_items, subscriber


def states(db) -> Counter:
    return Counter(r[0] for r in db.execute("select state from outbox").fetchall())


MARKERS = ("depot", "road south", "denied")


def which(message: str) -> str:
    """The one item of THREE a message carries (by a phrase no other item has)."""
    (found,) = [t for t, m in zip(THREE, MARKERS, strict=True) if m in message]
    return found


def later(hours: int) -> datetime:
    """A pass far enough ahead for every backed-off retry to be due."""
    return datetime.now(UTC) + timedelta(hours=hours)


def hook_items(hook: WebhookReceiver) -> Counter:
    """How many times each item's text was delivered (answered 2xx)."""
    return Counter(which(body["message"]) for body in hook.delivered)


def mail_items(smtp: SmtpReceiver) -> Counter:
    """How many times each item's text arrived by e-mail."""
    return Counter(which(mail.html) for mail in smtp.mails)


def test_smtp_refusing_then_recovering_delivers_each_alert_once(tmp_path):
    with SmtpReceiver() as smtp:
        db, config = db_with_items(tmp_path, THREE, subscriber("mail", smtp.url(), ["derna"]))
        smtp.refuse(451, times=None)
        try:
            first = deliver(db, config)
            assert (first.sent, first.retrying) == (0, 3) and smtp.refused == 3
            assert states(db) == {"pending": 3}
            smtp.accept()
            second = deliver(db, config, now=later(1))
            third = deliver(db, config, now=later(2))
            assert (second.sent, third.sent) == (3, 0)
            assert states(db) == {"sent": 3}
        finally:
            db.close()
        smtp.wait_for(3)
        assert mail_items(smtp) == dict.fromkeys(THREE, 1)


def test_hanging_smtp_does_not_hold_up_the_webhook_and_delivers_once_it_answers(tmp_path):
    """An SMTP server that accepts and never greets: the webhook is served meanwhile.

    The hang lasts until the webhook has all its alerts (then the server goes away),
    so a delivery that waited for the mail channel first would never finish them.
    """
    hang = SilentServer("hang").start()
    port = hang.port
    held_while_served: list[int] = []

    def on_hook(_request) -> None:
        if len(hook.received) == 3:
            for _ in range(300):  # the mail channel's connection may still be on its way
                if hang.accepted:
                    break
                threading.Event().wait(0.1)
            held_while_served.append(hang.open)
            hang.stop()

    with WebhookReceiver(on_receive=on_hook) as hook:
        mail_url = f"mailto://127.0.0.1:{port}?to=desk@example.org&from=ww@example.org&cto=60"
        db, config = db_with_items(
            tmp_path,
            THREE,
            subscriber("mail", mail_url, ["derna"]) + subscriber("hook", hook.url(), ["derna"]),
        )
        try:
            first = deliver(db, config)
            assert first.sent == 3 and first.retrying == 3
            assert held_while_served == [1]  # the webhook got all while SMTP hung
            smtp = SmtpReceiver()
            smtp.port = port  # the mail server comes back where it was
            with smtp:
                assert deliver(db, config, now=later(1)).sent == 3
                assert deliver(db, config, now=later(2)).sent == 0
                smtp.wait_for(3)
                assert mail_items(smtp) == dict.fromkeys(THREE, 1)
            assert states(db) == {"sent": 6}
        finally:
            db.close()
            hang.stop()
        assert hook_items(hook) == dict.fromkeys(THREE, 1)


def test_webhook_answering_500_then_recovering_delivers_each_alert_once(tmp_path):
    with WebhookReceiver() as hook:
        db, config = db_with_items(tmp_path, THREE, subscriber("hook", hook.url(), ["derna"]))
        hook.fail(500, times=4)
        try:
            reports = [deliver(db, config, now=later(h)) for h in (0, 2, 4, 6)]
        finally:
            db.close()
        assert [r.sent for r in reports] == [0, 2, 1, 0]
        assert [r.status for r in hook.received].count(500) == 4
        assert hook_items(hook) == dict.fromkeys(THREE, 1)


def test_slow_webhook_does_not_hold_up_a_fast_one(tmp_path):
    """The slow receiver answers only after the fast one has everything: no deadlock."""
    fast_done = threading.Event()
    waited = []
    with WebhookReceiver() as slow, WebhookReceiver() as fast:
        slow.on_receive = lambda _request: waited.append(fast_done.wait(30))
        fast.on_receive = lambda _request: len(fast.received) >= 3 and fast_done.set()
        db, config = db_with_items(
            tmp_path,
            THREE,
            subscriber("slow", slow.url(rto="60"), ["derna"])
            + subscriber("fast", fast.url(), ["derna"]),
        )
        try:
            report = deliver(db, config)
        finally:
            db.close()
        assert report.sent == 6 and report.errors == []
        assert waited and all(waited)  # every slow answer came after the fast one finished
        assert hook_items(fast) == hook_items(slow) == dict.fromkeys(THREE, 1)


def test_answer_timing_out_after_the_request_went_out_is_unknown_not_resent(tmp_path):
    """rto passes before the answer: the message arrived, so it must not be sent again."""
    with WebhookReceiver(delay=1.5) as slow:
        db, config = db_with_items(
            tmp_path, THREE[:2], subscriber("slow", slow.url(rto="0.3"), ["derna"])
        )
        try:
            first = deliver(db, config)
            assert first.unknown == 2 and first.retrying == 0
            assert all(e.split(": ", 1)[1].startswith("maybe delivered") for e in first.errors)
            assert deliver(db, config, now=later(3)).sent == 0
            assert states(db) == {"unknown": 2}
        finally:
            db.close()
        assert len(slow.received) == 2  # each arrived once, none resent


def test_send_that_never_ends_is_left_behind_and_the_rest_goes_on(tmp_path):
    """A receiver trickling one byte at a time defeats read timeouts; the pass deadline ends it."""
    with SilentServer("trickle") as trickle, WebhookReceiver() as hook:
        db, config = db_with_items(
            tmp_path,
            THREE[:1],
            subscriber("stuck", f"json://127.0.0.1:{trickle.port}/hook", ["derna"])
            + subscriber("hook", hook.url(), ["derna"]),
        )
        try:
            report = deliver(db, config, send_timeout=3)
            found = db.execute("select state, last_error from outbox where subscriber = 'stuck'")
            row = dict(zip(("state", "last_error"), found.fetchone(), strict=True))
        finally:
            db.close()
        assert report.sent == 1 and report.unknown == 1
        assert row["state"] == "unknown" and "longer than 3s" in row["last_error"]
        assert trickle.accepted == 1
        assert hook_items(hook) == {THREE[0]: 1}


def test_more_channels_than_threads_are_all_served(tmp_path, monkeypatch):
    """With room for two sends at a time, the third channel waits its turn and is served."""
    monkeypatch.setattr(sys.modules["alerts.deliver"], "MAX_PARALLEL", 2)
    with WebhookReceiver() as hook:
        subscribers = "".join(
            subscriber(f"s{n}", hook.url(f"/hook{n}"), ["derna"]) for n in range(3)
        )
        db, config = db_with_items(tmp_path, THREE, subscribers)
        try:
            report = deliver(db, config)
            assert states(db) == {"sent": 9}
        finally:
            db.close()
        assert report.sent == 9
        paths = Counter(r.path for r in hook.received)
    assert paths == {"/hook0": 3, "/hook1": 3, "/hook2": 3}
