"""The hand-over between a crawl and its ingest worker: real pipes, a real worker process."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from spiders import workerprocess
from spiders.pipelines import IngestWorker, WorkerGone
from spiders.worker import Outcome, frame, frames
from storage import Article, Paragraph
from tests.crawling import write_config


def test_frames_are_read_whole_and_in_order_however_the_bytes_arrive() -> None:
    messages = [b"", b"x", os.urandom(70_000), b"last"]
    stream = b"".join(frame(m) for m in messages)
    buffer = bytearray()
    got = []
    for start in range(0, len(stream), 999):  # arriving in pieces that cut frames apart
        buffer += stream[start : start + 999]
        got += frames(buffer)
    assert got == messages
    assert buffer == bytearray()


def test_a_frame_is_what_multiprocessing_connections_read() -> None:
    import multiprocessing

    reader, writer = multiprocessing.Pipe(duplex=False)
    os.write(writer.fileno(), frame(b"hello") + frame(b""))
    assert reader.recv_bytes() == b"hello"
    assert reader.recv_bytes() == b""


def _article(n: int) -> Article:
    return Article(
        source="s",
        url=f"https://example.test/update-{n}/",
        title=f"Update {n}",
        paragraphs=[Paragraph(f"On 3 March, gunmen attacked checkpoint {n} near Sirte.")],
        published=date(2026, 3, 5),
    )


def _config(tmp_path: Path) -> Path:
    return write_config(tmp_path, {"s": {"url": "https://example.test/"}})


async def _stored(config: Path, count: int) -> list[Outcome]:
    worker = IngestWorker(config, False, asyncio.get_running_loop())
    try:
        return await asyncio.gather(*(worker.submit(_article(n)) for n in range(count)))
    finally:
        worker.close()


def test_every_submitted_article_is_stored_and_answered(tmp_path: Path) -> None:
    config = _config(tmp_path)
    outcomes = asyncio.run(_stored(config, 150))  # more than a batch, and more than a pipe holds
    assert [o.status for o in outcomes] == ["new"] * 150
    assert [o.url for o in outcomes] == [_article(n).url for n in range(150)]
    with sqlite3.connect(tmp_path / "ww.db") as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 150


async def _killed(config: Path) -> tuple[list[BaseException | Outcome], BaseException | None]:
    worker = IngestWorker(config, False, asyncio.get_running_loop())
    try:
        first = await worker.submit(_article(0))  # the worker is up and storing
        os.kill(worker._process.pid, signal.SIGKILL)
        waiting = [worker.submit(_article(n)) for n in range(1, 40)]
        answers = await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 30)
        later = worker.submit(_article(99))
        await asyncio.wait([later], timeout=5)
        return [first, *answers], later.exception()
    finally:
        worker.close()


def test_a_killed_worker_fails_what_it_had_and_what_comes_after(tmp_path: Path) -> None:
    answers, later = asyncio.run(_killed(_config(tmp_path)))
    assert isinstance(answers[0], Outcome) and answers[0].status == "new"
    lost = answers[1:]
    # Whatever the worker had not stored when killed is answered with WorkerGone, not
    # left waiting (the test would time out); nothing it answered is counted twice.
    assert all(isinstance(a, WorkerGone | Outcome) for a in lost)
    assert any(isinstance(a, WorkerGone) for a in lost)
    assert isinstance(later, WorkerGone)
    with sqlite3.connect(tmp_path / "ww.db") as db:
        stored = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert stored == 1 + sum(isinstance(a, Outcome) for a in lost)


@pytest.mark.parametrize("count", [0, 3])
def test_closing_ends_the_worker(tmp_path: Path, count: int) -> None:
    async def run() -> int | None:
        worker = IngestWorker(_config(tmp_path), False, asyncio.get_running_loop())
        await asyncio.gather(*(worker.submit(_article(n)) for n in range(count)))
        worker.close(timeout=30)
        return worker._process.returncode

    assert asyncio.run(run()) == 0


def test_an_unreadable_answer_fails_what_waits_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer the crawl cannot unpickle (a worker of another version, say) fails
    every waiting item with WorkerGone and ends the worker; nothing waits for ever."""
    import spiders.pipelines as pipelines

    def unreadable(data: bytes):
        raise pickle.UnpicklingError("invalid load key")

    async def run() -> tuple[list, int | None]:
        worker = IngestWorker(_config(tmp_path), False, asyncio.get_running_loop())
        try:
            monkeypatch.setattr(pipelines.pickle, "loads", unreadable)
            waiting = [worker.submit(_article(n)) for n in range(3)]
            answers = await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 30)
            return answers, worker._process.wait(10)
        finally:
            monkeypatch.undo()
            worker.close()

    answers, exit_status = asyncio.run(run())
    assert all(isinstance(a, WorkerGone) for a in answers)
    assert "unreadable answer from the ingest worker: invalid load key" in str(answers[0])
    assert exit_status == -signal.SIGKILL


