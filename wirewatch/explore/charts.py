"""The timeline and the map as inline SVG, drawn here: nothing is fetched to show them.

Every mark carries ``data-`` attributes (watch, week, count) and a ``<title>``
tooltip, so a reader can hover for figures and a test can check them against
the database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from wirewatch.explore.counts import PlaceCount, WeekCount
from wirewatch.explore.outline import BOUNDS, LIBYA, NEIGHBOURS

_FONT = 'font-family="system-ui, sans-serif"'
_BAR = "#2a6fb0"
_PLACE = "#c0392b"


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _weeks(first: str, last: str) -> list[str]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(weeks=n)).isoformat() for n in range((end - start).days // 7 + 1)]


def timeline_svg(
    counts: Sequence[WeekCount],
    labels: dict[str, str] | None = None,
    *,
    max_rows: int = 15,
    width: int = 960,
) -> str:
    """One row of weekly bars per watch, the most mentioned first, on a shared scale.

    ``labels`` maps watch ids to what the row is called (id and kind by default);
    rows past ``max_rows`` are left out, and the caption says how many.
    """
    labels = labels or {}
    totals: dict[str, int] = {}
    for c in counts:
        totals[c.watch_id] = totals.get(c.watch_id, 0) + c.count
    if not counts:
        return (
            f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="40"><text x="10" y="25" {_FONT} font-size="14">'
            "No mentions in this period.</text></svg>"
        )
    shown = sorted(totals, key=lambda w: (-totals[w], w))[:max_rows]
    weeks = _weeks(min(c.week for c in counts), max(c.week for c in counts))
    column = {week: n for n, week in enumerate(weeks)}
    left, right, row_h, top = 190, 70, 30, 10
    plot_w = width - left - right
    step = plot_w / len(weeks)
    peak = max(c.count for c in counts if c.watch_id in shown)
    height = top + row_h * len(shown) + 40
    out = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" {_FONT} font-size="12">',
        f"<title>Mentions per week: {len(shown)} of {len(totals)} watches, "
        f"{weeks[0]} to {weeks[-1]}</title>",
    ]
    for row, watch in enumerate(shown):
        y0 = top + row * row_h
        base = y0 + row_h - 6
        name = labels.get(watch, watch)
        out.append(
            f'<text class="row-label" x="{left - 8}" y="{base}" text-anchor="end">'
            f"{escape(name)} ({totals[watch]})</text>"
        )
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{base}" y2="{base}" stroke="#ccc"/>'
        )
    rows = {watch: n for n, watch in enumerate(shown)}
    for c in counts:
        if c.watch_id not in rows:
            continue
        base = top + rows[c.watch_id] * row_h + row_h - 6
        h = max(1.5, (row_h - 8) * c.count / peak)
        x = left + column[c.week] * step
        out.append(
            f'<rect class="bar" data-watch="{_attr(c.watch_id)}" data-week="{c.week}" '
            f'data-count="{c.count}" x="{x:.1f}" y="{base - h:.1f}" '
            f'width="{max(1.0, step - 1):.1f}" height="{h:.1f}" fill="{_BAR}">'
            f"<title>{escape(c.watch_id)}, week of {c.week}: {c.count}</title></rect>"
        )
    axis_y = top + row_h * len(shown) + 16
    ticks = max(1, len(weeks) // 8)
    for n in range(0, len(weeks), ticks):
        x = left + n * step
        out.append(f'<text class="tick" x="{x:.1f}" y="{axis_y}" fill="#555">{weeks[n]}</text>')
    if len(totals) > len(shown):
        out.append(
            f'<text x="{left}" y="{axis_y + 18}" fill="#555">'
            f"{len(totals) - len(shown)} less mentioned watches not shown</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


def map_svg(places: Sequence[PlaceCount], *, width: int = 640, label_top: int = 15) -> str:
    """Watched places as circles on a plain equirectangular map, area by mention count.

    The view is Libya's, widened to take in any watched place outside it; the
    longitude scale is shrunk by cos(middle latitude) so shapes look right. Only
    the ``label_top`` most mentioned places are named: coastal towns crowd.
    """
    west, south, east, north = BOUNDS
    for p in places:
        west, east = min(west, p.lon - 1), max(east, p.lon + 1)
        south, north = min(south, p.lat - 1), max(north, p.lat + 1)
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = width / ((east - west) * squeeze)
    height = round((north - south) * scale)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * squeeze * scale, (north - lat) * scale

    out = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" {_FONT} font-size="12">',
        f"<title>Mentions of watched places: {len(places)} places</title>",
        f'<rect width="{width}" height="{height}" fill="#eef3f7"/>',
    ]
    for lon in range(math.ceil(west), math.floor(east) + 1):
        if lon % 5 == 0:
            x = xy(lon, north)[0]
            out.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}" ')
            out[-1] += f'stroke="#d5dde5"/><text x="{x + 2:.1f}" y="{height - 4}" fill="#889">'
            out[-1] += f"{lon}°E</text>"
    for lat in range(math.ceil(south), math.floor(north) + 1):
        if lat % 5 == 0:
            y = xy(west, lat)[1]
            out.append(f'<line class="grid" x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" ')
            out[-1] += f'stroke="#d5dde5"/><text x="2" y="{y - 2:.1f}" fill="#889">{lat}°N</text>'
    outline = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(lon, lat) for lon, lat in LIBYA))
    out.append(f'<polygon class="outline" points="{outline}" fill="#fbfaf5" stroke="#777"/>')
    for name, lon, lat in NEIGHBOURS:
        x, y = xy(lon, lat)
        if 0 <= x <= width and 0 <= y <= height:
            out.append(
                f'<text class="neighbour" x="{x:.1f}" y="{y:.1f}" fill="#99a" '
                f'text-anchor="middle" font-style="italic">{escape(name)}</text>'
            )
    peak = max((p.count for p in places), default=1)
    for p in sorted(places, key=lambda p: -p.count):  # small circles drawn over large ones
        x, y = xy(p.lon, p.lat)
        r = 3 + 22 * math.sqrt(p.count / peak)
        out.append(
            f'<circle class="place" data-watch="{_attr(p.watch_id)}" data-count="{p.count}" '
            f'cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{_PLACE}" fill-opacity="0.45" '
            f'stroke="{_PLACE}"><title>{escape(p.watch_id)}: {p.count}</title></circle>'
        )
    for p in sorted(places, key=lambda p: (-p.count, p.watch_id))[:label_top]:
        x, y = xy(p.lon, p.lat)
        out.append(
            f'<text class="place-label" x="{x + 4:.1f}" y="{y - 4:.1f}" fill="#333">'
            f"{escape(p.watch_id)} {p.count}</text>"
        )
    if not places:
        out.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" font-size="14">'
            "No mentions of places with coordinates in this period.</text>"
        )
    out.append("</svg>")
    return "\n".join(out)
