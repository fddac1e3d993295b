"""Approximate station locations for a 동 whose real addresses are not in the data.

Stations are put where people live rather than spread evenly over the 동's area (a 동
that is mostly mountain or industrial land would otherwise get stations on the hill):

- the centre is the 동's representative point: the KOSTAT population-weighted point
  (통계청 MDIS 인구용 중심점) where one is given, else a point inside the polygon;
- a 동 with one precinct gets its station at the centre;
- several precincts sit on a sunflower (golden-angle) spiral around the centre, inside a
  disc of radius ``DISC_SHARE`` x the radius of a circle of the 동's area, capped at
  ``MAX_RADIUS_M``. Each precinct's distance from the centre follows its share of the
  동's electors (cumulative, so a disc of uniform density is shared in proportion to the
  precinct sizes); the spiral's start angle comes from the 동 code, so 동 differ;
- a point that falls outside the 동's region (its polygon clipped to the unit's outline)
  is pulled towards the centre until it lies inside.

Everything is in metres (EPSG:5179) and deterministic: no random numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
DISC_SHARE = 0.5
MAX_RADIUS_M = 4000.0
MIN_RADIUS_M = 120.0
PULL_STEPS = (1.0, 0.85, 0.7, 0.55, 0.4, 0.25, 0.1)


def centre_of(region, point: tuple[float, float] | None):
    """The 동's centre: the given point when it lies in the region, else a point inside the region."""
    from shapely.geometry import Point

    if point is not None:
        p = Point(point)
        if region.contains(p):
            return p
    return region.representative_point()


def spread_radius(region) -> float:
    """Radius of the disc the stations are spread over, from the region's area."""
    equivalent = math.sqrt(max(region.area, 0.0) / math.pi)
    return min(MAX_RADIUS_M, max(MIN_RADIUS_M, DISC_SHARE * equivalent))


def place_stations(region, centre, weights: Sequence[float], *, phase: float = 0.0) -> list[tuple[float, float]]:
    """One point per weight (precinct electors, in precinct order), inside ``region``, around ``centre``."""
    from shapely.geometry import Point

    count = len(weights)
    if count == 0:
        return []
    if count == 1:
        return [(centre.x, centre.y)]
    total = float(sum(weights)) or float(count)
    shares = [float(w) / total if sum(weights) else 1.0 / count for w in weights]
    radius = spread_radius(region)
    points, cumulative = [], 0.0
    for i, share in enumerate(shares):
        middle = cumulative + share / 2
        cumulative += share
        r = radius * math.sqrt(middle)
        angle = phase + i * GOLDEN_ANGLE
        for pull in PULL_STEPS:
            x = centre.x + r * pull * math.cos(angle)
            y = centre.y + r * pull * math.sin(angle)
            if region.contains(Point(x, y)):
                break
        else:
            x, y = centre.x, centre.y
        points.append((x, y))
    return points


def phase_of(code: str) -> float:
    """A start angle from a 동 code: deterministic, different from one 동 to the next."""
    digits = "".join(ch for ch in str(code) if ch.isdigit()) or "0"
    return (int(digits) % 360) * math.pi / 180
