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
    problems = load_script().problems()
    assert problems == [], ("a CLI message or help text without its Korean: run `python scripts/i18n.py update`, "
                            "translate the new msgstr entries in src/election_ops/locale/ko/LC_MESSAGES/election_ops.po, "
                            f"then `python scripts/i18n.py compile` (docs/i18n.md): {problems}")


def test_help_in_korean_and_in_english():
    ko = run("--help", lang="ko_KR.UTF-8")
    assert ko.returncode == 0, ko.stderr
    assert "선거 인력" in ko.stdout and "옵션" in ko.stdout and "명령" in ko.stdout
    assert "버전을 보여 주고 끝냅니다" in ko.stdout and "이 도움말을 보여 주고 끝냅니다" in ko.stdout
    en = run("--help", lang="en_US.UTF-8")
    assert en.returncode == 0 and "Usage" in en.stdout and not HANGUL.search(en.stdout.split("Commands")[0])
    solve_help = run("solve", "--help", lang="ko_KR.UTF-8").stdout
    assert "시나리오 파일" in solve_help and "계획 폴더" in solve_help
def test_a_translated_message_and_back():
    try:
        assert i18n.set_language("ko") == "ko"
        assert i18n._("wrote the plan to {folder}") == "계획을 {folder}에 저장했습니다"
    finally:
        i18n.set_language("en")
    assert i18n._("wrote the plan to {folder}") == "wrote the plan to {folder}"


def test_error_prefix_in_korean(tmp_path):
    result = run("solve", str(tmp_path / "missing.yaml"), lang="ko_KR.UTF-8")
    assert result.returncode == 2
    assert result.stderr.lstrip().startswith("오류:")
    assert run("solve", str(tmp_path / "missing.yaml"), lang="en_US.UTF-8").stderr.lstrip().startswith("error:")


@pytest.mark.slow
def test_solve_summarises_in_korean_and_names_what_it_wrote(tmp_path):
    result = run("solve", "--out", str(tmp_path / "plan"), "--time-limit", "20", lang="ko_KR.UTF-8")
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "배치 결과: 최적 배치 (증명됨)" in out and "수당: 투표관리관 15,390,000" in out and "합계 123,490,000원" in out
    assert "계획을 " in out and "저장했습니다" in out
    for name, what in (("roster.xlsx", "배치표"), ("report.html", "보고서"), ("notices.pdf", "근무 안내문")):
        assert f"{what}" in out and str(tmp_path / "plan" / name) in out, name
    assert "wrote" not in out and "solver" not in out and "OPTIMAL" not in out
