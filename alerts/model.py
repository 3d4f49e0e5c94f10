"""What the alerts package passes between matching, rendering and delivery."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mention:
    """A watched name found in a text: which watch, which configured name, where.

    ``start``/``end`` are offsets into the text that was matched (end exclusive).
    """

    watch_id: str
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Copy:
    """Another place the same item appeared: a source and the article's URL."""

    source: str
    url: str
    title: str | None = None
    first_seen: str | None = None


@dataclass(frozen=True)
class AlertItem:
    """Everything a message says about one item."""

    item_id: int
    cluster: int
    text: str
    source: str
    url: str
    title: str | None
    published: str | None
    event_date: str | None
    section: str | None
    mentions: list[Mention]
    watch_labels: dict[str, str] = field(default_factory=dict)  # watch id -> display name
    copies: list[Copy] = field(default_factory=list)
