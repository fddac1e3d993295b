"""Read the 동 boundaries (GeoJSON, one feature per 동 with a ``dong`` property)."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

from ..errors import InputError
from ..geo import WGS84
from .files import read_input


def read_dong_boundaries(path: Path):
    """The features as a GeoDataFrame in WGS84; refuses a missing or unreadable file or one without ``dong``."""
    import geopandas as gpd

    raw = read_input(path, "geojson")  # a regular file of bounded size, or an InputError naming it
    try:
        json.loads(raw.decode("utf-8-sig"))
        frame = gpd.read_file(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - a broken GeoJSON fails in several libraries' own ways
        raise InputError(path, f"not a readable GeoJSON file ({type(exc).__name__})",
                         fix="export the 동 polygons as GeoJSON in WGS84") from None
    if "dong" not in frame.columns:
        raise InputError(path, "features have no 'dong' property", column="dong", fix="add the 동 name to each feature")
    frame["dong"] = [unicodedata.normalize("NFC", d) if isinstance(d, str) else d for d in frame["dong"]]
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
