"""Read the 동 boundaries (GeoJSON, one feature per 동 with a ``dong`` property)."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError
from ..geo import WGS84


def read_dong_boundaries(path: Path):
    """The features as a GeoDataFrame in WGS84; refuses a missing or unreadable file or one without ``dong``."""
    import geopandas as gpd

    try:
        exists = path.exists()
    except OSError as exc:  # e.g. a name too long for the file system
        raise InputError(path, f"cannot read the file ({exc.strerror})", fix="check the boundaries path") from None
    if not exists:
        raise InputError(path, "file not found", fix="check the boundaries path in the scenario")
    try:
        json.loads(path.read_text(encoding="utf-8-sig"))
        frame = gpd.read_file(path)
    except Exception as exc:  # a broken GeoJSON fails in several libraries' own ways
        raise InputError(path, f"not a readable GeoJSON file ({type(exc).__name__})",
                         fix="export the 동 polygons as GeoJSON in WGS84") from None
    if "dong" not in frame.columns:
        raise InputError(path, "features have no 'dong' property", column="dong", fix="add the 동 name to each feature")
    return frame.set_crs(WGS84) if frame.crs is None else frame.to_crs(WGS84)


def read_dong_outlines(path: Path) -> list[tuple[str, list[list[tuple[float, float]]]]]:
    """Each 동's name and polygon rings as (lon, lat) lists, read with json alone (no geopandas: fast).

    For drawing (report.html's inline map); a plan's boundaries were already checked by
    ``read_dong_boundaries`` when its inputs were loaded.
    """
    try:
        features = json.loads(path.read_text(encoding="utf-8-sig"))["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(path, f"not a readable GeoJSON file ({type(exc).__name__})",
                         fix="export the 동 polygons as GeoJSON in WGS84") from None
    out = []
    for feature in features:
        geometry = feature.get("geometry") or {}
        polygons = {"Polygon": [geometry.get("coordinates")], "MultiPolygon": geometry.get("coordinates")}.get(
            geometry.get("type"), [])
        rings = [[(float(x), float(y)) for x, y, *_ in ring] for polygon in polygons or [] for ring in polygon or []]
        out.append((str((feature.get("properties") or {}).get("dong", "")), rings))
    return out
