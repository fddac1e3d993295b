"""The terminal's message catalogue: extract the English messages, update the Korean .po, compile the .mo.

    python scripts/i18n.py extract   # src/election_ops/locale/election_ops.pot from every _("...") in the CLI
    python scripts/i18n.py update    # merge the .pot into ko/LC_MESSAGES/election_ops.po (new messages untranslated)
    python scripts/i18n.py compile   # ko/LC_MESSAGES/election_ops.mo, committed so a fresh clone needs no build
    python scripts/i18n.py check     # exit 1 when a message is untranslated or the .mo is stale

Needs Babel (the dev extra).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "election_ops"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "election_ops.pot"
PO = LOCALE / "ko" / "LC_MESSAGES" / "election_ops.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def sources() -> list[Path]:
    """The modules that speak to the terminal: cli.py and the command groups beside it."""
    return sorted([PACKAGE / "cli.py", *PACKAGE.glob("cli_*.py"), PACKAGE / "i18n.py"])


def extract() -> Catalog:
    """Every _("...") and N_("...") of the CLI modules, and every command's and option's help text."""
    catalog = Catalog(project="election-ops", domain="election_ops", charset="utf-8", fuzzy=False)
    for path in sources():
        for lineno, message, comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS):
            catalog.add(message, None, [(str(path.relative_to(ROOT)), lineno)], auto_comments=comments)
    sys.path.insert(0, str(ROOT / "src"))
    from election_ops import i18n

    i18n.set_language("en")  # the English texts, whatever this shell's locale
    import typer.main

    from election_ops.cli import app

    for text in i18n.help_texts(typer.main.get_command(app)):
        catalog.add(text, None, [("src/election_ops/cli.py", 0)], auto_comments=["command or option help"])
    return catalog


def read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale="ko", domain="election_ops")


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def problems() -> list[str]:
    """Untranslated or missing messages, and a .mo that is not the compiled .po."""
    po, template = read(PO), extract()
    out = [f"not in {PO.name}: {m.id!r}" for m in template if m.id and m.id not in po]
    out += [f"untranslated: {m.id!r}" for m in po if m.id and not (m.string if isinstance(m.string, str)
                                                                     else all(m.string))]
    if not MO.exists() or MO.read_bytes() != compiled(po):
        out.append(f"{MO.name} is stale: run python scripts/i18n.py compile")
    return out


def main(command: str) -> int:
    if command == "extract":
        with POT.open("wb") as fh:
            write_po(fh, extract(), width=120, omit_header=False, sort_output=True)
    elif command == "update":
        po = read(PO) if PO.exists() else Catalog(locale="ko", domain="election_ops")
        po.update(extract(), no_fuzzy_matching=True)
        with PO.open("wb") as fh:
            write_po(fh, po, width=120, ignore_obsolete=True, sort_output=True)
    elif command == "compile":
        MO.write_bytes(compiled(read(PO)))
    elif command == "check":
        found = problems()
        print("\n".join(found) or "catalogue complete")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
