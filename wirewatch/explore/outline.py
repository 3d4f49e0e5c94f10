"""A coarse outline of Libya, written by hand, for a map that needs no tile server.

Points are (longitude, latitude) in degrees, clockwise from the Tunisian border on
the coast; accurate to a few tens of kilometres, which is all a map of where
things were reported needs. The neighbours are labels only.
"""

from __future__ import annotations

LIBYA: tuple[tuple[float, float], ...] = (
    # Mediterranean coast, west to east
    (11.56, 33.17),  # Ras Ajdir, Tunisian border
    (12.08, 32.93),  # Zuwara
    (12.75, 32.80),  # Sabratha
    (13.19, 32.89),  # Tripoli
    (14.26, 32.65),  # Khoms
    (15.09, 32.38),  # Misrata
    (15.30, 31.90),
    (15.75, 31.40),
    (16.59, 31.21),  # Sirte
    (17.50, 30.85),
    (18.57, 30.50),  # Ras Lanuf
    (19.58, 30.41),  # Brega
    (20.00, 30.90),
    (20.07, 31.60),
    (20.07, 32.12),  # Benghazi
    (20.58, 32.53),  # Tocra
    (21.40, 32.85),
    (21.90, 32.92),  # Susa
    (22.64, 32.77),  # Derna
    (23.10, 32.60),
    (23.97, 32.08),  # Tobruk
    (24.60, 31.95),
    (25.15, 31.67),  # Egyptian border
    # Egypt and Sudan
    (24.85, 31.30),
    (25.00, 29.20),
    (25.00, 22.00),
    (25.00, 20.00),
    (24.00, 20.00),
    (24.00, 19.50),
    # Chad and Niger
    (19.80, 21.50),
    (15.99, 23.45),
    (14.98, 22.99),
    (14.23, 22.61),
    (13.60, 23.10),
    (11.99, 23.52),
    # Algeria and Tunisia, south to north
    (11.50, 24.20),
    (10.20, 24.80),
    (10.00, 25.30),
    (9.40, 26.10),
    (9.87, 26.90),
    (9.75, 27.80),
    (9.90, 28.90),
    (9.55, 30.20),
    (10.25, 30.90),
    (10.00, 31.40),
    (10.50, 31.90),
    (11.10, 32.40),
    (11.50, 32.70),
)

#: Where to write the neighbours' names (longitude, latitude).
NEIGHBOURS: tuple[tuple[str, float, float], ...] = (
    ("Mediterranean Sea", 17.0, 33.6),
    ("Tunisia", 9.3, 33.4),
    ("Algeria", 7.6, 27.5),
    ("Niger", 11.5, 20.6),
    ("Chad", 19.5, 19.6),
    ("Sudan", 25.8, 19.6),
    ("Egypt", 27.2, 27.5),
)

#: The area the map shows unless a watched place lies outside it.
BOUNDS = (7.0, 19.0, 28.5, 34.5)  # west, south, east, north
