"""report.html in a real browser: headless Chromium (Debian's package) with the network off.

Each report must load with no request leaving the file itself, no failed request, no
console error, and a map that is drawn (10 동 outlines, the stations, coloured pixels).
The driver is tests/headless.py (DevTools protocol over a pipe). The first test shows the
harness can fail: a page that asks the network for an image and logs an error is caught.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from headless import Browser
from PIL import Image

from election_ops.comparison import read_plan_files
from election_ops.pipeline import load_inputs, solve_plan, write_solved
from election_ops.reports.html_report import write_comparison_html

MAP_FACTS = """(() => {
  const svg = document.querySelector('svg.map');
  const box = svg.getBoundingClientRect();
  return {width: box.width, height: box.height, x: box.left + window.scrollX, y: box.top + window.scrollY,
          dongs: svg.querySelectorAll('path.dong').length, stations: svg.querySelectorAll('.st').length,
          lang: document.documentElement.lang};
})()"""


@pytest.fixture(scope="module")
def browser():
    with Browser() as b:
        yield b


def _distinct_colours(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((160, 160))
    return len(image.getcolors(160 * 160))


def test_the_harness_catches_network_use_and_errors(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="ko"><body><img src="https://example.com/tile.png">'
                    '<script>console.error("고장");</script></body></html>', encoding="utf-8")
    load = browser.open(page)
    assert any(url.startswith("https://example.com/") for url in load.requests)
    assert any("example.com" in failure for failure in load.failed)
    assert any("고장" in message for message in load.console_errors)


def test_plan_report_opens_offline_with_its_map(browser, written_plan, tmp_path):
    load = browser.open(written_plan / "report.html")
    assert load.failed == []
    assert load.console_errors == []
    assert all(url.startswith("file:") for url in load.requests), load.requests
    facts = browser.evaluate(MAP_FACTS)
    assert facts["lang"] == "ko"
    assert (facts["dongs"], facts["stations"]) == (10, 72)
    assert facts["width"] > 300 and facts["height"] > 300
    shot = browser.screenshot({"x": facts["x"], "y": facts["y"], "width": facts["width"], "height": facts["height"]})
    (tmp_path / "map.png").write_bytes(shot)
    assert _distinct_colours(shot) > 20  # outlines, fills, labels and coloured stations, not a blank box


def test_clicking_a_station_lists_its_staff(browser, written_plan, solved_presidential):
    browser.open(written_plan / "report.html")
    site = "독산1동-3"
    rows = browser.evaluate(f"""(() => {{
      document.querySelector('svg.map .st[data-id="{site}"]').dispatchEvent(new MouseEvent('click', {{bubbles: true}}));
      return Array.from(document.querySelectorAll('#detail tr')).slice(1).map(tr => tr.innerText);
    }})()""")
    people = [a for a in solved_presidential.plan.assignments if a.site_id == site]
    assert len(rows) == len(people) > 5
    names = {w.id: w.name for w in solved_presidential.inputs.workers}
    assert {names[a.worker_id] for a in people} <= {cell for row in rows for cell in row.split("\t")}
    assert browser.evaluate("document.querySelector('#detail h3').textContent") == "독산1동 제3투표소"


@pytest.fixture(scope="module")
def comparison(presidential_scenario, written_plan, tmp_path_factory) -> Path:
    """The 60-precinct layout solved and compared with the 61-precinct plan (report.html only)."""
    out = tmp_path_factory.mktemp("compare")
    solved = solve_plan(load_inputs(presidential_scenario.with_name("2022-presidential-60.yaml"), with_staff=True),
                        time_limit=30)
    write_solved(solved, out / "60")
    write_comparison_html(out / "report.html", [read_plan_files(out / "60"), read_plan_files(written_plan)])
    return out / "report.html"


def test_comparison_report_shows_the_dongs_that_differ(browser, comparison):
    load = browser.open(comparison)
    assert (load.failed, load.console_errors) == ([], [])
    assert all(url.startswith("file:") for url in load.requests)
    finding = browser.evaluate("document.querySelector('section.finding').innerText")
    assert "독산1동" in finding
    assert "2022-presidential-60" in finding and "2022-presidential" in finding
    maps = browser.evaluate("""Array.from(document.querySelectorAll('svg.map')).map(s => [
      s.querySelectorAll('path.dong').length, s.querySelectorAll('.st').length,
      Array.from(s.querySelectorAll('path.dong.hl')).map(p => p.getAttribute('data-dong'))])""")
    assert maps == [[10, 71, ["독산1동"]], [10, 72, ["독산1동"]]]


NATIONAL_FACTS = """(() => {
  const paths = Array.from(document.querySelectorAll('#map path'));
  const planned = paths.filter(p => p.hasAttribute('data-a'));
  return {outlines: paths.length, planned: planned.length, fills: planned.map(p => p.style.fill),
          waits: planned.map(p => p.getAttribute('data-b')), lang: document.documentElement.lang,
          legend_b_hidden: document.getElementById('lb').hidden};
})()"""


def test_national_report_opens_offline_and_switches_its_map(browser, tmp_path):
    """The country page: every unit outline drawn, the planned ones coloured, the wait view one click away."""
    from election_ops.country.run import plan_country
    from election_ops.districts import list_units

    codes = [u.code for u in list_units() if u.sigungu in ("울릉군", "계룡시")]
    plan_country(tmp_path / "run", units=",".join(codes), engine="local")
    load = browser.open(tmp_path / "run" / "report.html")
    assert load.failed == [] and load.console_errors == []
    assert all(url.startswith("file:") for url in load.requests), load.requests
    before = browser.evaluate(NATIONAL_FACTS)
    assert before["lang"] == "ko"
    assert before["outlines"] == len(list_units())  # the whole country drawn, the two planned units coloured
    assert before["planned"] == 2 and before["legend_b_hidden"] is True
    browser.evaluate("document.getElementById('mb').click()")
    after = browser.evaluate(NATIONAL_FACTS)
    assert after["legend_b_hidden"] is False
    # the fills are now the wait colours (the browser reports them as rgb(...), so compare through a probe)
    probe = browser.evaluate("""(() => { const d = document.createElement('div'); document.body.appendChild(d);
      return %s.map(c => { d.style.color = c; return getComputedStyle(d).color; }); })()""" % after["waits"])
    assert after["fills"] == probe != before["fills"]
