"""Extract the UI's messages and bring the catalogues (nb, nn, en) up to date: the core's
(platform/klynge/i18n/locale) and each installed app's (<app>/locale), each from its own code.

    .venv/bin/python -m klynge.i18n.extract           # update every catalogue
    .venv/bin/python -m klynge.i18n.extract --check   # list msgids without nb/nn text; exit 1

Labels kept in Python dictionaries and translated where they are shown (roles, service types,
sectors) cannot be found by an extractor; the core's and the apps' (App.labels) are added here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from klynge.i18n import LOCALE_DIR

LANGUAGES = ("nb", "nn", "en")
REQUIRED = ("nb", "nn")  # English falls back to the msgid
# Placeholders the newstyle gettext of Jinja and our `_(...) % {...}` understand.
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
JINJA_OPTIONS = {
    "silent": "false",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
    "newstyle_gettext": "true",
}
CORE_LABELS = (
    "klynge.auth.roles:ROLE_LABELS",
    "klynge.orgs.schemas:SERVICE_TYPE_LABELS",
    "klynge.orgs.schemas:SECTOR_LABELS",
)


@dataclass(frozen=True)
class Domain:
    """One catalogue: the code it is extracted from and the folder it is kept in."""

    name: str
    root: Path
    locale_dir: Path
    labels: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()  # sub-folders of root that belong to other domains


def domains() -> list[Domain]:
    from klynge.apps import installed

    core = Domain("core", LOCALE_DIR.parents[1], LOCALE_DIR, CORE_LABELS)
    return [
        core,
        *(Domain(a.name, a.folder, a.locale_dir, tuple(a.labels)) for a in installed()),
    ]


def label_messages(domain: Domain) -> Iterator[tuple[str, str]]:
    """(msgid, where) for labels translated at run time from dictionaries."""
    from klynge.apps import resolve

    for reference in domain.labels:
        labels: Mapping[object, str] = resolve(reference)
        for label in labels.values():
            yield label, reference


def extract(domain: Domain) -> Catalog:
    """Every message in the domain's code and templates, as a template catalogue."""
    template = Catalog(project="Klynge", charset="utf-8")
    options = {"**/templates/**.html": JINJA_OPTIONS}
    found = extract_from_dir(
        str(domain.root), METHOD_MAP, options, keywords=KEYWORDS, strip_comment_tags=True
    )
    for filename, lineno, message, comments, context in found:
        template.add(
            message,
            locations=[(f"{domain.root.name}/{filename}", lineno)],
            auto_comments=comments,
            context=context,
            flags=("python-format",) if PLACEHOLDER.search(_text(message)) else (),
        )
    for message, source in label_messages(domain):
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


def po_path(domain: Domain, language: str) -> Path:
    return domain.locale_dir / language / "LC_MESSAGES" / "messages.po"


def load(domain: Domain, language: str) -> Catalog:
    path = po_path(domain, language)
    if not path.is_file():
        return Catalog(locale=language, project="Klynge", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


HEADER = """\
# Klynge: UI messages in {name}.
# Message ids are English. Update with `python -m klynge.i18n.extract`, then translate.
#"""


def save(domain: Domain, catalog: Catalog, language: str) -> None:
    from klynge import __version__
    from klynge.i18n import LANGUAGES as NAMES

    catalog.project, catalog.version = "Klynge", __version__
    catalog.header_comment = HEADER.format(name=NAMES.get(language, language))
    catalog.last_translator = catalog.language_team = "Klynge"
    catalog.msgid_bugs_address = ""
    catalog.fuzzy = False
    catalog.revision_date = dt.datetime.now(dt.UTC).replace(microsecond=0)
    path = po_path(domain, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, ignore_obsolete=True, include_lineno=False)
    # Rewrite only when a message changed: a new date alone would make every branch conflict.
    if path.is_file() and _undated(path.read_bytes()) == _undated(buffer.getvalue()):
        return
    path.write_bytes(buffer.getvalue())


def _undated(po: bytes) -> bytes:
    return re.sub(rb'"(PO-Revision-Date|POT-Creation-Date): [^"]*"', b"", po)


def update(domain: Domain) -> dict[str, list[str]]:
    """Merge the extracted messages into the domain's catalogues; return the untranslated."""
    template = extract(domain)
    missing: dict[str, list[str]] = {}
    for language in LANGUAGES:
        catalog = load(domain, language)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        save(domain, catalog, language)
        missing[language] = [_text(m.id) for m in catalog if m.id and not translated(m)]
    return missing


def untranslated(domain: Domain, language: str) -> list[str]:
    catalog = load(domain, language)
    return [_text(m.id) for m in extract(domain) if m.id and not translated(catalog.get(m.id))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report, change nothing")
    args = parser.parse_args(argv)
    status = 0
    for domain in domains():
        if args.check:
            missing = {language: untranslated(domain, language) for language in REQUIRED}
        else:
            missing = update(domain)
        for language in REQUIRED:
            for msgid in missing.get(language, []):
                print(f"{domain.name} {language}: not translated: {msgid!r}")
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