def test_the_worker_is_its_own_module_and_imports_no_scrapy(tmp_path: Path) -> None:
    """The worker is started as its own module: neither Scrapy nor Twisted is loaded in
    it (a multiprocessing spawn imported the crawl's main module, and both with it)."""

    async def run() -> list[str]:
        worker = IngestWorker(_config(tmp_path), False, asyncio.get_running_loop())
        try:
            await worker.submit(_article(0))  # the worker is up and has stored
            maps = Path(f"/proc/{worker._process.pid}/maps").read_text()
            cmdline = Path(f"/proc/{worker._process.pid}/cmdline").read_bytes().split(b"\0")
            return [maps, *(c.decode() for c in cmdline)]
        finally:
            worker.close()

    if not Path("/proc/self/maps").exists():
        pytest.skip("needs /proc")
    maps, *cmdline = asyncio.run(run())
    assert cmdline[1:3] == ["-m", "spiders.worker"]
    # Importing Scrapy imports Twisted, which loads zope.interface's C extension: its
    # mapping shows in the process. lxml's shows that this reads a worker that has
    # loaded what it needs.
    assert "lxml" in maps
    assert "zope" not in maps


def _framed(message: object) -> bytes:
    return frame(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))


def _in_thread(call: Callable[[], object]) -> Callable[..., object]:
    """Run ``call`` in a daemon thread: a test whose call never returns fails, not hangs."""
    import threading

    box: list[object] = []
    thread = threading.Thread(target=lambda: box.append(call()), daemon=True)
    thread.start()

    def result(timeout: float = 10) -> object:
        thread.join(timeout)
        assert box, "still waiting"
        return box[0]

    return result


def test_a_batch_takes_the_tasks_that_arrived_whole_and_waits_for_no_other() -> None:
    """The crawl process writes when its event loop comes round to it: a task it has
    half written must not hold up the tasks before it."""
    from multiprocessing.connection import Connection

    from spiders.worker import _Tasks

    reader, writer = os.pipe()
    tasks = _Tasks(Connection(reader, writable=False))
    second = _framed((2, _article(2)))
    os.write(writer, _framed((1, _article(1))) + second[:40])
    first = _in_thread(tasks.batch)()  # fails if it waits for the rest of task 2
    assert [key for key, _ in first] == [1]
    later = _in_thread(tasks.batch)  # now it has nothing whole: it waits
    os.write(writer, second[40:] + _framed((3, _article(3))))
    assert [key for key, _ in later()] == [2, 3]
    assert tasks.waited > 0
    os.write(writer, _framed((4, _article(4))) + _framed(None) + _framed((5, _article(5))))
    assert [key for key, _ in tasks.batch()] == [4]  # None ends it; 5 is never taken
    assert tasks.batch() == []
    os.close(writer)
    tasks.conn.close()


def test_the_end_of_the_task_pipe_ends_the_batches() -> None:
    from multiprocessing.connection import Connection

    from spiders.worker import _Tasks

    reader, writer = os.pipe()
    tasks = _Tasks(Connection(reader, writable=False))
    os.write(writer, _framed((1, _article(1))))
    os.close(writer)  # the crawl process is gone
    assert [key for key, _ in tasks.batch()] == [1]
    assert tasks.batch() == []
    tasks.conn.close()


def test_each_answer_says_how_long_the_worker_waited_for_its_batch(tmp_path: Path) -> None:
    """What the crawl process balances its share of the work by (spiders.pipelines.WorkShare)."""

    async def run() -> list[float]:
        waits: list[float] = []
        worker = IngestWorker(_config(tmp_path), False, asyncio.get_running_loop(), waits.append)
        try:
            await worker.submit(_article(0))  # the worker is up
            await asyncio.sleep(0.5)  # and waits, idle, for this long
            await worker.submit(_article(1))
            return waits
        finally:
            worker.close()

    waits = asyncio.run(run())
    assert len(waits) == 2
    assert 0.4 < waits[1] < 5


