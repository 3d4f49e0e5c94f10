"""The ingest worker's process, started before the crawl asks for it.

A worker took a third of a second to start (it imports the store and lxml and
reads the config; numpy too, then), and a crawl process a second to import and set up
Scrapy. Started only when the spider opened, the worker was still starting while
the first pages came in, and at the end of a short crawl the crawl waited for
it: measured on a one-post site, 0.3 s of the run's 1.4 s. The runner starts its
workers first instead (:func:`prestart`), so the second core does their start-up
while the first does Scrapy's, and each crawl's pipeline takes one (:func:`take`).

Only the standard library is imported here: the runner uses this before it
imports anything heavy.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import spiders

#: The task pipe's buffer, where the system allows it: a batch of raw pages is some 500 KB,
#: and Linux's default of 64 KB made the crawl process write it in many turns.
PIPE_SIZE = 1 << 20


@dataclass(frozen=True)
class WorkerProcess:
    """A started worker and this process's ends of its two pipes."""

    process: subprocess.Popen
    #: Where tasks are written (the worker reads the other end).
    tasks: int
    #: Where the worker's answers are read.
    results: int


def start(config_path: str | Path, send_alerts: bool) -> WorkerProcess:
    """Start a worker for the crawl of ``config_path``'s sources."""
    # A new interpreter, not a fork: the crawl process runs a reactor and threads.
    task_reader, task_writer = os.pipe()
    _widen(task_writer)
    result_reader, result_writer = os.pipe()
    command = [sys.executable, "-m", "spiders.worker", "--config", str(config_path)]
    command += ["--tasks", str(task_reader), "--results", str(result_writer)]
    if not send_alerts:
        command.append("--no-alerts")
    try:
        process = subprocess.Popen(command, pass_fds=(task_reader, result_writer), env=_child_env())
    except BaseException:
        os.close(task_writer)
        os.close(result_reader)
        raise
    finally:
        # The worker has its own copies now; without ours, its end is our end of file.
        os.close(task_reader)
        os.close(result_writer)
    return WorkerProcess(process, task_writer, result_reader)


#: Workers started ahead, by what they were started for, not yet taken.
_READY: dict[tuple[str, bool], list[WorkerProcess]] = {}


def prestart(config_path: str | Path, send_alerts: bool, count: int = 1) -> None:
    """Start ``count`` workers now, for crawls that will :func:`take` them."""
    ready = _READY.setdefault(_key(config_path, send_alerts), [])
    ready.extend(start(config_path, send_alerts) for _ in range(count))


def take(config_path: str | Path, send_alerts: bool) -> WorkerProcess:
    """A worker started ahead for this config, or a new one (``scrapy crawl`` starts none)."""
    ready = _READY.get(_key(config_path, send_alerts))
    while ready:
        worker = ready.pop(0)
        if worker.process.poll() is None:
            return worker
        _close(worker)  # it ended while waiting (killed?): a new one will do
    return start(config_path, send_alerts)


def end_unused(timeout: float = 30.0) -> None:
    """End the workers started ahead and never taken (a source already being crawled
    elsewhere takes none): the end of their task pipe tells each to stop."""
    waiting = [worker for ready in _READY.values() for worker in ready]
    _READY.clear()
    for worker in waiting:
        _close(worker)
    for worker in waiting:
        try:
            worker.process.wait(timeout)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


def _close(worker: WorkerProcess) -> None:
    for fd in (worker.tasks, worker.results):
        with contextlib.suppress(OSError):
            os.close(fd)


def _key(config_path: str | Path, send_alerts: bool) -> tuple[str, bool]:
    return str(Path(config_path).resolve()), send_alerts


def _widen(fd: int) -> None:
    """Make the pipe hold :data:`PIPE_SIZE` bytes if the system lets it (Linux does, up to
    /proc/sys/fs/pipe-max-size); elsewhere the pipe keeps its size, which is only slower."""
    if hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)


def _child_env() -> dict[str, str]:
    """This environment, with the directory this code runs from first on the path: the
    worker must import this ``spiders``, installed or run from a checkout."""
    root = str(Path(spiders.__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([root, path] if path else [root])}
