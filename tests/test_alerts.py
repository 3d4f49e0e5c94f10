"""Alerts end to end: real crawls of the fixture sites, a real SMTP server, a real webhook."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

import storage
from alerts.deliver import deliver
from alerts.routing import Router
from storage import Article, Paragraph
from tests.crawling import rows, start_wirewatch, wirewatch, write_config
from tests.fixturesite import reference_normalise
from tests.receivers import SmtpReceiver, WebhookReceiver
from wirewatch.config import load_config

WATCHES = """
[[watch]]
id = "derna"
kind = "place"
names = ["Derna", "Darnah", "درنة"]

[[watch]]
id = "sirte"
kind = "place"
names = ["Sirte", "Surt"]

[[watch]]
id = "isis"
kind = "actor"
names = ["Islamic State", "ISIS", "ISIL", "Daesh"]
acronyms = ["IS"]
"""


def subscriber(name: str, url: str, watch: list[str], **more: str) -> str:
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in more.items())
    return (
        f'\n[[subscriber]]\nname = "{name}"\nnotify = [{json.dumps(url)}]\n'
        f"watch = {json.dumps(watch)}\n{extra}"
    )


def c_config(tmp_path, site, extra: str):
    return write_config(
        tmp_path, {"c": {"url": site.root + "news/", "kind": "html"}}, extra=WATCHES + extra
    )


def messages_by_item(config, subscriber_name: str) -> dict[int, int]:
    """How many sent messages each item's outbox row went out in, for one subscriber."""
    found = rows(
        config,
        "select item_id, count(*) n from outbox where subscriber = ? and state = 'sent'"
        " group by item_id",
        (subscriber_name,),
    )
    return {r["item_id"]: r["n"] for r in found}


@pytest.fixture
def hook():
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def smtp():
    with SmtpReceiver() as receiver:
        yield receiver


def test_each_matching_item_alerts_once_by_mail_with_highlights(tmp_path, site_c, smtp):
    """A crawl alerts one e-mail per new item naming Derna, with the name highlighted."""
    config = c_config(tmp_path, site_c, subscriber("desk", smtp.url(), ["derna"]))
    result = wirewatch(config, "crawl")
    assert result.code == 0, result.stderr
    derna_items = rows(config, "select distinct item_id from mentions where watch_id = 'derna'")
    assert derna_items, "the fixture has Derna items"
    smtp.wait_for(len(derna_items))
    assert len(smtp.mails) == len(derna_items)
    for mail in smtp.mails:
        assert mail.recipients == ["desk@example.org"]
        assert "Derna" in mail.subject or "Darnah" in mail.subject
        assert "<strong>" in mail.html and "http://127.0.0.1" in mail.html
    again = wirewatch(config, "crawl")
    assert again.code == 0 and len(smtp.mails) == len(derna_items)


def test_subscriber_hears_only_of_its_watches(tmp_path, site_c, hook):
    """A Sirte-only subscriber gets Sirte items and nothing that names only Derna."""
    config = c_config(
        tmp_path,
        site_c,
        subscriber("sirte-desk", hook.url("/sirte"), ["sirte"])
        + subscriber("derna-desk", hook.url("/derna"), ["derna"]),
    )
    assert wirewatch(config, "crawl").code == 0
    to_sirte = [r for r in hook.received if r.path.startswith("/sirte")]
    to_derna = [r for r in hook.received if r.path.startswith("/derna")]
    assert to_sirte and to_derna
    for request in to_sirte:
        assert "Sirte" in request.json["message"] or "Surt" in request.json["message"]
    sirte_items = {
        r["item_id"] for r in rows(config, "select item_id from mentions where watch_id = 'sirte'")
    }
    sent_to_sirte = set(messages_by_item(config, "sirte-desk"))
    assert sent_to_sirte == sirte_items


