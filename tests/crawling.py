"""Helpers for tests that run real crawls: a config for the fixture sites, a crawl, a look in."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class CrawlResult:
    """What a `wirewatch crawl` process did: exit status and output."""

    code: int
    stdout: str
    stderr: str


def write_config(
    tmp_path: Path, sources: dict[str, dict], *, extra: str = "", **crawl: object
) -> Path:
    """A config crawling the given sources politely fast: no delay, no throttle.

    ``extra`` is TOML appended as written ([[watch]], [[subscriber]] tables).
    """
    settings = {"delay": "0s", "autothrottle": False, "timeout": "10s", **crawl}
    lines = ['[storage]\ndatabase = "ww.db"\n', "[crawl]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    for name, fields in sources.items():
        lines.append("\n[[source]]")
        lines.append(f'name = "{name}"')
        selectors = fields.pop("selectors", None)
        lines += [f"{k} = {json.dumps(v)}" for k, v in fields.items()]
        if selectors:
            lines.append("[source.selectors]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in selectors.items()]
    path = tmp_path / "wirewatch.toml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def wirewatch(config: Path, *args: str, timeout: float = 120) -> CrawlResult:
    """Run the real `wirewatch` command line in a child process."""
    done = subprocess.run(
        _command(config, args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(),
        cwd=config.parent,
    )
    return CrawlResult(done.returncode, done.stdout, done.stderr)


def start_wirewatch(config: Path, *args: str, **popen: Any) -> subprocess.Popen:
    """Start the real `wirewatch` command line without waiting for it; output piped as
    text unless ``popen`` says otherwise (e.g. ``stdout=subprocess.DEVNULL``)."""
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, **popen}
    return subprocess.Popen(_command(config, args), env=_env(), cwd=config.parent, **options)


def _command(config: Path, args: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "wirewatch", "--config", str(config), *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def database(config: Path) -> sqlite3.Connection:
    """A read connection to the config's database, rows as dicts."""
    conn = sqlite3.connect(config.parent / "ww.db")
    conn.row_factory = sqlite3.Row
    return conn


def rows(config: Path, sql: str, params: tuple = ()) -> list[dict]:
    with database(config) as conn:
        found = [dict(r) for r in conn.execute(sql, params)]
    conn.close()
    return found


def last_run(config: Path, source: str) -> dict:
    return rows(config, "select * from runs where source = ? order by id desc limit 1", (source,))[
        0
    ]
