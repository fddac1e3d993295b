"""The terminal's language: Korean when the locale says so (LANG=ko_KR.UTF-8), English otherwise.

Messages are written in English in the code, marked with ``_()``, and translated from the
catalogue ``locale/ko/LC_MESSAGES/election_ops.po``; its compiled ``.mo`` beside it is
committed (``python scripts/i18n.py compile``; a test keeps the two in step), so a fresh
clone works after ``pip install -e .`` with nothing to build. The language comes from the
usual variables, in gettext's order: LANGUAGE, LC_ALL, LC_MESSAGES, LANG.

Documents (roster.xlsx, ...) are always Korean (glossary.py); only the terminal follows the locale.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "election_ops"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "ko")

_translation: gettext.NullTranslations = gettext.NullTranslations()


def detect_language(environ: dict[str, str] | None = None) -> str:
    """``ko`` when the first locale variable that is set names Korean, else ``en``."""
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            first = value.split(":")[0].lower()
            return "ko" if first.startswith("ko") else "en"
    return "en"


def set_language(language: str | None = None) -> str:
    """Use ``language`` (``ko`` or ``en``; default: the environment's) for every later message."""
    global _translation
    language = language or detect_language()
    if language == "ko":
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=["ko"], fallback=True)
    else:
        _translation = gettext.NullTranslations()
    return language


def _(message: str) -> str:
    """``message`` in the terminal's language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def language() -> str:
    return "en" if type(_translation) is gettext.NullTranslations else "ko"


set_language()
