"""Extract the UI's messages and bring the catalogues (nb, nn, en) up to date.

    .venv/bin/python -m klynge.i18n.extract           # update locale/*/LC_MESSAGES/messages.po
    .venv/bin/python -m klynge.i18n.extract --check   # list msgids without nb/nn text; exit 1

The same with pybabel (babel.cfg is at the repository root):

    pybabel extract -F babel.cfg -k N_ -o messages.pot .
    pybabel update -i messages.pot -d platform/klynge/i18n/locale -D messages --ignore-obsolete

Labels kept in Python dictionaries and translated where they are shown (roles, service types,
sectors) cannot be found by an extractor; they are added here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from klynge.i18n import LOCALE_DIR
from klynge.settings import REPO_ROOT

CONFIG = REPO_ROOT / "babel.cfg"
LANGUAGES = ("nb", "nn", "en")
REQUIRED = ("nb", "nn")  # English falls back to the msgid
# Placeholders the newstyle gettext of Jinja and our `_(...) % {...}` understand.
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def label_messages() -> Iterator[tuple[str, str]]:
    """(msgid, where) for labels translated at run time from dictionaries."""
    from klynge.auth.roles import ROLE_LABELS
    from klynge.orgs.schemas import SECTOR_LABELS, SERVICE_TYPE_LABELS

    for source, labels in (
        ("klynge/auth/roles.py:ROLE_LABELS", ROLE_LABELS),
        ("klynge/orgs/schemas.py:SERVICE_TYPE_LABELS", SERVICE_TYPE_LABELS),
        ("klynge/orgs/schemas.py:SECTOR_LABELS", SECTOR_LABELS),
    ):
        for label in labels.values():
            yield label, source


def extract(root: Path = REPO_ROOT, config: Path = CONFIG) -> Catalog:
    """Every message in the code and templates that babel.cfg names, as a template catalogue."""
    with config.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog(project="Klynge", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        template.add(
            message,
            locations=[(filename, lineno)],
            auto_comments=comments,
            context=context,
            flags=("python-format",) if PLACEHOLDER.search(_text(message)) else (),
        )
    for message, source in label_messages():
        template.add(message, locations=[(source, 0)])
    return template


def _text(message: str | tuple[str, ...] | list[str]) -> str:
    return message if isinstance(message, str) else message[0]


def forms(text: str | tuple[str, ...] | list[str] | None) -> list[str]:
    """A message's text as a list: one item, or one per plural form."""
    if text is None:
        return []
    return [text] if isinstance(text, str) else list(text)


def translated(message: Message | None) -> bool:
    """Has every form of the message a non-empty translation?"""
    if message is None:
        return False
    texts = forms(message.string)
    return bool(texts) and all(t.strip() for t in texts)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def load(language: str) -> Catalog:
    path = po_path(language)
    if not path.is_file():
        return Catalog(locale=language, project="Klynge", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


HEADER = """\
# Klynge: UI messages in {name}.
# Message ids are English. Update with `python -m klynge.i18n.extract`, then translate.
#"""


def save(catalog: Catalog, language: str) -> None:
    from klynge import __version__
    from klynge.i18n import LANGUAGES as NAMES

    catalog.project, catalog.version = "Klynge", __version__
    catalog.header_comment = HEADER.format(name=NAMES.get(language, language))
    catalog.last_translator = catalog.language_team = "Klynge"
    catalog.msgid_bugs_address = ""
    catalog.fuzzy = False
    catalog.revision_date = dt.datetime.now(dt.UTC).replace(microsecond=0)
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, ignore_obsolete=True, include_lineno=False)


def update() -> dict[str, list[str]]:
    """Merge the extracted messages into every catalogue; return the untranslated msgids."""
    template = extract()
    missing: dict[str, list[str]] = {}
    for language in LANGUAGES:
        catalog = load(language)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        save(catalog, language)
        missing[language] = [_text(m.id) for m in catalog if m.id and not translated(m)]
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report, change nothing")
    args = parser.parse_args(argv)
    if args.check:
        template = extract()
        missing = {
            language: [
                _text(m.id)
                for m in template
                if m.id and not _text(getattr(load(language).get(m.id), "string", "") or "").strip()
            ]
            for language in REQUIRED
        }
    else:
        missing = update()
    status = 0
    for language in REQUIRED:
        for msgid in missing.get(language, []):
            print(f"{language}: not translated: {msgid!r}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
