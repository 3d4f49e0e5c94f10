"""Alerts: watchlist matching, routing into the outbox, message rendering, delivery.

What the other packages may use::

    Matcher        one-pass watchlist matching (names case-insensitive, acronyms not)
    Router         the on_new_item callable ingest runs inside its transaction
    deliver        one delivery pass over the outbox through Apprise
"""

from alerts.deliver import DeliveryReport, deliver
from alerts.matcher import Matcher
from alerts.model import AlertItem, Copy, Mention
from alerts.routing import Router

__all__ = ["AlertItem", "Copy", "DeliveryReport", "Matcher", "Mention", "Router", "deliver"]
