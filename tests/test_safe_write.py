"""Atomic output files: normal permissions, no half-written file, no formula injection."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from election_ops.safe_write import atomic_path, neutralise, write_atomic, write_text_atomic


@pytest.fixture
def umask():
    """Set the process umask for one test and put the old one back afterwards."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


def _leftovers(folder: Path, target: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != target)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077], ids=["022", "002", "077"])
def test_permissions_follow_the_umask(tmp_path, umask, mask):
    umask(mask)
    target = tmp_path / "requirements.csv"
    write_text_atomic(target, "site_id,required\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert os.umask(mask) == mask  # reading the umask inside atomic_path put it back


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_replacing_a_file_gives_the_umask_mode_too(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o600)
    write_text_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_write_that_fails_midway_leaves_the_earlier_file(tmp_path):
    target = tmp_path / "requirements.csv"
    write_text_atomic(target, "the earlier file\n")

    def half_then_fail(tmp: Path) -> None:
        tmp.write_text("half a fi", encoding="utf-8")
        raise RuntimeError("killed midway")

    with pytest.raises(RuntimeError, match="killed midway"):
        write_atomic(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "the earlier file\n"
    assert _leftovers(tmp_path, target) == []  # no temporary file left beside it


def test_a_failed_first_write_leaves_nothing(tmp_path):
    target = tmp_path / "sub" / "new.csv"
    with pytest.raises(ValueError):
        with atomic_path(target) as tmp:
            tmp.write_text("partial", encoding="utf-8")
            raise ValueError("boom")
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@x", "\t=x", "\r=x", "=HYPERLINK(\"http://x\")"])
def test_neutralise_makes_formulas_inert(text):
    out = neutralise(text)
    assert out == "'" + text
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("value", [1, -1, 0, 2.5, -3.25, None, True, "", "독산1동-3", "manager", "1+1", "a=b", "e@x"])
def test_neutralise_leaves_numbers_and_ordinary_text_alone(value):
    assert neutralise(value) is value
