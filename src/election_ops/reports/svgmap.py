"""Inline SVG for report.html: the district map (동 outlines, stations coloured by worst wait) and the wait chart.

Plain strings, no plotting library: the report must open offline in any browser, and the
same plan must give the same bytes (coordinates are rounded to 0.1 px).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .palette import wait_colour, wait_legend
COUNTING_COLOUR = "#3f51b5"
SERIES_COLOURS = ("#d73027", "#4575b4", "#1b7837", "#762a83", "#e08214", "#01665e")


@dataclass(frozen=True)
class MapStation:
    """One point on the map."""

    id: str
    name: str
    kind: str  # polling, early, counting
    lon: float
    lat: float
    worst_wait: float | None = None  # minutes; math.inf = never clears; None = no prediction
    electors: int = 0
    label: str = ""  # the hover text (SVG <title>)


def legend_html() -> str:
    """The map's legend as HTML (it sits under the SVG)."""
    items = wait_legend()
    swatches = "".join(f'<span class="key"><i style="background:{c}"></i>{escape(t)}</span>' for c, t in items)
    shapes = ('<span class="key"><b class="shape">●</b>투표소 (크기: 선거인수)</span>'
              '<span class="key"><b class="shape">■</b>사전투표소</span>'
              f'<span class="key"><b class="shape" style="color:{COUNTING_COLOUR}">★</b>개표소</span>')
    return f'<div class="legend"><span class="cap">가장 붐비는 시간대 예상 대기</span>{swatches}{shapes}</div>'


class Projection:
    """Longitude/latitude to SVG pixels: equirectangular around the middle latitude (fine for a 구 or Korea)."""

    def __init__(self, points: Sequence[tuple[float, float]], width: float, pad: float) -> None:
        lons = [p[0] for p in points] or [0.0]
        lats = [p[1] for p in points] or [0.0]
        self.lon0, self.lat1 = min(lons), max(lats)
        self.kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = max((max(lons) - self.lon0) * self.kx, 1e-9)
        self.scale = (width - 2 * pad) / span_x
        self.pad = pad
        self.width = width
        self.height = (self.lat1 - min(lats)) * self.scale + 2 * pad

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.pad + (lon - self.lon0) * self.kx * self.scale, self.pad + (self.lat1 - lat) * self.scale)


