"""The timeline-and-map page, as HTML around the SVG figures; shared by UI and report."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from html import escape

from wirewatch.explore import counts, tables
from wirewatch.explore.charts import map_svg, timeline_svg


@dataclass(frozen=True)
class Figures:
    """The two figures for one period, as SVG text, with the counts they draw."""

    timeline: str
    map: str
    weeks: list[counts.WeekCount]
    places: list[counts.PlaceCount]


def figures(
    conn: sqlite3.Connection,
    since: date | None = None,
    coordinates: dict[str, tuple[float, float]] | None = None,
    labels: dict[str, str] | None = None,
) -> Figures:
    """Count and draw; watch coordinates and labels from ``watchlist`` unless given."""
    if coordinates is None:
        coordinates = tables.coordinates(conn)
    if labels is None:
        labels = tables.labels(conn)
    weeks = counts.weekly_mentions(conn, since)
    places = counts.place_counts(conn, coordinates, since)
    return Figures(timeline_svg(weeks, labels), map_svg(places), weeks, places)


STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; max-width: 1000px; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
.note { color: #555; font-size: 0.9em; }
table.clusters { border-collapse: collapse; width: 100%; font-size: 0.9em; }
table.clusters td, table.clusters th {
  border-top: 1px solid #ddd; padding: 0.4em; vertical-align: top; text-align: left;
}
"""


def since_form(since: date | None) -> str:
    value = since.isoformat() if since else ""
    return (
        '<form method="get" class="since"><label>Since <input type="date" name="since" '
        f'value="{value}"></label> <button type="submit">Show</button></form>'
    )


def body(fig: Figures, since: date | None) -> str:
    """The two figures with their captions, for inside a page."""
    period = f"since {since.isoformat()}" if since else "all dates"
    return f"""
<h2 id="timeline-heading">Mentions per week ({escape(period)})</h2>
<p class="note">Each bar counts the clusters (pieces of news, however many sites carried
them) that mention the watch, dated by the day the item reports, else its article's
publication day. Hover a bar for its figure.</p>
<div class="figure" id="timeline">{fig.timeline}</div>
<h2 id="map-heading">Places mentioned ({escape(period)})</h2>
<p class="note">Circle area grows with the number of clusters mentioning the place; positions
from the watchlist's lat/lon, on a coarse outline of Libya (plain equirectangular projection).
</p>
<div class="figure" id="map">{fig.map}</div>
"""
