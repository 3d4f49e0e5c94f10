"""When an alert may go out: now, at the end of quiet hours, or at the next digest.

Clock times in the config (digests, quiet hours) are the machine's local time
(set ``TZ`` for the service); what is stored is UTC ISO text, which sorts and
compares correctly in SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from wirewatch.values import Digest

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def iso(moment: datetime) -> str:
    """UTC ISO text to the second, as the outbox stores times."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def next_at(now: datetime, at: time, weekday: str | None = None) -> datetime:
    """The first local moment at ``at`` (on ``weekday``, if given) no earlier than ``now``."""
    local = now.astimezone()
    candidate = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if weekday is not None:
        ahead = (_WEEKDAYS.index(weekday) - candidate.weekday()) % 7
        candidate += timedelta(days=ahead)
        if candidate < local:
            candidate += timedelta(days=7)
    elif candidate < local:
        candidate += timedelta(days=1)
    return candidate


def in_quiet_hours(now: datetime, quiet: tuple[time, time] | None) -> bool:
    """Whether local ``now`` falls in a "22:00-06:00" style window (which may cross midnight)."""
    if not quiet:
        return False
    start, end = quiet
    clock = now.astimezone().time()
    if start <= end:
        return start <= clock < end
    return clock >= start or clock < end


def due_for(now: datetime, digest: Digest, quiet: tuple[time, time] | None) -> tuple[str, bool]:
    """(due, grouped) for an alert raised ``now``: digest time, end of quiet hours, or now."""
    if digest.mode in ("daily", "weekly"):
        return iso(next_at(now, digest.at, digest.weekday)), True
    if in_quiet_hours(now, quiet):
        return iso(next_at(now, quiet[1])), True
    return iso(now), False
