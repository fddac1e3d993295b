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
    """Use ``language`` (``ko`` or ``en``; default: the environment's) for every later message.

    Click and Typer translate their own words ("Usage:", "Options", ...) through gettext's global
    domain, so Korean also binds that domain to this catalogue (it finds the language in the
    environment, as gettext does); import this module before typer (Typer reads its panel titles
    once, at import).
    """
    global _translation
    language = language or detect_language()
    if language == "ko":
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=["ko"], fallback=True)
        gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
        gettext.textdomain(DOMAIN)
    else:
        _translation = gettext.NullTranslations()
        gettext.textdomain("messages")
    return language


def _(message: str) -> str:
    """``message`` in the terminal's language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def language() -> str:
    return "en" if type(_translation) is gettext.NullTranslations else "ko"


def N_(message: str) -> str:  # the gettext convention: marks a message for the catalogue only
    return message


# Click's and Typer's own words, translated through the global domain (see set_language)
CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Arguments"), N_("Error"), N_("Aborted."),
    N_("Show this message and exit."), N_("[default: {}]"), N_("[required]"),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."), N_("Missing argument '{param_hint}'."),
    N_("Missing option '{param_hint}'."), N_("No such option: {name}"), N_("No such command {name!r}."),
    N_("Invalid value for {param_hint}: {message}"),
)


set_language()