def test_republished_copies_alert_once_and_formula_pairs_twice(tmp_path, sites, hook):
    """Copies of an update on another site alert no one again; formulaic twins both alert."""
    config = write_config(
        tmp_path,
        {"a": {"url": sites.a.root}, "b": {"url": sites.b.root}},
        extra=WATCHES + subscriber("all", hook.url("/all"), ["*"]),
    )
    assert wirewatch(config, "crawl", "a").code == 0
    after_origin = len(hook.received)
    assert wirewatch(config, "crawl", "b").code == 0
    sent = messages_by_item(config, "all")
    assert all(n == 1 for n in sent.values())
    texts = {reference_normalise(r["text"]): r["id"] for r in rows(config, "select * from items")}
    for copy in sites.b.posts:
        if not copy.origin:
            continue
        for text, origin in zip(copy.paragraph_texts(), copy.origin[1], strict=True):
            if origin.same_after_normalisation:
                item = texts[reference_normalise(text)]
                assert sent.get(item, 0) <= 1
    mentioned = {r["item_id"] for r in rows(config, "select distinct item_id from mentions")}
    paired = 0
    for post in sites.a.posts:
        paragraphs = post.paragraph_texts()
        for first, second in post.formula_pairs:
            one, two = (texts[reference_normalise(paragraphs[i])] for i in (first, second))
            assert one != two
            if one in mentioned and two in mentioned:
                assert one in sent and two in sent
                paired += 1
    assert paired > 0
    alerted_dups = rows(
        config,
        "select count(*) n from outbox o join items i on i.id = o.item_id"
        " where i.dup_of is not null",
    )[0]["n"]
    assert alerted_dups == 0
    copies = rows(config, "select count(*) n from items where dup_of is not null")[0]["n"]
    assert copies > 10  # B's edited copies joined A's clusters
    assert len(hook.received) >= after_origin


def test_no_alerts_backfill_matches_but_sends_nothing(tmp_path, site_c, hook):
    """`crawl --no-alerts` stores and matches items but queues and sends nothing."""
    config = c_config(tmp_path, site_c, subscriber("desk", hook.url(), ["*"]))
    assert wirewatch(config, "crawl", "--no-alerts").code == 0
    assert hook.received == []
    assert rows(config, "select count(*) n from outbox")[0]["n"] == 0
    listed = wirewatch(config, "items", "--mentions", "derna", "--json")
    assert listed.stdout and all(
        "derna" in json.loads(line)["mentions"] for line in listed.stdout.splitlines()
    )


def test_mail_server_down_then_up_delivers_exactly_once(tmp_path, site_c):
    """With SMTP down the alerts wait with an error; once it is up each arrives exactly once."""
    smtp = SmtpReceiver()
    smtp.start()
    url = smtp.url()
    smtp.stop()
    config = c_config(tmp_path, site_c, subscriber("desk", url, ["derna"]))
    result = wirewatch(config, "crawl")
    assert result.code == 1
    waiting = rows(config, "select * from outbox")
    assert waiting and all(r["state"] == "pending" and r["last_error"] for r in waiting)
    assert all(r["tries"] == 1 and r["next_try"] for r in waiting)
    listed = wirewatch(config, "alerts", "--pending", "--json")
    assert len(listed.stdout.splitlines()) == len(waiting)
    smtp.start()
    try:
        assert wirewatch(config, "alerts", "retry").code == 0
        smtp.wait_for(len(waiting))
        assert wirewatch(config, "alerts", "retry").code == 0
        assert len(smtp.mails) == len(waiting)
    finally:
        smtp.stop()
    assert {r["state"] for r in rows(config, "select state from outbox")} == {"sent"}


