"""Map of a plan: 동 boundaries, stations sized by electors and coloured by predicted worst wait.

Korean labels use the NanumGothic font that koreanize-matplotlib ships, so a fresh machine
with no Korean fonts installed draws them; no network is needed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..glossary import SITE_KINDS
from ..io.boundaries import read_dong_boundaries
from ..safe_write import write_atomic
from ..waits.station import UNBOUNDED_KO
from . import palette

WAIT_BINS = (0, *palette.WAIT_BINS)  # minutes; the colour scale's steps, 30 = the target
MARKERS = {"polling": "o", "early": "s", "counting": "*"}
KIND_KO = {code: term.ko for code, term in SITE_KINDS.items()}
UNBOUNDED_COLOUR = palette.UNBOUNDED_COLOUR  # outside the green-to-red scale, a line that never clears
UNKNOWN_COLOUR = palette.NO_WAIT_COLOUR  # no prediction for the station


def draw_plan_map(sites: pd.DataFrame, waits: pd.DataFrame | None, boundaries: Path, out: Path, *,
                  title: str, target_min: float = 30.0, label_worst: int = 5) -> int:
    """Write a PNG map; returns the number of stations drawn (polling and early-voting)."""
    import warnings

    import matplotlib

    with warnings.catch_warnings():  # koreanize-matplotlib still uses distutils' LooseVersion
        warnings.simplefilter("ignore", DeprecationWarning)
        import koreanize_matplotlib  # noqa: F401 - registers the bundled Korean font

    matplotlib.use("Agg")  # no screen needed
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap

    dongs = read_dong_boundaries(boundaries)
    frame = sites.copy()
    if waits is not None and len(waits):
        frame = frame.merge(waits[["site_id", "worst_wait_min"]], on="site_id", how="left")
    else:
        frame["worst_wait_min"] = float("nan")
    stations = frame[frame["site_kind"].isin(["polling", "early"])]

    fig, ax = plt.subplots(figsize=(9, 9), dpi=110)
    dongs.plot(ax=ax, facecolor="#f4f4f4", edgecolor="#888888", linewidth=0.8)
    for _, row in dongs.iterrows():
        point = row.geometry.representative_point()
        ax.annotate(row["dong"], (point.x, point.y), xytext=(0, 14), textcoords="offset points", ha="center",
                    va="center", fontsize=9, color="#333333", zorder=6,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7})

    waits_min = stations["worst_wait_min"].astype(float)
    unbounded = waits_min.map(lambda v: v == float("inf"))  # a stage without a server: 대기 해소 불가
    unknown = waits_min.isna()  # no prediction (e.g. a plan folder without waits.csv)
    finite = waits_min[~unbounded & ~unknown]
    bins = list(WAIT_BINS) + [max(10_000.0, float(finite.max()) + 1 if len(finite) else 0.0)]
    cmap = ListedColormap(list(palette.WAIT_COLOURS))
    norm = BoundaryNorm(bins, cmap.N)
    scatter = None
    for kind, group in stations.groupby("site_kind", sort=False):
        # each kind on its own scale: an early-voting station serves a whole 동
        size = 30 + 330 * group["electors"] / max(float(group["electors"].max()), 1.0)
        shown = ~unbounded[group.index] & ~unknown[group.index]
        if shown.any():
            scatter = ax.scatter(group.loc[shown, "lon"], group.loc[shown, "lat"], s=size[shown],
                                 c=group.loc[shown, "worst_wait_min"].astype(float), cmap=cmap, norm=norm,
                                 marker=MARKERS[kind], edgecolors="black", linewidths=0.6, zorder=3,
                                 label=KIND_KO[kind])
        for mask, colour, label in ((unbounded, UNBOUNDED_COLOUR, f"{KIND_KO[kind]}: {UNBOUNDED_KO}"),
                                    (unknown, UNKNOWN_COLOUR, f"{KIND_KO[kind]}: 예측 없음")):
            these = mask[group.index]
            if these.any():
                ax.scatter(group.loc[these, "lon"], group.loc[these, "lat"], s=size[these], c=colour,
                           marker=MARKERS[kind], edgecolors="black", linewidths=1.2, zorder=4, label=label)
    counting = frame[frame["site_kind"] == "counting"]
    if len(counting):
        ax.scatter(counting["lon"], counting["lat"], s=260, marker="*", c="#3f51b5", edgecolors="black",
                   zorder=4, label="개표소")
    ranked = stations.assign(_rank=waits_min.fillna(-1.0))
    worst = ranked.sort_values(["_rank", "site_id"], ascending=[False, True]).head(label_worst)
    for _, row in worst.iterrows():
        wait = row["_rank"]
        if wait >= WAIT_BINS[1]:  # only lines worth a look
            text = UNBOUNDED_KO if wait == float("inf") else f"{wait:.0f}분"
            ax.annotate(f"{row['site_id']} {text}", (row["lon"], row["lat"]),
                        xytext=(8, -14), textcoords="offset points", fontsize=8, zorder=7, color="#b2182b",
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "#b2182b"})
    if scatter is not None:
        bar = fig.colorbar(scatter, ax=ax, shrink=0.6, ticks=WAIT_BINS)
        bar.set_label(f"가장 붐비는 시간대 예상 대기시간 (분), 목표 {target_min:g}분")
    ax.legend(loc="lower left", fontsize=8, title="크기: 선거인수", title_fontsize=8)
    ax.set_title(title, fontsize=12)
    ax.set_axis_off()
    fig.tight_layout()
    write_atomic(out, lambda tmp: fig.savefig(tmp, format="png"))
    plt.close(fig)
    return len(stations)
