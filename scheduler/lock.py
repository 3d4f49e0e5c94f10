"""One daemon per database: an flock on a file beside it, naming who holds it.

The kernel drops an flock when its holder dies (kill -9 included), so a stale lock
never blocks a restart. The file keeps the holder's pid, host and start time so a
second ``wirewatch run`` can say which daemon it would have collided with.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from pathlib import Path

from storage.times import utcnow_iso


class AlreadyRunning(Exception):
    """Another daemon holds this database; the message names it."""


class DaemonLock:
    """Held from :meth:`acquire` until :meth:`release` or the process ends."""

    def __init__(self, database: Path) -> None:
        self.path = Path(f"{database}.daemon.lock")
        self.fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`AlreadyRunning` naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(self._describe_holder()) from None
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "since": utcnow_iso()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _describe_holder(self) -> str:
        try:
            holder = json.loads(self.path.read_text(encoding="utf-8"))
            who = f"pid {holder['pid']} on {holder['host']}, running since {holder['since']}"
        except (OSError, ValueError, KeyError):
            who = "another process"
        return f"another wirewatch daemon ({who}) already runs on this database ({self.path})"