def _ring_centroid(ring: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """Area-weighted centroid and absolute area of a ring (in its own units)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    return cx / (3 * area), cy / (3 * area), abs(area) / 2


def map_svg(outlines: list[tuple[str, list[list[tuple[float, float]]]]], stations: Sequence[MapStation], *,
            width: float = 640, svg_id: str = "map", highlight: Sequence[str] = (), caption: str = "") -> str:
    """The map as an <svg> element: 동 polygons with names, then stations (largest first, so small ones stay on top)."""
    points = [p for _, rings in outlines for ring in rings for p in ring] or [(s.lon, s.lat) for s in stations]
    project = Projection(points, width, pad=14)
    parts = [(f'<svg id="{escape(svg_id)}" class="map" xmlns="http://www.w3.org/2000/svg" '
              f'viewBox="0 0 {project.width:.0f} {project.height:.0f}" role="img" '
              f'aria-label="{escape(caption or "지도")}">')]
    labels = []
    for dong, rings in outlines:
        path = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (project(*p) for p in ring)) + " Z"
                        for ring in rings if len(ring) >= 3)
        css = "dong hl" if dong in highlight else "dong"
        parts.append(f'<path class="{css}" data-dong="{escape(dong)}" d="{path}"><title>{escape(dong)}</title></path>')
        if rings:
            cx, cy, _ = max((_ring_centroid(r) for r in rings), key=lambda c: c[2])
            x, y = project(cx, cy)
            labels.append(f'<text class="dlabel" x="{x:.1f}" y="{y:.1f}">{escape(dong)}</text>')
    biggest = max((s.electors for s in stations if s.kind == "polling"), default=1) or 1
    biggest_early = max((s.electors for s in stations if s.kind == "early"), default=1) or 1
    order = sorted(stations, key=lambda s: ({"counting": 0, "early": 1}.get(s.kind, 2), -s.electors, s.id))
    for s in order:
        x, y = project(s.lon, s.lat)
        title = f"<title>{escape(s.label or s.name)}</title>"
        attrs = f'class="st" data-id="{escape(s.id)}" tabindex="0"'
        if s.kind == "counting":
            star = _star(x, y, 11)
            parts.append(f'<g {attrs}><polygon points="{star}" fill="{COUNTING_COLOUR}" stroke="#000" '
                         f'stroke-width="0.8"/>{title}</g>')
        elif s.kind == "early":
            half = 5 + 4 * math.sqrt(max(s.electors, 0) / biggest_early)
            extra = ' stroke-width="2.2"' if s.worst_wait is not None and math.isinf(s.worst_wait) else ""
            parts.append(f'<g {attrs}><rect x="{x - half:.1f}" y="{y - half:.1f}" width="{2 * half:.1f}" '
                         f'height="{2 * half:.1f}" fill="{wait_colour(s.worst_wait)}" stroke="#000"{extra}/>{title}</g>')
        else:
            r = 3.5 + 4.5 * math.sqrt(max(s.electors, 0) / biggest)
            extra = ' stroke-width="2.2"' if s.worst_wait is not None and math.isinf(s.worst_wait) else ""
            parts.append(f'<g {attrs}><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
                         f'fill="{wait_colour(s.worst_wait)}" stroke="#000"{extra}/>{title}</g>')
    parts += labels  # on top of the stations, so a 동's name is never hidden under a marker
    parts.append("</svg>")
    return "".join(parts)


def _star(x: float, y: float, r: float) -> str:
    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.45
        angle = math.pi / 2 + k * math.pi / 5
        points.append(f"{x + radius * math.cos(angle):.1f},{y - radius * math.sin(angle):.1f}")
    return " ".join(points)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]  # minutes per hour; math.inf where the line never clears


def wait_chart_svg(series: Sequence[Series], hours: Sequence[str], *, target: float, width: float = 640,
                   height: float = 300, svg_id: str = "waitchart") -> str:
    """Waits by hour, one line per station, the target as a dashed line; an unbounded hour sits on the top edge."""
    left, right, top, bottom = 46, 12, 12, 34
    finite = [v for s in series for v in s.values if math.isfinite(v)]
    unbounded = any(math.isinf(v) for s in series for v in s.values)
    y_max = max([target * 1.2, *finite]) if finite else target * 1.2
    y_max = _nice(y_max * (1.12 if unbounded else 1.0))
    n = max(len(hours), 1)
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(k: int) -> float:
        return left + (plot_w * (k + 0.5) / n)

    def py(v: float) -> float:
        return top + plot_h * (1 - min(v, y_max) / y_max) if math.isfinite(v) else top

    parts = [(f'<svg id="{svg_id}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} '
              f'{height:.0f}" role="img" aria-label="시간대별 예상 대기시간">')]
    for tick in _ticks(y_max):
        y = py(tick)
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}분</text>')
    for k, hour in enumerate(hours):
        if k % 2 == 0 or n <= 8:
            parts.append(f'<text class="tick" x="{px(k):.1f}" y="{height - bottom + 16}" '
                         f'text-anchor="middle">{escape(hour)}</text>')
    parts.append(f'<line class="target" x1="{left}" x2="{width - right}" y1="{py(target):.1f}" y2="{py(target):.1f}"/>'
                 f'<text class="tick" x="{width - right}" y="{py(target) - 4:.1f}" text-anchor="end">목표 '
                 f'{target:g}분</text>')
    if unbounded:
        parts.append(f'<text class="tick" x="{left + 4}" y="{top + 11}">맨 위: 대기 해소 불가</text>')
    for s, colour in zip(series, SERIES_COLOURS * (len(series) // len(SERIES_COLOURS) + 1)):
        coords = " ".join(f"{px(k):.1f},{py(v):.1f}" for k, v in enumerate(s.values))
        parts.append(f'<g class="series"><title>{escape(s.name)}</title><polyline fill="none" stroke="{colour}" '
                     f'stroke-width="2" points="{coords}"/>')
        for k, v in enumerate(s.values):
            dash = ' class="inf"' if math.isinf(v) else ""
            parts.append(f'<circle{dash} cx="{px(k):.1f}" cy="{py(v):.1f}" r="2.6" fill="{colour}"/>')
        parts.append("</g>")
    parts.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{height - bottom}"/>'
                 f'<line class="axis" x1="{left}" x2="{width - right}" y1="{height - bottom}" y2="{height - bottom}"/>')
    parts.append("</svg>")
    legend = "".join(f'<span class="key"><i style="background:{c}"></i>{escape(s.name)}</span>'
                     for s, c in zip(series, SERIES_COLOURS * (len(series) // len(SERIES_COLOURS) + 1)))
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def bar_chart_svg(bars: Sequence[tuple[str, float | None]], *, target: float, width: float = 420,
                  svg_id: str = "bars") -> str:
    """Horizontal bars (label, minutes), coloured like the map; an unbounded wait fills the row and says so."""
    row, left, right = 26, 150, 70
    height = row * len(bars) + 24
    finite = [v for _, v in bars if v is not None and math.isfinite(v)]
    x_max = _nice(max([target * 1.2, *finite])) if finite else _nice(target * 1.2)
    plot_w = width - left - right
    parts = [(f'<svg id="{svg_id}" class="bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} '
              f'{height:.0f}" role="img" aria-label="예상 최장 대기시간">')]
    tx = left + plot_w * min(target, x_max) / x_max
    for k, (label, value) in enumerate(bars):
        y = 6 + k * row
        if value is None or (isinstance(value, float) and math.isnan(value)):
            w, text = 0.0, "-"
        elif math.isinf(value):
            w, text = plot_w, "대기 해소 불가"
        else:
            w, text = plot_w * min(value, x_max) / x_max, f"{value:,.0f}분"
        parts.append(f'<text class="blabel" x="{left - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
                     f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{wait_colour(value)}" '
                     f'stroke="#333" stroke-width="0.5"/>'
                     f'<text class="bvalue" x="{left + w + 4:.1f}" y="{y + 15}">{text}</text>')
    parts.append(f'<line class="target" x1="{tx:.1f}" x2="{tx:.1f}" y1="2" y2="{height - 18}"/>'
                 f'<text class="tick" x="{tx:.1f}" y="{height - 4}" text-anchor="middle">목표 {target:g}분</text>')
    parts.append("</svg>")
    return "".join(parts)


def _nice(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _ticks(top: float) -> list[float]:
    step = _nice(top / 5)
    return [step * k for k in range(int(top / step) + 1)]
