"""How the crawl process and its worker share the paragraph work (spiders.pipelines.WorkShare)."""

from __future__ import annotations

import pytest

from spiders.pipelines import WorkShare


@pytest.mark.parametrize(
    ("share", "levels"),
    [
        (0.0, [0, 0, 0, 0, 0, 0, 0, 0]),
        (0.5, [0, 1, 0, 1, 0, 1, 0, 1]),
        (1.0, [1, 1, 1, 1, 1, 1, 1, 1]),
        (1.25, [1, 1, 1, 2, 1, 1, 1, 2]),
        (2.0, [2, 2, 2, 2, 2, 2, 2, 2]),
        (2.5, [2, 3, 2, 3, 2, 3, 2, 3]),
        (3.0, [3, 3, 3, 3, 3, 3, 3, 3]),
    ],
)
def test_a_share_is_spread_evenly_over_pages(share: float, levels: list[int]) -> None:
    work = WorkShare(share)
    assert [work.next_page() for _ in range(8)] == levels


def test_the_crawl_waiting_moves_work_here_and_the_worker_waiting_moves_it_there() -> None:
    work = WorkShare(1.0)
    work.crawl_waited = True
    work.worker_answered(0.0)
    assert work.share == pytest.approx(1.0 + WorkShare.STEP)
    assert work.crawl_waited is False  # counted once
    work.worker_answered(0.0)  # nobody waited: no change
    assert work.share == pytest.approx(1.0 + WorkShare.STEP)
    work.worker_answered(WorkShare.IDLE / 2)  # the hand-over's own latency is no idleness
    assert work.share == pytest.approx(1.0 + WorkShare.STEP)
    work.worker_answered(0.05)
    work.worker_answered(0.05)
    assert work.share == pytest.approx(1.0 - WorkShare.STEP)


def test_the_share_stays_between_raw_pages_and_all_the_work() -> None:
    work = WorkShare(1.0)
    for _ in range(100):
        work.crawl_waited = True
        work.worker_answered(0.0)
    assert work.share == WorkShare.TOP == 3
    assert {work.next_page() for _ in range(10)} == {3}
    for _ in range(100):
        work.worker_answered(1.0)
    assert work.share == 0.0
    assert {work.next_page() for _ in range(10)} == {0}
