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


# Typer's own words that go through gettext's global domain (see set_language); the rest of its vendored
# click ("Usage:", its error messages) is fixed English
CLICK_MESSAGES = (
    N_("Options"), N_("Commands"), N_("Arguments"), N_("Error"), N_("Aborted!"), N_("[default: {}]"),
    N_("[required]"), N_("[env var: {}]"), N_("(deprecated) "), N_("default: {default}"),
    N_("Missing command."), N_("No such command {name!r}."), N_("Show this message and exit."),
)


set_language()


# --- help of commands and options ------------------------------------------------------------------------------
#
# Command help is the command's docstring and option help the ``help=`` of its typer.Option, written in English
# in the CLI modules. ``translated_command`` builds the click command Typer would run and puts each of those
# texts in the user's language, so the CLI's code keeps plain English and the catalogue holds the rest
# (scripts/i18n.py extracts the same texts from the same tree).


def _walk(command):
    """``command`` and every sub-command below it (a click command tree)."""
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _walk(sub)


def help_texts(command) -> list[str]:
    """Every help text of a click command tree: the catalogue's message ids."""
    texts = []
    for cmd in _walk(command):
        texts += [t for t in (cmd.help, cmd.short_help) if t]
        texts += [p.help for p in cmd.params if getattr(p, "help", None)]
    return texts


def translated_command(app):
    """The click command of Typer ``app`` with every help text in the terminal's language."""
    import typer.main

    command = typer.main.get_command(app)
    for cmd in _walk(command):
        cmd.help = _(cmd.help) if cmd.help else cmd.help
        cmd.short_help = _(cmd.short_help) if cmd.short_help else cmd.short_help
        for param in cmd.params:
            if getattr(param, "help", None):
                param.help = _(param.help)
        cmd.get_help_option = _translated_help_option(cmd.get_help_option)
    return command


def _translated_help_option(make):
    """click makes each command's --help option when asked; translate its help as it comes."""

    def get_help_option(ctx):
        option = make(ctx)
        if option is not None and option.help:
            option.help = _(option.help)
        return option

    return get_help_option
