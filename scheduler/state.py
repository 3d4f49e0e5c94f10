"""The daemon's state as ``wirewatch status`` shows it, read from the database alone.

Status never talks to the daemon: the daemon writes a heartbeat and each source's
next run, and a reader judges it alive when the heartbeat is fresh (and, on the
same host, its pid exists).
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from storage import daemonstate
from wirewatch.config import Config

#: Heartbeats a daemon may miss (a busy machine) before status calls it gone.
MISSED_BEATS = 3


def daemon_status(db: Database, config: Config) -> tuple[dict[str, Any], dict[str, str | None]]:
    """Whether a daemon runs (pid, host, since, heartbeat age) and its next run per source."""
    info = daemonstate.daemon_info(db)
    if info is None:
        return {"alive": False, "summary": "never ran on this database"}, {}
    now = datetime.now(UTC)
    age = (now - datetime.fromisoformat(info["heartbeat"])).total_seconds()
    alive = (
        info["stopped"] is None
        and age <= MISSED_BEATS * config.daemon.heartbeat + 5
        and (info["host"] != socket.gethostname() or _exists(info["pid"]))
    )
    found = {**info, "alive": alive, "heartbeat_age": round(age, 1)}
    if alive:
        found["summary"] = (
            f"running, pid {info['pid']} on {info['host']} since {info['started']}"
            f" (heartbeat {age:.0f}s ago)"
        )
    elif info["stopped"]:
        found["summary"] = f"not running (stopped {info['stopped']})"
    else:
        found["summary"] = f"not running (last heartbeat {info['heartbeat']}, pid {info['pid']})"
    planned = {k: v["next_run"] for k, v in daemonstate.schedules(db).items()}
    return found, planned


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
