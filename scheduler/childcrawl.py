"""A crawl in a child process (``python -m spiders.runner``), with a time limit.

Twisted's reactor cannot restart and Scrapy's memory only grows, so every crawl
is a fresh process. The child gets its own session (process group): stopping it
stops whatever it started too. It also dies with the daemon (``PR_SET_PDEATHSIG``),
so a ``kill -9`` of the daemon leaves no crawl behind to race the next one; its run
row, left ``running``, is marked ``interrupted`` at the next start.

How it ended is recorded here when the child could not record it: an overrun is
``timeout``, a stop for shutdown ``interrupted``, a crash ``failed``.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def crawl_command(
    config_path: Path,
    sources: list[str],
    *,
    full: bool = False,
    no_alerts: bool = False,
    log_level: str = "WARNING",
    progress: bool = False,
) -> list[str]:
    """The command line of a crawl child; ``wirewatch crawl`` and the daemon share it."""
    command = [sys.executable, "-m", "spiders.runner", "--config", str(config_path)]
    command += ["--log-level", log_level, *sources]
    if full:
        command.append("--full")
    if no_alerts:
        command.append("--no-alerts")
    if progress:
        command.append("--progress")
    return command


@dataclass
class ChildOutcome:
    """How a crawl process ended: ``exited`` (with ``code``), ``timeout`` or ``stopped``."""

    how: str
    code: int | None
    pid: int
    seconds: float


def _load_prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once in the daemon: after fork the child only calls it."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux: a child may outlive a killed daemon
        return None


_PRCTL = _load_prctl()


def _die_with_parent(parent: int) -> Callable[[], None]:
    def preexec() -> None:
        """In the child before exec: SIGKILL it when the daemon's thread that forked it dies."""
        if _PRCTL is not None:
            _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the daemon died before prctl took effect
            os._exit(1)

    return preexec


def run_child(
    command: list[str],
    *,
    time_limit: float,
    stop: threading.Event,
    stop_grace: float,
    on_line: Callable[[str], None],
    on_start: Callable[[int], None] | None = None,
) -> ChildOutcome:
    """Run ``command`` until it exits, overruns ``time_limit``, or ``stop`` is set.

    An overrun or a stop first asks the child to finish (SIGTERM to its group: Scrapy
    closes the spider and records the run), then kills the group after ``stop_grace``.
    Each line the child writes to stderr goes to ``on_line``.
    """
    started = time.monotonic()
    child = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_die_with_parent(os.getpid()),
        text=True,
        errors="replace",
    )
    if on_start:
        on_start(child.pid)
    relay = threading.Thread(target=_relay, args=(child, on_line), daemon=True)
    relay.start()
    how = "exited"
    while child.poll() is None:
        if stop.is_set():
            how = "stopped"
        elif time.monotonic() - started > time_limit:
            how = "timeout"
        if how != "exited":
            _terminate(child, stop_grace)
            break
        stop.wait(0.2)
    child.wait()
    relay.join(timeout=5)
    return ChildOutcome(how, child.returncode, child.pid, time.monotonic() - started)


def _relay(child: subprocess.Popen, on_line: Callable[[str], None]) -> None:
    assert child.stderr is not None
    for line in child.stderr:
        if line.strip():
            on_line(line.rstrip())
    child.stderr.close()


def _terminate(child: subprocess.Popen, grace: float) -> None:
    """SIGTERM the child's process group, then SIGKILL it if still there after ``grace``."""
    _signal_group(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        logger.warning("crawl process %d did not stop within %.0fs: killed", child.pid, grace)
    _signal_group(child.pid, signal.SIGKILL)  # also whatever the child started


def _signal_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)
