"""Exploring what was collected: Datasette UI, timeline and map figures, the report."""
