"""A Datasette plugin adding /-/wirewatch: the timeline and the map, drawn server-side.

Registered by `wirewatch ui` with ``pm.register``; reads through Datasette's own
read-only connections, so it writes nothing.
"""

from __future__ import annotations

from datetime import date

from datasette import Response, hookimpl

from wirewatch.explore.page import STYLE, body, figures, since_form


def _since(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


async def timeline_and_map(datasette, request) -> Response:
    """The /-/wirewatch page; ``?since=YYYY-MM-DD`` narrows the period."""
    since = _since(request.args.get("since"))
    db = datasette.get_database()
    fig = await db.execute_fn(lambda conn: figures(conn, since))
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>wirewatch: timeline and map</title>
<link rel="stylesheet" href="{datasette.urls.static("app.css")}">
<style>{STYLE}</style></head>
<body><p><a href="{datasette.urls.instance()}">home</a> /
<a href="{datasette.urls.database(db.name)}">{db.name}</a></p>
<h1>Timeline and map</h1>
{since_form(since)}
{body(fig, since)}
</body></html>"""
    return Response.html(html)


@hookimpl
def register_routes():
    return [(r"^/-/wirewatch$", timeline_and_map)]


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("/-/wirewatch"), "label": "Timeline and map"}]
