"""`wirewatch ui`: Datasette over the wirewatch database, read-only, with our plugin.

Datasette opens the file with ``mode=ro``, not ``immutable=1``: immutable reads
ignore the WAL, so while a crawl writes they would show a stale or inconsistent
database. Before serving, the search index is brought up to date and the
watchlist copied from the config (short writes, see :mod:`wirewatch.explore.tables`).
"""

from __future__ import annotations

import asyncio

from sqlite_utils import Database

from storage.fts import update_search_index
from wirewatch.config import Config
from wirewatch.explore import tables
from wirewatch.explore.metadata import metadata


def prepare(db: Database, config: Config) -> None:
    """Index pending items for search and refresh the watchlist table and views."""
    update_search_index(db)
    tables.refresh(db, config.watches)


def serve(config: Config, host: str, port: int) -> None:
    """Serve until interrupted (SIGINT/SIGTERM stop uvicorn cleanly)."""
    import uvicorn
    from datasette.app import Datasette
    from datasette.plugins import pm

    from wirewatch.explore import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="wirewatch")
    ds = Datasette(
        [str(config.database)],
        metadata=metadata(config.database.stem),  # Datasette names it after the file
        settings={"facet_time_limit_ms": 2000, "sql_time_limit_ms": 5000},
    )
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
