"""roster.xlsx as LibreOffice prints it: the 투표소별 sheet gives each site its own page(s).

The workbook of a real plan (conftest ``written_plan``) is converted with
``soffice --headless --convert-to pdf`` (Debian's libreoffice-calc, with fonts-nanum for the
Korean glyphs; .ci/run installs both), and the PDF's text is read page by page. A page
belongs to the 투표소별 sheet when its running header or footer names the sheet. Every such
page must name exactly one site, and hold names and roles of that site's staff.
pypdf's text loses or adds spaces between table cells, so texts are compared without
whitespace.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

SHEET = "투표소별"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(written_plan, tmp_path_factory) -> list[str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: apt-get install -y libreoffice-calc fonts-nanum (see .ci/run)"
    out = tmp_path_factory.mktemp("printed")
    profile = out / "profile"  # a profile of its own: no clash with a LibreOffice already running
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(written_plan / "roster.xlsx")],
                   check=True, capture_output=True, timeout=300)
    return [page.extract_text() or "" for page in PdfReader(out / "roster.pdf").pages]


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_each_site_page_names_one_site_with_its_people_and_roles(printed, written_plan, solved_presidential):
    sites = {row["site_id"]: _squash(row["name"]) for row in _read(written_plan / "sites.csv")}
    names = {w.id: _squash(w.name) for w in solved_presidential.inputs.workers}
    staff: dict[str, set[str]] = {}
    roles: dict[str, set[str]] = {}
    for row in _read(written_plan / "assignments.csv"):
        staff.setdefault(row["site_id"], set()).add(names[row["worker_id"]])
        roles.setdefault(row["site_id"], set()).add(_squash(row["role_name"]))
    pages = [_squash(text) for text in printed if SHEET in _squash(text)]
    assert len(pages) >= len(sites), f"{len(pages)} pages of {SHEET} for {len(sites)} sites"
    seen = set()
    for number, page in enumerate(pages, start=1):
        named = {site for site, name in sites.items() if name in page}
        assert len(named) == 1, f"{SHEET} page {number} names {sorted(named) or 'no site'}"
        site = named.pop()
        seen.add(site)
        assert any(name in page for name in staff[site]), f"{SHEET} page {number} ({site}) names nobody"
        assert any(role in page for role in roles[site]), f"{SHEET} page {number} ({site}) shows no role"
    assert seen == set(sites)  # every site has its page(s)