def test_the_task_pipe_is_widened_where_the_system_allows() -> None:
    import fcntl

    from spiders.workerprocess import PIPE_SIZE, _widen

    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("pipe sizes are Linux's")
    reader, writer = os.pipe()
    try:
        before = fcntl.fcntl(writer, fcntl.F_GETPIPE_SZ)
        _widen(writer)
        most = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        assert fcntl.fcntl(writer, fcntl.F_GETPIPE_SZ) == max(before, min(PIPE_SIZE, most))
    finally:
        os.close(reader)
        os.close(writer)


def test_a_worker_started_ahead_is_the_one_the_pipeline_takes(tmp_path: Path) -> None:
    """The runner starts a crawl's worker before importing Scrapy; the pipeline's
    IngestWorker must use that process, not start a second one."""
    config = _config(tmp_path)
    workerprocess.prestart(config, False)
    (ahead,) = workerprocess._READY[workerprocess._key(config, False)]

    async def run() -> tuple[int, list[Outcome]]:
        worker = IngestWorker(config, False, asyncio.get_running_loop())
        try:
            return worker._process.pid, await asyncio.gather(worker.submit(_article(1)))
        finally:
            worker.close()

    pid, outcomes = asyncio.run(run())
    assert pid == ahead.process.pid
    assert [o.status for o in outcomes] == ["new"]
    assert ahead.process.returncode == 0  # ended in order by close()
    assert workerprocess._READY[workerprocess._key(config, False)] == []


def test_workers_started_ahead_and_never_taken_are_ended(tmp_path: Path) -> None:
    """A source already being crawled elsewhere takes no worker: the runner ends it."""
    config = _config(tmp_path)
    workerprocess.prestart(config, True, count=2)
    waiting = list(workerprocess._READY[workerprocess._key(config, True)])
    assert [w.process.poll() for w in waiting] == [None, None]
    workerprocess.end_unused()
    assert [w.process.returncode for w in waiting] == [0, 0]
    assert workerprocess._READY == {}


def test_a_worker_that_died_waiting_is_replaced(tmp_path: Path) -> None:
    config = _config(tmp_path)
    workerprocess.prestart(config, False)
    (dead,) = workerprocess._READY[workerprocess._key(config, False)]
    dead.process.kill()
    dead.process.wait()
    fresh = workerprocess.take(config, False)
    try:
        assert fresh.process.pid != dead.process.pid
        assert fresh.process.poll() is None
    finally:
        os.close(fresh.tasks)
        os.close(fresh.results)
        assert fresh.process.wait(30) == 0  # the end of its task pipe ends it


async def _stored_prepared(config: Path, articles: list[Article]) -> list[Outcome]:
    worker = IngestWorker(config, False, asyncio.get_running_loop())
    try:
        return await asyncio.gather(*(worker.submit(a) for a in articles))
    finally:
        worker.close()


def test_mentions_found_in_the_crawl_process_reach_the_database(tmp_path: Path) -> None:
    """At the work share's top the crawl process finds each article's mentions and
    event dates itself: they cross the pipe and are stored as the worker's own."""
    from alerts.matcher import Matcher
    from storage import prepare
    from wirewatch.config import load_config

    watch = '\n[[watch]]\nid = "sirte"\nkind = "place"\nnames = ["Sirte"]\n'
    config = write_config(tmp_path, {"s": {"url": "https://example.test/"}}, extra=watch)
    find = Matcher.from_watches(load_config(config).watches).find_spans
    articles = [prepare(_article(n), find=find) for n in range(40)]
    outcomes = asyncio.run(_stored_prepared(config, articles))
    assert [o.status for o in outcomes] == ["new"] * 40
    with sqlite3.connect(tmp_path / "ww.db") as db:
        mentions = db.execute(
            "SELECT watch_id, name, start FROM mentions ORDER BY item_id"
        ).fetchall()
        days = db.execute("SELECT DISTINCT event_date FROM items").fetchall()
    texts = [_article(n).paragraphs[0].text for n in range(40)]
    assert mentions == [("sirte", "Sirte", text.index("Sirte")) for text in texts]
    assert days == [("2026-03-03",)]
