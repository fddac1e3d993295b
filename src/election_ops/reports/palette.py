"""The colours of a predicted wait, one scale for every map: the PNG maps, report.html and the national page."""

from __future__ import annotations

import math

from ..glossary import DOCUMENT, ko

WAIT_BINS = (5, 15, 30, 60)  # minutes: under 5, 5-15, 15-30, 30-60, 60 and over (30 = the target)
WAIT_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
WAIT_LABELS = ("5분 미만", "5~15분", "15~30분", "30~60분", "60분 이상")
UNBOUNDED_COLOUR = "#5e3c99"  # a wait that never clears: its own colour, not the far end of the scale
NO_WAIT_COLOUR = "#9e9e9e"  # no prediction (e.g. a station the plan does not staff)


def wait_colour(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_WAIT_COLOUR
    if math.isinf(value):
        return UNBOUNDED_COLOUR
    for limit, colour in zip(WAIT_BINS, WAIT_COLOURS, strict=False):
        if value < limit:
            return colour
    return WAIT_COLOURS[-1]


def wait_legend() -> list[tuple[str, str]]:
    """(colour, Korean label) for every step, then a wait that never clears and no prediction."""
    return [*zip(WAIT_COLOURS, WAIT_LABELS, strict=True), (UNBOUNDED_COLOUR, ko(DOCUMENT, "unbounded_wait")),
            (NO_WAIT_COLOUR, ko(DOCUMENT, "no_prediction"))]