def test_process_killed_between_send_and_mark_delivers_exactly_once(tmp_path, site_c, hook):
    """Killing the sender after the receiver got a message never makes it arrive twice."""
    config = c_config(tmp_path, site_c, subscriber("desk", hook.url(), ["*"]))
    assert wirewatch(config, "crawl", "--no-alerts").code == 0
    proc = start_wirewatch(
        config, "rematch", "--send", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    killed: list[int] = []

    def kill_sender(_request) -> None:
        if not killed:
            killed.append(proc.pid)
            os.kill(proc.pid, signal.SIGKILL)

    hook.on_receive = kill_sender
    assert proc.wait(timeout=60) == -signal.SIGKILL
    hook.on_receive = None
    first = hook.received[0].json["message"]
    states = [r["state"] for r in rows(config, "select state from outbox")]
    assert states.count("sending") == 1 and states.count("pending") == len(states) - 1
    assert wirewatch(config, "alerts", "retry").code == 0  # delivers the rest
    bodies = [r.json["message"] for r in hook.received]
    assert bodies.count(first) == 1
    assert len(bodies) == len(states)
    states = [r["state"] for r in rows(config, "select state from outbox")]
    assert states.count("sent") == len(states) - 1
    assert wirewatch(config, "alerts", "--failed").stdout.count("unknown") == 1


def db_with_items(tmp_path, texts: list[str], extra: str):
    """A database with these paragraphs ingested through the router, and the config."""
    config = write_config(tmp_path, {"s": {"url": "http://127.0.0.1:9/"}}, extra=WATCHES + extra)
    loaded = load_config(config)
    db = storage.open_db(loaded.database)
    router = Router(loaded)
    for n, text in enumerate(texts):
        storage.ingest(
            db,
            Article(
                source="s",
                url=f"http://127.0.0.1:9/{n}/",
                title=f"Update {n}",
                paragraphs=[Paragraph(text)],
                published=datetime(2016, 3, 7, tzinfo=UTC),
            ),
            on_new_item=router,
        )
    return db, loaded


THREE = [
    "On 3 March, the LNA said its aircraft struck a depot in Derna.",
    "On 4 March, clashes were reported on the road south of Derna.",
    "On 5 March, the Derna Mujahideen Shura Council denied the claims.",
]


def test_daily_digest_gathers_three_items_into_one_message(tmp_path, smtp):
    """A daily-digest subscriber gets one e-mail with all three items at the digest time."""
    db, config = db_with_items(
        tmp_path, THREE, subscriber("digest", smtp.url(), ["derna"], digest="daily 07:00")
    )
    try:
        early = deliver(db, config, now=datetime.now(UTC))
        assert early.sent == 0 and smtp.mails == []
        later = deliver(db, config, now=datetime.now(UTC) + timedelta(days=1, minutes=1))
        assert later.sent == 3 and later.messages == 1
    finally:
        db.close()
    smtp.wait_for(1)
    mail = smtp.mails[0]
    assert "3 items" in mail.subject
    for text in ("depot in", "road south of", "denied the claims"):
        assert text in mail.html


def test_quiet_hours_hold_alerts_then_send_them_as_one(tmp_path, hook):
    """Alerts raised in quiet hours wait for their end and then go out as one message."""
    now = datetime.now().astimezone()
    start = (now - timedelta(hours=1)).strftime("%H:%M")
    end = (now + timedelta(hours=1)).strftime("%H:%M")
    db, config = db_with_items(
        tmp_path, THREE, subscriber("night", hook.url(), ["derna"], quiet_hours=f"{start}-{end}")
    )
    try:
        assert deliver(db, config, now=now).sent == 0
        report = deliver(db, config, now=now + timedelta(hours=1, minutes=1))
    finally:
        db.close()
    assert (report.sent, report.messages) == (3, 1)
    assert len(hook.received) == 1


def test_max_per_hour_folds_the_overflow_into_one_message(tmp_path, hook):
    """Beyond max_per_hour, the remaining alerts wait and go out together."""
    db, config = db_with_items(
        tmp_path, THREE, subscriber("busy", hook.url(), ["derna"], max_per_hour=2)
    )
    now = datetime.now(UTC)
    try:
        first = deliver(db, config, now=now)
        assert (first.sent, first.held) == (2, 1)
        assert deliver(db, config, now=now + timedelta(minutes=5)).sent == 0
        later = deliver(db, config, now=now + timedelta(hours=1, minutes=2))
    finally:
        db.close()
    assert later.sent == 1
    assert len(hook.received) == 3


def test_one_dead_channel_does_not_block_the_others(tmp_path, hook):
    """A webhook answering 500 fails on its own while the e-mail channel delivers."""
    with SmtpReceiver() as smtp:
        db, config = db_with_items(
            tmp_path,
            THREE[:1],
            subscriber("split", hook.url("/dead"), ["derna"])
            + subscriber("mail", smtp.url(), ["derna"]),
        )
        hook.fail(status=500, times=10)
        try:
            report = deliver(db, config)
        finally:
            db.close()
        smtp.wait_for(1)
    assert report.sent == 1 and report.retrying == 1
    assert "500" in report.errors[0] or report.errors[0]


def test_rematch_reports_then_sends_once(tmp_path, site_c, hook):
    """After a watchlist change, rematch reports what would alert, --send sends it once."""
    config = c_config(tmp_path, site_c, subscriber("desk", hook.url(), ["sirte"]))
    assert wirewatch(config, "crawl", "--no-alerts").code == 0
    report = wirewatch(config, "rematch", "--json")
    would = [json.loads(line) for line in report.stdout.splitlines()]
    assert would and all(w["subscriber"] == "desk" and "sirte" in w["watch"] for w in would)
    assert hook.received == []
    assert wirewatch(config, "rematch", "--send").code == 0
    assert len(hook.received) == len(would)
    again = wirewatch(config, "rematch", "--send", "--json")
    assert again.stdout == "" and len(hook.received) == len(would)


def test_notify_test_reaches_every_channel_and_hides_secrets(tmp_path, monkeypatch):
    """notify-test sends through each URL, printing them in privacy form only."""
    monkeypatch.setenv("WW_SMTP_PASS", "s3cret-pass-word")
    with SmtpReceiver(auth=("alerts", "s3cret-pass-word")) as smtp, WebhookReceiver() as hook:
        # The receiver percent-encodes what it is given; the config holds a ${...} reference.
        url = smtp.url(user="alerts", password="PASSWORD").replace("PASSWORD", "${WW_SMTP_PASS}")
        config = write_config(
            tmp_path,
            {"s": {"url": "http://127.0.0.1:9/"}},
            extra=WATCHES + f'\n[[subscriber]]\nname = "desk"\nnotify = [{json.dumps(url)},'
            f" {json.dumps(hook.url())}]\n",
        )
        result = wirewatch(config, "notify-test", "desk")
        smtp.wait_for(1)
        assert result.code == 0, result.stderr
        assert len(hook.received) == 1 and smtp.mails[0].login == "alerts"
        assert "s3cret" not in result.stdout + result.stderr
        smtp.stop()
        failed = wirewatch(config, "notify-test", "desk")
        assert failed.code == 1 and "FAILED" in failed.stdout
        assert "s3cret" not in failed.stdout + failed.stderr
    unknown = wirewatch(config, "notify-test", "nobody")
    assert unknown.code == 2 and "nobody" in unknown.stderr


def test_undeliverable_alerts_are_reported_to_ops_only(tmp_path):
    """After the last try fails, the [ops] channel hears of it; the subscriber's gets nothing."""
    with WebhookReceiver() as desk, WebhookReceiver() as ops:
        desk.fail(status=503, times=1000)
        db, config = db_with_items(
            tmp_path,
            THREE[:1],
            subscriber("desk", desk.url("/desk"), ["derna"])
            + f"\n[ops]\nnotify = [{json.dumps(ops.url('/ops'))}]\n",
        )
        now = datetime.now(UTC)
        try:
            reports = [deliver(db, config, now=now + timedelta(hours=2 * n)) for n in range(8)]
        finally:
            db.close()
        assert [r.failed for r in reports] == [0] * 7 + [1]
        assert len(desk.received) == 8 and not desk.delivered
        assert len(ops.received) == 1
        assert "desk" in ops.received[0].json["message"]
        assert "503" in ops.received[0].json["message"]


def test_copy_seen_first_on_the_republisher_alerts_once(tmp_path, sites, hook):
    """Crawling the republisher before the origin: each cluster alerts once, edits included."""
    config = write_config(
        tmp_path,
        {"a": {"url": sites.a.root}, "b": {"url": sites.b.root}},
        extra=WATCHES + subscriber("all", hook.url("/all"), ["*"]),
    )
    assert wirewatch(config, "crawl", "b").code == 0
    assert wirewatch(config, "crawl", "a").code == 0
    per_cluster = rows(
        config,
        "select cluster, count(*) n from outbox where subscriber = 'all' group by cluster",
    )
    assert per_cluster and all(r["n"] == 1 for r in per_cluster)
    edited = rows(
        config,
        "select i.cluster from items i join articles a on a.id = i.first_article_id"
        " where i.dup_of is not null and a.source = 'a'",
    )
    assert len(edited) > 10  # A's originals found B's edited copies already stored
    cluster = edited[0]["cluster"]
    listed = wirewatch(config, "copies", str(cluster), "--json")
    sources = {json.loads(line)["source"] for line in listed.stdout.splitlines()}
    assert sources == {"a", "b"}


def test_mentions_and_event_dates_worked_out_ahead_are_stored_as_if_found_here(
    tmp_path, monkeypatch
):
    """A busy crawl process may find an article's mentions and event dates itself
    (storage.prepare with the matcher's find) and pickle them to its storing
    process: the mentions, event dates and queued alerts must be the ones the
    storing process would have found, and it must not look for them again."""
    import pickle

    from alerts.matcher import Matcher

    extra = subscriber("ops", "json://127.0.0.1:9/hook", ["*"])
    config = load_config(
        write_config(tmp_path, {"s": {"url": "http://127.0.0.1:9/"}}, extra=WATCHES + extra)
    )
    articles = [
        Article(
            source="s",
            url=f"http://127.0.0.1:9/{n}/",
            title=f"Update {n}",
            paragraphs=[Paragraph(text) for text in texts],
            published=datetime(2016, 1, 4, tzinfo=UTC),
        )
        for n, texts in enumerate(
            [
                THREE,
                [
                    "On 30 December, IS fighters attacked a checkpoint near Surt.",
                    "Daesh is said to hold positions east of Darnah; this is unconfirmed.",
                    "Last week, nothing was reported from the south.",
                ],
            ]
        )
    ]

    def stored(db) -> tuple[list, list, list]:
        return (
            db.execute("SELECT id, event_date FROM items ORDER BY id").fetchall(),
            db.execute('SELECT item_id, watch_id, name, start, "end" FROM mentions').fetchall(),
            db.execute("SELECT subscriber, item_id, watch_ids FROM outbox ORDER BY id").fetchall(),
        )

    def found_again(text: str) -> list:
        raise AssertionError("mentions found ahead were looked for again")

    plain = storage.open_db(tmp_path / "plain.db")
    ahead = storage.open_db(tmp_path / "ahead.db")
    try:
        find = Matcher.from_watches(config.watches).find_spans
        for article in articles:
            storage.ingest(plain, article, on_new_items=Router(config).many)
            prepared = storage.prepare(article, find=find)
            shipped = pickle.loads(pickle.dumps(prepared))
            router = Router(config)
            monkeypatch.setattr(router.matcher, "find", found_again)
            storage.ingest(ahead, shipped, on_new_items=router.many)
        assert stored(ahead) == stored(plain)
        items, mentions, outbox = stored(plain)
        assert [day for _, day in items] == [
            "2016-03-03", "2016-03-04", "2016-03-05", "2015-12-30", None, None
        ]  # fmt: skip
        assert {watch for _, watch, *_ in mentions} == {"derna", "sirte", "isis"}
        assert len(outbox) == 5  # every item but the one that names nothing watched
    finally:
        plain.close()
        ahead.close()
