"""Hostile content and secrets: a full run's every output is searched for the secrets.

The Apprise URLs carry a password, a user and a token from the environment, to a
live webhook and to a dead mail server; the run is as verbose as it gets (-vv).
stdout and stderr of every command, the JSON listings, any file the run left in
its directory and a dump of the database must not contain any of them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from tests.crawling import ROOT, CrawlResult, rows, write_config
from tests.receivers import SmtpReceiver, WebhookReceiver
from tests.test_alerts import WATCHES, subscriber

SECRETS = {
    "HOOK_TOKEN": "tok-9f8e7d6c5b4a3921",
    "HOOK_PASS": "S3cretHookPassw0rd",
    "SMTP_USER": "mailuser-x1q",
    "SMTP_PASS": "Sm7pPassw0rd-zz",
}


def run(config, *args: str) -> CrawlResult:
    env = {**os.environ, **SECRETS, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "wirewatch", "--config", str(config), "-vv", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=config.parent,
    )
    return CrawlResult(done.returncode, done.stdout, done.stderr)


def test_no_secret_appears_in_any_output_of_a_full_run(tmp_path, site_c):
    dead = SmtpReceiver().start()
    dead_port = dead.port
    dead.stop()  # connections refused: every mail fails, with an error to report
    with WebhookReceiver() as hook:
        live = f"json://hookuser:${{HOOK_PASS}}@127.0.0.1:{hook.port}/hook/${{HOOK_TOKEN}}"
        mail = (
            f"mailto://${{SMTP_USER}}:${{SMTP_PASS}}@127.0.0.1:{dead_port}"
            "?to=desk@example.org&from=ww@example.org"
        )
        extra = WATCHES + subscriber("live", live, ["derna"]) + subscriber("dead", mail, ["*"])
        extra += f'\n[ops]\nnotify = ["json://127.0.0.1:{hook.port}/ops/${{HOOK_TOKEN}}"]\n'
        config = write_config(
            tmp_path, {"c": {"url": site_c.root + "news/", "kind": "html"}}, extra=extra
        )
        outputs = [
            run(config, "crawl"),
            run(config, "status"),
            run(config, "status", "--json"),
            run(config, "alerts"),
            run(config, "alerts", "--failed", "--json"),
            run(config, "alerts", "retry"),
            run(config, "notify-test", "dead"),
            run(config, "notify-test", "live"),
            run(config, "items", "--json", "--limit", "5"),
        ]
        assert hook.received  # the live channel really was used, with its secrets
        assert any(SECRETS["HOOK_TOKEN"] in r.path for r in hook.received)
    crawl = outputs[0]
    assert crawl.code == 1 and "alerts:" in crawl.stdout  # the dead channel failed
    assert "DEBUG" in crawl.stderr  # -vv really logged at debug level
    texts = [o.stdout + o.stderr for o in outputs]
    for path in tmp_path.rglob("*"):
        if path.is_file() and not path.name.startswith("ww.db"):
            texts.append(path.read_text(errors="replace"))
    with sqlite3.connect(tmp_path / "ww.db") as conn:
        texts.append("\n".join(conn.iterdump()))
    conn.close()
    everything = "\n".join(texts)
    assert "SMTP_PASS" in config.read_text()  # the file names the variables, not values
    for name, secret in SECRETS.items():
        assert secret not in everything, f"{name} leaked"
    errors = [r["last_error"] for r in rows(config, "select last_error from outbox")]
    assert any(e for e in errors)  # the failed sends did record their errors


def test_a_token_in_a_source_url_is_in_no_output_nor_stored_error(tmp_path, site_c):
    """A site's URL may carry a key from the environment (``?key=${HOOK_TOKEN}``): its
    failures are recorded and shown with the key masked."""
    site_c.add_fault("/news/", status=404)
    source = {"url": site_c.root + "news/?key=${HOOK_TOKEN}", "kind": "html"}
    config = write_config(tmp_path, {"c": source})
    outputs = [run(config, "crawl"), run(config, "status"), run(config, "status", "--json")]
    assert outputs[0].code == 1
    assert any(SECRETS["HOOK_TOKEN"] in r.target for r in site_c.requests)  # it was used
    with sqlite3.connect(tmp_path / "ww.db") as conn:
        dump = "\n".join(conn.iterdump())
    conn.close()
    assert "key=****" in dump  # the failure is recorded, the key masked
    everything = "\n".join([o.stdout + o.stderr for o in outputs] + [dump])
    assert SECRETS["HOOK_TOKEN"] not in everything


OWNER_ONLY_SCRIPT = """
import json, os, stat, sys
from pathlib import Path
os.umask(0)  # the most permissive umask: only explicit modes protect the files
from wirewatch.cli import main
from alerts.deliver import delivery_lock
import storage
target = Path(sys.argv[1])
try:
    main(["init", str(target)])
except SystemExit as exit:
    assert not exit.code, exit.code
db = storage.open_db(target / "wirewatch.db")
with storage.write_transaction(db):
    db.execute("insert into runs (source, started, status) values ('x', 'now', 'ok')")
with delivery_lock(target / "wirewatch.db"):
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in target.iterdir() if p.is_file()}
print(json.dumps(modes))
"""


def test_config_and_database_files_are_owner_only(tmp_path):
    """`wirewatch init` under umask 0: config, db, -wal, -shm and the lock file are 0600."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", OWNER_ONLY_SCRIPT, str(tmp_path / "ww")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    modes = json.loads(done.stdout.splitlines()[-1])
    assert {"wirewatch.toml", "wirewatch.db", "wirewatch.db-wal", "wirewatch.db-shm"} <= set(modes)
    assert "wirewatch.db.deliver.lock" in modes
    assert {name: 0o600 for name in modes} == modes
