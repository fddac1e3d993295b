"""Write one district's data folder (the six files of docs/data.md) from prepared tables.

The one derivation of the product's district format: ``scripts/derive_data.py`` uses it
for a district's own NEC extracts (금천구's richer history), and ``district init`` for
any of the 250 count units from the national tables in ``data/korea/``. Neither the
district nor its counting site is named here: both come in as inputs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..geo import METRIC_CRS, WGS84, to_wgs84
from ..safe_write import write_text_atomic
from .placement import centre_of, phase_of, place_stations

UNKNOWN_COUNTING_SITE = "장소 미정"  # the counting site's venue is not in the national data
FILES = ("dongs.csv", "precinct_history.csv", "dong_history.csv", "elections.csv", "sites.csv", "dongs.geojson")


@dataclass(frozen=True)
class CountingSite:
    """Where the 개표소 stands: a venue name, its 동, and its location when known.

    Without a location it is put at its 동's polygon centroid (or a point inside the 동 if
    the centroid falls outside); without a 동 either, at ``point`` of the unit, named as
    unknown.
    """

    name: str | None = None
    dong: str | None = None
    lon: float | None = None
    lat: float | None = None


@dataclass
class DistrictTables:
    """Everything a district folder holds, in the product's columns (docs/data.md).

    ``boundaries`` is a GeoDataFrame in WGS84 with columns ``dong, adm_cd2, nec_name,
    geometry``, one row per 동 in ``dongs`` order. ``points`` gives each 동's
    representative point in metres (EPSG:5179) where one is known; ``outline`` the unit's
    outline in metres, which stations are kept inside. ``register_election`` names the
    precinct layout the stations are placed for.
    """

    dongs: pd.DataFrame
    precincts: pd.DataFrame
    dong_history: pd.DataFrame
    elections: pd.DataFrame
    boundaries: object
    register_election: str
    points: dict[str, tuple[float, float]] = field(default_factory=dict)
    outline: object | None = None
    counting: CountingSite = CountingSite()
    unit_point: tuple[float, float] | None = None  # metres; the counting site's fallback


def _lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = to_wgs84(x, y)
    return round(float(lon), 6), round(float(lat), 6)


def station_regions(tables: DistrictTables) -> dict[str, object]:
    """Each 동's polygon in metres, clipped to the unit's outline when that leaves most of it."""
    metric = tables.boundaries.to_crs(METRIC_CRS).set_index("dong").geometry
    regions = {}
    for dong in tables.dongs["dong"]:
        polygon = metric.at[dong].buffer(0)
        if tables.outline is not None:
            clipped = polygon.intersection(tables.outline)
            if clipped.area >= 0.05 * polygon.area and not clipped.is_empty:
                polygon = clipped
        regions[dong] = polygon
    return regions


def build_sites(tables: DistrictTables) -> pd.DataFrame:
    """Polling stations (one per precinct of the register election), early-voting stations, the counting site."""
    regions = station_regions(tables)
    layout = tables.precincts[tables.precincts["election"] == tables.register_election]
    codes = dict(zip(tables.dongs["dong"], tables.dongs["adm_cd2"]))
    rows, centres = [], {}
    for dong in tables.dongs["dong"]:
        region = regions[dong]
        centre = centres[dong] = centre_of(region, tables.points.get(dong))
        group = layout[layout["dong"] == dong].sort_values("number")
        points = place_stations(region, centre, group["registered_electors"].astype(float).tolist(),
                                phase=phase_of(codes[dong]))
        for (_, pr), (x, y) in zip(group.iterrows(), points):
            lon, lat = _lonlat(x, y)
            rows.append({"site_id": pr["precinct_id"], "site_kind": "polling", "name": f"{dong} 제{pr['number']}투표소",
                         "dong": dong, "lon": lon, "lat": lat, "location_source": "approximate",
                         "serves": pr["precinct_id"], "entrances": 1})
    for dong in tables.dongs["dong"]:
        lon, lat = _lonlat(centres[dong].x, centres[dong].y)
        rows.append({"site_id": f"{dong}-사전", "site_kind": "early", "name": f"{dong} 사전투표소 ({dong} 주민센터)",
                     "dong": dong, "lon": lon, "lat": lat, "location_source": "approximate", "serves": dong,
                     "entrances": 1})
    rows.append(_counting_row(tables, regions))
    return pd.DataFrame(rows)


def _counting_row(tables: DistrictTables, regions: dict) -> dict:
    from shapely.geometry import Point

    from ..geo import to_metric

    site = tables.counting
    dong = site.dong
    if site.lon is not None and site.lat is not None:
        x, y = (float(v) for v in to_metric(site.lon, site.lat))
        point, source = Point(x, y), "surveyed"
    elif dong is not None:
        polygon = regions[dong]
        point = polygon.centroid if polygon.contains(polygon.centroid) else polygon.representative_point()
        source = "approximate"
    else:
        outline = tables.outline if tables.outline is not None else _union(regions)
        point = Point(tables.unit_point) if tables.unit_point is not None else None
        if point is None or not outline.contains(point):
            point = outline.representative_point()
        source = "approximate"
    if dong is None:  # the 동 whose region holds the point, else the nearest
        dong = min(regions, key=lambda d: (0 if regions[d].contains(point) else 1, regions[d].distance(point)))
    lon, lat = _lonlat(point.x, point.y)
    return {"site_id": "개표소", "site_kind": "counting", "name": f"개표소 ({site.name or UNKNOWN_COUNTING_SITE})",
            "dong": dong, "lon": lon, "lat": lat, "location_source": source, "serves": "*", "entrances": 1}


def _union(regions: dict):
    from shapely import union_all

    return union_all(list(regions.values()))


def write_district_folder(tables: DistrictTables, out: Path) -> list[Path]:
    """Write the six files into ``out`` (each atomically); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    sites = build_sites(tables)
    texts = {
        "dongs.csv": _csv(tables.dongs),
        "precinct_history.csv": _csv(tables.precincts),
        "dong_history.csv": _csv(tables.dong_history),
        "elections.csv": _csv(tables.elections),
        "sites.csv": _csv(sites),
        "dongs.geojson": _geojson(tables.boundaries),
    }
    for name, text in texts.items():
        write_text_atomic(out / name, text)
    return [out / name for name in FILES]


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def _geojson(boundaries) -> str:
    frame = boundaries.to_crs(WGS84) if boundaries.crs is not None else boundaries
    gj = json.loads(frame.to_json(drop_id=True))
    gj["name"] = "dong_boundaries"
    return json.dumps(gj, ensure_ascii=False) + "\n"
