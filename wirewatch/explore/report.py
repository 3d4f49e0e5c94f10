"""`wirewatch report`: one self-contained HTML file, for a weekly e-mail or a wiki page.

Everything is inline (SVG figures, CSS): the file opens offline and can be
attached or pasted as it is. Watches come from the config, not the database.
"""

from __future__ import annotations

from datetime import date
from html import escape

from sqlite_utils import Database

from storage.times import utcnow_iso
from wirewatch.config import Config
from wirewatch.explore import counts
from wirewatch.explore.page import STYLE, body, figures


def _clusters_table(rows: list[dict]) -> str:
    if not rows:
        return '<p class="note">No new clusters mentioning a watch in this period.</p>'
    out = [
        '<table class="clusters"><thead><tr><th>day</th><th>news</th><th>sources</th>'
        "<th>watches</th></tr></thead><tbody>"
    ]
    for row in rows:
        text = row["text"] if len(row["text"]) <= 400 else row["text"][:399] + "…"
        title = escape(row["title"] or row["url"])
        out.append(
            f'<tr class="cluster" data-cluster="{row["cluster"]}" data-sources="{row["sources"]}">'
            f"<td>{escape(row['day'] or '')}</td>"
            f'<td>{escape(text)}<br><a href="{escape(row["url"], quote=True)}">{title}</a>'
            f" ({escape(row['source'])}; cluster {row['cluster']})</td>"
            f"<td>{row['sources']} site(s), {row['articles']} article(s): "
            f"{escape(', '.join(row['source_names']))}</td>"
            f"<td>{escape(', '.join(row['watch_ids']))}</td></tr>"
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def render_report(db: Database, config: Config, since: date | None, top: int = 10) -> str:
    """The report's HTML: timeline, map and the ``top`` most carried new clusters."""
    coordinates = {
        w.id: (w.lat, w.lon) for w in config.watches if w.lat is not None and w.lon is not None
    }
    labels = {w.id: f"{w.id} ({w.kind})" for w in config.watches}
    fig = figures(db.conn, since, coordinates, labels)
    clusters = counts.top_clusters(db.conn, since, top)
    period = f"since {since.isoformat()}" if since else "all dates"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>wirewatch report ({escape(period)})</title>
<style>{STYLE}</style></head>
<body>
<h1>wirewatch report: {escape(period)}</h1>
<p class="note">Written {escape(utcnow_iso())} from {escape(config.database.name)}.</p>
{body(fig, since)}
<h2 id="clusters-heading">Top new clusters</h2>
<p class="note">News first dated in this period that mentions a watch, most widely carried
first (sites, then articles).</p>
{_clusters_table(clusters)}
</body></html>
"""
