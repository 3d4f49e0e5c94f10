"""Helpers for tests that run the real daemon (`wirewatch run`) as a child process."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.crawling import ROOT, rows
from tests.fixturesite import phrases

#: Every place name the fixture writes: any weekly update names at least one.
PLACES_WATCH = f"""
[[watch]]
id = "places"
kind = "place"
names = {json.dumps(sorted(set(phrases.PLACES)))}
"""


def daemon_settings(**more: str) -> str:
    """A [daemon] table for second-scale tests: quick delivery, heartbeat and stop."""
    knobs = {"delivery_interval": "1s", "heartbeat": "1s", "stop_grace": "5s", **more}
    return "\n[daemon]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in knobs.items())


def until(condition: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    """Poll ``condition`` until it returns something true; fail naming ``what`` after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)


class DaemonProcess:
    """A real `wirewatch run`, its stderr kept in a file (a pipe could fill and block it)."""

    def __init__(self, config: Path, name: str = "daemon") -> None:
        self.config = config
        self.log = config.parent / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> DaemonProcess:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with open(self.log, "a", encoding="utf-8") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "wirewatch", "--config", str(self.config), "run"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=env,
                cwd=self.config.parent,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""

    def signal(self, sig: int) -> None:
        assert self.process is not None
        self.process.send_signal(sig)

    def wait(self, timeout: float = 60) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> int:
        """SIGTERM and wait; the exit status."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.signal(signal.SIGTERM)
        try:
            return self.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise

    def __enter__(self) -> DaemonProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


def query(config: Path, sql: str, params: tuple = ()) -> list[dict]:
    """Rows, or none while the daemon has not created the database and its schema yet."""
    if not (config.parent / "ww.db").exists():
        return []
    try:
        return rows(config, sql, params)
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise


def runs(config: Path, source: str | None = None) -> list[dict]:
    """The runs table, oldest first."""
    if source is None:
        return query(config, "select * from runs order by id")
    return query(config, "select * from runs where source = ? order by id", (source,))


def finished(config: Path, source: str, status: str = "ok") -> list[dict]:
    return [r for r in runs(config, source) if r["status"] == status]


def pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
