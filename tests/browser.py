"""A headless Debian chromium driven by Playwright, and a check that a screenshot shows something.

Never `playwright install`: Playwright drives the system's /usr/bin/chromium,
which `.ci/run` installs with apt-get. Where it is missing, tests using
:func:`chromium` skip and say so.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip the calling test, with the reason, where no Debian chromium is installed."""
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(
            f"no {CHROMIUM}: browser tests need Debian's chromium package "
            "(.ci/run installs it with apt-get; by hand: apt-get install chromium)"
        )


@contextmanager
def chromium() -> Iterator:
    """A Playwright browser context on a fresh profile; pages open with ``.new_page()``."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="ww-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1200, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


def count_pixels(png: bytes, wanted: Callable[[tuple[int, int, int]], bool]) -> int:
    """How many pixels of a PNG screenshot satisfy ``wanted`` (an RGB predicate)."""
    from PIL import Image

    raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    return sum(1 for i in range(0, len(raw), 3) if wanted((raw[i], raw[i + 1], raw[i + 2])))


def reddish(rgb: tuple[int, int, int]) -> bool:
    r, g, b = rgb
    return r > g + 40 and r > b + 40


def bluish(rgb: tuple[int, int, int]) -> bool:
    r, _, b = rgb
    return b > r + 60


def not_white(rgb: tuple[int, int, int]) -> bool:
    return min(rgb) < 235
