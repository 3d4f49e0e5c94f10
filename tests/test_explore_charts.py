"""The SVG figures drawn from given counts: what each mark says and where it sits."""

from __future__ import annotations

import lxml.etree
import pytest

from wirewatch.explore.charts import map_svg, timeline_svg
from wirewatch.explore.counts import PlaceCount, WeekCount

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str):
    return lxml.etree.fromstring(svg.encode())


def test_timeline_bars_share_one_scale_and_keep_empty_weeks_as_gaps():
    counts = [
        WeekCount("derna", "2016-03-07", 4),
        WeekCount("derna", "2016-03-21", 2),
        WeekCount("isis", "2016-03-14", 1),
    ]
    root = parse(timeline_svg(counts, {"derna": "derna (place)"}))
    bars = root.findall(f".//{SVG}rect[@class='bar']")
    assert [(b.get("data-watch"), b.get("data-week"), b.get("data-count")) for b in bars] == [
        ("derna", "2016-03-07", "4"),
        ("derna", "2016-03-21", "2"),
        ("isis", "2016-03-14", "1"),
    ]
    heights = [float(b.get("height")) for b in bars]
    assert heights[0] == 2 * heights[1]  # one scale for every row
    xs = [float(b.get("x")) for b in bars]
    assert xs[0] < xs[2] < xs[1]  # the week of 14 March sits between; 21 March is two weeks on
    assert xs[1] - xs[0] == pytest.approx(2 * (xs[2] - xs[0]), abs=0.2)
    labels = [t.text for t in root.findall(f".//{SVG}text[@class='row-label']")]
    assert labels == ["derna (place) (6)", "isis (1)"]  # most mentioned first


def test_timeline_leaves_out_rows_past_the_limit_and_says_so():
    counts = [WeekCount(f"w{n:02}", "2016-01-04", n + 1) for n in range(20)]
    svg = timeline_svg(counts, max_rows=5)
    root = parse(svg)
    shown = {b.get("data-watch") for b in root.findall(f".//{SVG}rect[@class='bar']")}
    assert shown == {"w19", "w18", "w17", "w16", "w15"}
    assert "15 less mentioned watches not shown" in svg


def test_empty_figures_say_there_is_nothing():
    assert "No mentions in this period." in timeline_svg([])
    root = parse(map_svg([]))
    assert root.findall(f".//{SVG}circle") == []
    assert root.find(f".//{SVG}polygon[@class='outline']") is not None
    assert "No mentions of places" in map_svg([])


def test_map_circles_grow_with_counts_and_sit_where_the_coordinates_say():
    places = [
        PlaceCount("derna", 32.76, 22.64, 40),
        PlaceCount("sirte", 31.2, 16.59, 10),
        PlaceCount("tripoli", 32.89, 13.19, 10),
    ]
    root = parse(map_svg(places))
    circles = {c.get("data-watch"): c for c in root.findall(f".//{SVG}circle[@class='place']")}
    r = {w: float(c.get("r")) for w, c in circles.items()}
    assert r["derna"] > r["sirte"] == r["tripoli"]
    x = {w: float(c.get("cx")) for w, c in circles.items()}
    y = {w: float(c.get("cy")) for w, c in circles.items()}
    assert x["tripoli"] < x["sirte"] < x["derna"]  # west to east
    assert y["sirte"] > y["derna"]  # Sirte lies further south


def test_map_widens_to_take_in_a_place_outside_libya():
    root = parse(map_svg([PlaceCount("tunis", 36.8, 10.18, 3)]))
    width, height = float(root.get("width")), float(root.get("height"))
    circle = root.find(f".//{SVG}circle[@class='place']")
    assert 0 < float(circle.get("cx")) < width and 0 < float(circle.get("cy")) < height


def test_map_names_only_the_most_mentioned_places():
    places = [PlaceCount(f"p{n}", 30 + n / 10, 15 + n / 10, n + 1) for n in range(20)]
    root = parse(map_svg(places, label_top=3))
    labels = [t.text for t in root.findall(f".//{SVG}text[@class='place-label']")]
    assert labels == ["p19 20", "p18 19", "p17 18"]
    assert len(root.findall(f".//{SVG}circle[@class='place']")) == 20
