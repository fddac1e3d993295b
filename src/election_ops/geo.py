"""Coordinates: WGS84 in files, metres (EPSG:5179, Korea 2000 / Unified CS) for distances."""

from __future__ import annotations

import functools

import numpy as np

WGS84 = 4326
METRIC_CRS = 5179


@functools.cache
def _transformer(source: int, target: int):
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def _project(source: int, target: int, a, b) -> tuple[np.ndarray, np.ndarray]:
    u, v = _transformer(source, target).transform(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    return np.asarray(u), np.asarray(v)


def to_metric(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 degrees to EPSG:5179 metres (arrays or scalars)."""
    return _project(WGS84, METRIC_CRS, lon, lat)


def to_wgs84(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Project EPSG:5179 metres back to WGS84 degrees (arrays or scalars)."""
    return _project(METRIC_CRS, WGS84, x, y)


def distance_matrix_m(from_lonlat: np.ndarray, to_lonlat: np.ndarray, *, block: int = 1 << 14) -> np.ndarray:
    """Straight-line distances in whole metres (int32: Korea is under 2,000 km across) between two sets of
    WGS84 points.

    Both sets are projected once; the pairwise distances are a broadcast on the projected
    coordinates, ``block`` rows at a time, so a pool of 200,000 homes needs one int32 matrix
    and no float temporaries of the same size.
    """
    ax, ay = to_metric(from_lonlat[:, 0], from_lonlat[:, 1])
    bx, by = to_metric(to_lonlat[:, 0], to_lonlat[:, 1])
    out = np.empty((len(ax), len(bx)), dtype=np.int32)
    for start in range(0, len(ax), block):
        rows = slice(start, start + block)
        out[rows] = np.rint(np.hypot(ax[rows, None] - bx[None, :], ay[rows, None] - by[None, :]))
    return out
