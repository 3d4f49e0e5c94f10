"""sqlite-utils imported without numpy, which it only uses to map numpy column types.

sqlite-utils imports numpy whenever it is installed (and it is: the near-duplicate
index's fallback uses it). That cost 0.1 s at the start of every process that opens
the database, the crawl's own among them, where nothing passes numpy values to
sqlite-utils and the C index needs no numpy. :mod:`storage` imports this module
first, which imports sqlite-utils so.
"""

from __future__ import annotations

import importlib.abc
import sys


class _HideNumpy(importlib.abc.MetaPathFinder):
    """Refuses numpy while sqlite-utils is imported; numpy imports normally afterwards."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "numpy" or name.startswith("numpy."):
            raise ImportError(f"{name} is not imported for sqlite-utils")
        return None


def import_sqlite_utils() -> None:
    """Import sqlite-utils now, without numpy unless something imported numpy already."""
    if "sqlite_utils" in sys.modules:
        return
    finder = _HideNumpy()
    sys.meta_path.insert(0, finder)
    try:
        import sqlite_utils  # noqa: F401
    finally:
        sys.meta_path.remove(finder)


import_sqlite_utils()
