"""map: a PNG of a plan with 동 boundaries and every polling and early-voting station.

Two solves for the whole file (the 61- and 60-precinct presidential layouts, each via
``map SCENARIO``); the other tests draw from those plan folders.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import matplotlib
import matplotlib.image
import pytest
from matplotlib.colors import to_rgba
from typer.testing import CliRunner

from election_ops.cli import app
from election_ops.comparison import read_plan_files
from election_ops.reports.maps import KIND_KO, UNKNOWN_COLOUR, draw_plan_map

matplotlib.use("Agg")

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NO_WAIT = to_rgba("#1a9850")  # the colour of the first wait bin, 0-5 min
LAYOUTS = {"2022-presidential": 61 + 10, "2022-presidential-60": 60 + 10}  # polling + early-voting stations


@pytest.fixture(scope="module")
def maps(tmp_path_factory) -> dict[str, Path]:
    """``map SCENARIO --out DIR/<id>.png`` for both layouts: each solves into DIR/<id>/ first."""
    folder = tmp_path_factory.mktemp("maps")
    outputs = {}
    for scenario, count in LAYOUTS.items():
        png = folder / f"{scenario}.png"
        result = runner.invoke(app, ["map", str(REPO / "scenarios" / f"{scenario}.yaml"), "--out", str(png)])
        assert result.exit_code == 0, result.output
        output = " ".join(result.output.split())
        assert f"{scenario}: solved (OPTIMAL)" in output
        assert re.search(rf"wrote .*{re.escape(png.name)} \({count} stations\)", output), output
        outputs[scenario] = png
    return outputs


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 10_000
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 500 and image.shape[1] > 500
    assert image.std() > 0.01  # not a blank canvas


def boundaries_of(folder: Path) -> Path:
    return Path(json.loads((folder / "summary.json").read_text(encoding="utf-8"))["inputs"]["boundaries"]["path"])


@pytest.fixture
def kept_open(monkeypatch):
    """draw_plan_map's figures, kept open to look at (closed for real after the test)."""
    import matplotlib.pyplot as plt

    close = plt.close
    figures: list = []
    monkeypatch.setattr(plt, "close", figures.append)
    yield figures
    for figure in figures:
        close(figure)


def draw(folder: Path, out: Path, figures: list, *, without_waits: bool = False):
    """draw_plan_map on a plan folder: (count, figure)."""
    before = len(figures)
    plan = read_plan_files(folder)
    count = draw_plan_map(plan.sites, None if without_waits else plan.waits, boundaries_of(folder), out,
                          title=plan.name)
    assert len(figures) == before + 1
    return count, figures[-1]


def station_colours(figure) -> list[tuple[float, ...]]:
    """The fill colour of every polling and early-voting station marker."""
    (ax, *_) = figure.axes
    colours = []
    for collection in ax.collections:
        if collection.get_label() in (KIND_KO["polling"], KIND_KO["early"]):
            colours += [tuple(c) for c in collection.to_rgba(collection.get_array())]
    return colours


@pytest.mark.parametrize("scenario", LAYOUTS)
def test_map_of_a_scenario_writes_a_png(maps, scenario):
    assert_png(maps[scenario])
    assert (maps[scenario].parent / scenario / "summary.json").exists()  # solved beside the PNG


@pytest.mark.parametrize("scenario", LAYOUTS)
def test_map_of_a_plan_folder_reports_its_stations(maps, tmp_path, scenario):
    png = tmp_path / "again.png"
    result = runner.invoke(app, ["map", str(maps[scenario].parent / scenario), "--out", str(png)])
    assert result.exit_code == 0, result.output
    assert f"({LAYOUTS[scenario]} stations)" in " ".join(result.output.split())
    assert "solved" not in result.output
    assert_png(png)


@pytest.mark.parametrize("scenario", LAYOUTS)
def test_draw_plan_map_returns_the_station_count(maps, tmp_path, kept_open, scenario):
    count, figure = draw(maps[scenario].parent / scenario, tmp_path / "map.png", kept_open)
    assert count == LAYOUTS[scenario] == len(station_colours(figure))
    assert_png(tmp_path / "map.png")


def test_stations_are_coloured_by_their_worst_wait(maps, tmp_path, kept_open):
    """The 60-precinct 독산1동-3 waits ~20 min in its worst hour: its own colour, and labelled."""
    count, figure = draw(maps["2022-presidential-60"].parent / "2022-presidential-60", tmp_path / "map.png",
                         kept_open)
    colours = station_colours(figure)
    labels = [t.get_text() for t in figure.axes[0].texts]
    assert colours.count(NO_WAIT) == count - 1
    assert colours.count(to_rgba("#fee08b")) == 1  # the 15-30 min bin
    assert [label for label in labels if label.startswith("독산1동-3 ")] == ["독산1동-3 20분"]


def test_map_without_waits_draws_every_station_in_the_no_prediction_colour(maps, tmp_path, kept_open):
    folder = tmp_path / "plan"
    shutil.copytree(maps["2022-presidential-60"].parent / "2022-presidential-60", folder)
    (folder / "waits.csv").unlink()
    count, figure = draw(folder, tmp_path / "map.png", kept_open, without_waits=True)
    assert station_colours(figure) == []  # no station in a wait colour: without a prediction, none is green
    unknown = [c for c in figure.axes[0].collections if c.get_label().endswith("예측 없음")]
    colours = {tuple(rgba) for c in unknown for rgba in c.get_facecolors()}
    labels = [t.get_text() for t in figure.axes[0].texts]
    assert count == 70 == sum(len(c.get_offsets()) for c in unknown)
    assert colours == {to_rgba(UNKNOWN_COLOUR)}
    assert not any(label.endswith("분") for label in labels)  # no station labelled with a wait
    assert_png(tmp_path / "map.png")

    result = runner.invoke(app, ["map", str(folder), "--out", str(tmp_path / "cli.png")])
    assert result.exit_code == 0, result.output
    assert "(70 stations)" in " ".join(result.output.split())
    assert_png(tmp_path / "cli.png")


def test_missing_boundaries_file_exits_2(maps, tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(maps["2022-presidential"].parent / "2022-presidential", folder)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    summary["inputs"]["boundaries"]["path"] = str(tmp_path / "gone" / "dongs.geojson")
    summary["inputs"]["boundaries"]["relative"] = "../gone/dongs.geojson"  # nor where the folder would find it moved
    (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    png = tmp_path / "map.png"
    result = runner.invoke(app, ["map", str(folder), "--out", str(png)])
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert "boundaries" in output and "Traceback" not in output
    assert not png.exists()
