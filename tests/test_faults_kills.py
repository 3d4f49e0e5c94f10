"""kill -9 at random moments of crawl, ingest and delivery, in a loop; then count.

The crawl (``wirewatch crawl``: the CLI, its ``spiders.runner`` child and that
child's ingest worker, one process group) and the delivery pass (``wirewatch
rematch --send``) are started against one database and a real webhook, and the
whole process group is SIGKILLed after a random delay, again and again. Then one
clean crawl runs, and the store must be whole:

- ``PRAGMA integrity_check`` is ok, no run is left ``running``;
- every article of the site is stored once, with one version and exactly its
  paragraphs;
- every outbox row is ``sent`` or ``unknown`` (a send cut short by the kill; the
  documented at-most-once case), none ``pending``, ``sending`` or ``failed``;
- the receiver got each ``sent`` row's message exactly once, each ``unknown``
  row's at most once, and no message twice.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from collections import Counter

from tests.crawling import rows, start_wirewatch, wirewatch, write_config
from tests.receivers import WebhookReceiver
from tests.test_alerts import WATCHES, subscriber

KILLS = 50
#: After the work is seen to begin (a run row, a stored article, a sent alert), the kill comes
#: at a random moment within this many seconds: inside the crawl and its ingest, or
#: inside the delivery pass. Waiting for the work keeps kills out of interpreter start-up.
CRAWL_WINDOW = 1.5
DELIVERY_WINDOW = 0.6
SEED = 20261121


def start(config, *args: str) -> subprocess.Popen:
    """The real CLI in a process group of its own, so one killpg reaches its children."""
    return start_wirewatch(
        config, *args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def progress(config) -> tuple[int, int, int, int]:
    """Runs started, articles stored, alerts sent, alerts caught mid-send (0s before the db).

    Caught mid-send counts ``sending`` and ``unknown`` rows together: the next pass
    turns the one into the other, so only a new interrupted send makes it grow.
    """
    try:
        found = rows(
            config,
            "select (select coalesce(max(id), 0) from runs) r,"
            " (select count(*) from articles) a,"
            " (select count(*) from outbox where state = 'sent') s,"
            " (select count(*) from outbox where state in ('sending', 'unknown')) m",
        )[0]
    except sqlite3.OperationalError:  # no database yet, or killed before the schema was made
        return 0, 0, 0, 0
    return found["r"], found["a"], found["s"], found["m"]


def wait_for_work(proc: subprocess.Popen, config, before, trigger: int) -> None:
    """Poll until the process is seen at work (or has ended).

    ``trigger`` is the index in :func:`progress` that must grow: 0 a run has
    started, 1 an article was stored, 2/3 an alert was sent or claimed.
    """
    for _ in range(600):
        if proc.poll() is not None:
            return
        now = progress(config)
        if now[trigger] > before[trigger] or (trigger == 2 and now[3] > before[3]):
            return
        time.sleep(0.05)


def kill_loop(config, site, kills: int, rng: random.Random) -> dict[str, int]:
    """Crawls (each after new posts appear) and delivery passes, each SIGKILLed mid-work.

    Crawls are killed at a random moment after their run starts, or after their
    first article is stored (then the kill falls in later commits, the end of the
    run or the crawl's own delivery); delivery passes after their first send.
    """
    done = Counter()
    while done["killed"] < kills:
        cycle = done["started"] % 5
        delivery = cycle in (3, 4)
        if not delivery:
            site.publish(seed=2 * done["started"])
            site.publish(seed=2 * done["started"] + 1)
        before = progress(config)
        proc = start(config, *(("rematch", "--send") if delivery else ("crawl",)))
        done["started"] += 1
        try:
            wait_for_work(proc, config, before, 2 if delivery else cycle % 2)
            proc.wait(timeout=rng.uniform(0, DELIVERY_WINDOW if delivery else CRAWL_WINDOW))
            done["finished before the kill"] += 1
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            done["killed"] += 1
            done["killed in delivery" if delivery else "killed in crawl"] += 1
            after = progress(config)
            done["kills after storing some articles"] += after[1] > before[1]
            done["kills after sending some alerts"] += after[2] > before[2]
            done["kills in the middle of a send"] += after[3] > before[3]
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        assert done["started"] < kills * 3, "the loop is not making progress"
    return dict(done)


def test_fifty_kills_lose_nothing_and_send_nothing_twice(tmp_path, site_c):
    hook = WebhookReceiver(delay=0.05).start()
    try:
        config = write_config(
            tmp_path,
            {"c": {"url": site_c.root + "news/", "kind": "html"}},
            extra=WATCHES + subscriber("desk", hook.url(), ["*"]),
        )
        tally = kill_loop(config, site_c, KILLS, random.Random(SEED))
        final = wirewatch(config, "crawl")
        assert final.code == 0, final.stdout + final.stderr
        delivered = [r.json["message"] for r in hook.received if 200 <= r.status < 300]
    finally:
        hook.stop()
    states = Counter(r["state"] for r in rows(config, "select state from outbox"))
    arrived = len(delivered) - states["sent"]  # of the unknown rows, those that did arrive
    print(f"\nkill loop: {tally | {'outbox': dict(states), 'unknown arrived': arrived}}")

    assert rows(config, "pragma integrity_check") == [{"integrity_check": "ok"}]
    assert rows(config, "select count(*) n from runs where status = 'running'")[0]["n"] == 0

    articles = rows(
        config,
        "select a.url, count(distinct v.id) versions, count(o.item_id) paragraphs"
        " from articles a join versions v on v.article_id = a.id"
        " join occurrences o on o.version_id = v.id group by a.id",
    )
    expected = {site_c.url_of(p): len(p.paragraph_texts()) for p in site_c.posts}
    assert sorted(a["url"] for a in articles) == sorted(expected)
    assert all(a["versions"] == 1 for a in articles)
    assert {a["url"]: a["paragraphs"] for a in articles} == expected

    outbox = Counter(r["state"] for r in rows(config, "select state from outbox"))
    assert set(outbox) <= {"sent", "unknown"}, outbox
    assert outbox["sent"] > 0
    counts = Counter(delivered)
    assert max(counts.values()) == 1, "a message arrived twice"
    assert outbox["sent"] <= len(delivered) <= outbox["sent"] + outbox["unknown"]
