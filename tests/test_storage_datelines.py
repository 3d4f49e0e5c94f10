"""Wire datelines are read past; text that only looks like one is left alone."""

from __future__ import annotations

from datetime import date

import pytest

from storage.datelines import without_dateline
from storage.eventdates import event_date

EVENT = "On 4 March, gunmen kidnapped two engineers outside Ubari."


@pytest.mark.parametrize(
    "dateline",
    [
        "TRIPOLI (Libya Wire) — ",
        "TRIPOLI, March 4 (Reuters) - ",
        "BENI WALID, Libya – ",
        "Misrata (AFP) — ",
        "Gharyan, 8 March (LW): ",
        "SIRTE, 8 March 2025 — ",
    ],
)
def test_a_wire_dateline_is_read_past(dateline: str) -> None:
    assert without_dateline(dateline + EVENT) == EVENT
    assert event_date(dateline + EVENT, date(2025, 3, 9)) == date(2025, 3, 4)


@pytest.mark.parametrize(
    "text",
    [
        "ISIS — the group claimed the attack on the checkpoint.",
        "LNA, GNA - Both sides claimed victory at the airport.",
        "Haftar: The LNA will advance on Tripoli, he said.",
        "On 3 March, the LNA said its aircraft struck a depot.",
        "TRIPOLI (Libya Wire) — on its own, a dateline before no sentence.",
        "Last week, TRIPOLI (LW) — a slogan painted on walls.",
    ],
)
def test_text_that_only_looks_like_a_dateline_is_kept(text: str) -> None:
    assert without_dateline(text) == text
