"""The terminal speaks the user's language: Korean under a Korean locale, English otherwise.

The CLI runs in a subprocess with LANG set, as a user's shell would run it (the language is
chosen once, when the program starts).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from election_ops import i18n

HANGUL = re.compile("[가-힣]")
REPO = Path(__file__).resolve().parents[1]


def run(*args: str, lang: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update({"LANG": lang, "COLUMNS": "200", "PYTHONPATH": str(REPO / "src")})
    return subprocess.run([sys.executable, "-m", "election_ops", *args], capture_output=True, text=True, env=env,
                          cwd=cwd or REPO, check=False, timeout=300)


def load_script():
    spec = importlib.util.spec_from_file_location("i18n_script", REPO / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "ko_KR.UTF-8"}, "ko"), ({"LANG": "en_US.UTF-8"}, "en"), ({}, "en"), ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "ko_KR.UTF-8"}, "ko"), ({"LANGUAGE": "en", "LANG": "ko_KR.UTF-8"}, "en"),
])
def test_the_language_follows_the_locale_variables(environ, language):
    assert i18n.detect_language(environ) == language


def test_the_catalogue_is_complete_and_compiled():
    """Every message the CLI marks has a Korean translation, and the committed .mo is the compiled .po."""
    assert load_script().problems() == []


def test_help_in_korean_and_in_english():
    ko = run("--help", lang="ko_KR.UTF-8")
    assert ko.returncode == 0, ko.stderr
    assert "선거 인력" in ko.stdout and "옵션" in ko.stdout and "명령" in ko.stdout
    assert "버전을 보여 주고 끝냅니다" in ko.stdout and "이 도움말을 보여 주고 끝냅니다" in ko.stdout
    en = run("--help", lang="en_US.UTF-8")
    assert en.returncode == 0 and "Usage" in en.stdout and not HANGUL.search(en.stdout.split("Commands")[0])
    solve_help = run("solve", "--help", lang="ko_KR.UTF-8").stdout
    assert "시나리오 파일" in solve_help and "계획 폴더" in solve_help
