"""Coordinates: WGS84 in files, metres (EPSG:5179, Korea 2000 / Unified CS) for distances."""

from __future__ import annotations

import functools

import numpy as np

WGS84 = 4326
METRIC_CRS = 5179


@functools.cache
def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)


def to_metric(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 degrees to EPSG:5179 metres (arrays or scalars)."""
    x, y = _transformer().transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


@functools.cache
def _inverse_transformer():
    from pyproj import Transformer

    return Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)


def to_wgs84(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Project EPSG:5179 metres back to WGS84 degrees (arrays or scalars)."""
    lon, lat = _inverse_transformer().transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(lon), np.asarray(lat)


def distance_matrix_m(from_lonlat: np.ndarray, to_lonlat: np.ndarray) -> np.ndarray:
    """Straight-line distances in whole metres between two sets of WGS84 points.

    geopandas does the projection; the pairwise distances are a broadcast on the
    projected coordinates (an (n x m) GeoSeries distance would be n times slower).
    """
    import geopandas as gpd

    a = gpd.GeoSeries(gpd.points_from_xy(from_lonlat[:, 0], from_lonlat[:, 1]), crs=WGS84).to_crs(METRIC_CRS)
    b = gpd.GeoSeries(gpd.points_from_xy(to_lonlat[:, 0], to_lonlat[:, 1]), crs=WGS84).to_crs(METRIC_CRS)
    dx = a.x.to_numpy()[:, None] - b.x.to_numpy()[None, :]
    dy = a.y.to_numpy()[:, None] - b.y.to_numpy()[None, :]
    return np.rint(np.hypot(dx, dy)).astype(np.int64)
