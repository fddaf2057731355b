"""Reference files out: RIS, BibTeX, CSL-JSON and Excel (.xlsx), the inverse of `formats`.

Pure code: no database, no network. Every exporter takes normalised `Record`s and returns the
file as bytes. Importing an export with the matching parser in `literature.formats` gives back
records equal to the originals in every normalised field (`raw` aside), with these limits of
the formats themselves:

* Publication types. RIS keeps them all (TY plus one M3 line each) and so does .xlsx; an empty
  list comes back from RIS as the type its TY code names ("Journal Article", "Generic").
  CSL-JSON and BibTeX carry one type from a fixed vocabulary: the first type that maps to a
  CSL type (`csl_type`), and BibTeX only those with an entry type of their own
  (`BIBTEX_ENTRY_TYPES`; the rest become @misc, which comes back without a type).
* BibTeX language goes through pandoc's `langid`, which lower-cases codes ("en-US" becomes
  "en-us") and turns babel names into codes ("english" becomes "en-US"). Family names with an
  apostrophe particle come back spaced ("d'Alembert" as "d' Alembert"), and a comma inside a
  given name is read as a name suffix and lost.
* Author names in RIS and .xlsx are "Family, Given": a comma inside a family name (or, in
  .xlsx, a ";" anywhere in a name) splits it differently on the way back.
* A keyword containing ";" is split in RIS, BibTeX and .xlsx (CSL-JSON then writes a list).
* URLs and DOIs containing "{" or "}" have those percent-encoded in BibTeX.
* Pages with an en dash come back with a hyphen from CSL-JSON and BibTeX (csljson.py's rule).
* Records without a title are written but skipped on import (every parser requires a title);
  authors with neither family nor given name are left out.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import openpyxl
from openpyxl.styles import Font

from literature.formats.record import Author, Record

__all__ = [
    "BIBTEX_ENTRY_TYPES",
    "EXPORTERS",
    "XLSX_COLUMNS",
    "csl_type",
    "to_bibtex",
    "to_csljson",
    "to_ris",
    "to_xlsx",
]

# --- Shared helpers --------------------------------------------------------------------------

# Control characters (other than whitespace) and lone surrogates make a file unreadable
# (`decode` rejects them, openpyxl refuses them, UTF-8 cannot encode surrogates).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _clean(value: object) -> str:
    """Value as NFC text on one line, as the parsers normalise it."""
    if value is None:
        return ""
    text = _UNWRITABLE.sub("", unicodedata.normalize("NFC", str(value)))
    return " ".join(text.split())


def _authors(record: Record) -> list[Author]:
    authors = []
    for author in record.authors:
        family, given = _clean(author.family), _clean(author.given)
        if family or given:
            authors.append(Author(family=family, given=given))
    return authors


def _family_given(author: Author) -> str:
    """ "Family, Given"; "Family," for organisations so "World Health Organization" stays whole."""
    return f"{author.family}, {author.given}" if author.given else f"{author.family},"


def _fold_type(value: str) -> str:
    return "".join(ch for ch in value.casefold() if ch.isalnum())


_CSL_TYPES = (
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
)

# Readable publication types (RIS, PubMed, Zotero, Scopus/WoS), folded, to CSL types.
_TO_CSL = {
    **{_fold_type(name): name for name in _CSL_TYPES},
    **{
        _fold_type(name): csl
        for csl, names in {
            "article-journal": (
                "Journal Article",
                "Article",
                "Review",
                "Systematic Review",
                "Meta-Analysis",
                "Randomized Controlled Trial",
                "Clinical Trial",
                "JOUR",
                "JFULL",
            ),
            "article-magazine": ("Magazine Article", "MGZN"),
            "article-newspaper": ("Newspaper Article", "NEWS"),
            "book": ("Book", "EBOOK", "Edited Book", "EDBOOK"),
            "chapter": ("Book Section", "Book Chapter", "CHAP", "ECHAP"),
            "paper-conference": (
                "Conference Paper",
                "Conference Proceedings",
                "Proceedings Paper",
                "CPAPER",
                "CONF",
            ),
            "report": ("Report", "Government Document", "Technical Report", "RPRT", "GOVDOC"),
            "thesis": ("Thesis", "Dissertation", "THES"),
            "webpage": ("Web Page", "ELEC", "WEB"),
            "dataset": ("Dataset", "Data", "DATA"),
            "document": ("Generic", "GEN"),
        }.items()
        for name in names
    },
}

# RIS TY codes for CSL types; the readable names come back from ris.py's own table.
_CSL_TO_RIS = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "paper-conference": "CPAPER",
    "report": "RPRT",
    "thesis": "THES",
    "webpage": "ELEC",
    "dataset": "DATA",
}

# BibTeX entry types pandoc reads back as exactly this CSL type; others are written as @misc.
BIBTEX_ENTRY_TYPES = {
    "article-journal": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "report": "report",
    "thesis": "thesis",
    "webpage": "online",
    "dataset": "dataset",
    "manuscript": "unpublished",
}


def csl_type(record: Record) -> str:
    """The CSL type for a record: the first publication type that maps to one, else a journal
    article when there is a container, else "document"."""
    for value in record.publication_types:
        found = _TO_CSL.get(_fold_type(value))
        if found:
            return found
    return "article-journal" if _clean(record.container) else "document"


# --- RIS -------------------------------------------------------------------------------------

_RIS_NAMED = {
    "journalarticle": "JOUR",
    "magazinearticle": "MGZN",
    "newspaperarticle": "NEWS",
    "book": "BOOK",
    "booksection": "CHAP",
    "conferenceproceedings": "CONF",
    "conferencepaper": "CPAPER",
    "report": "RPRT",
    "governmentdocument": "GOVDOC",
    "thesis": "THES",
    "webpage": "ELEC",
    "dataset": "DATA",
    "generic": "GEN",
}
_PAGE_RANGE = re.compile(r"([^\s-]+)-([^\s-]+)")


def _ris_type(record: Record) -> str:
    for value in record.publication_types:
        code = _RIS_NAMED.get(_fold_type(value))
        if code:
            return code
    return _CSL_TO_RIS.get(csl_type(record), "GEN")


def _ris_record(record: Record) -> list[str]:
    lines: list[tuple[str, str]] = [("TY", _ris_type(record)), ("TI", record.title)]
    lines += [("AU", _family_given(author)) for author in _authors(record)]
    if record.year is not None:
        lines.append(("PY", str(record.year)))
    lines += [("T2", record.container), ("VL", record.volume), ("IS", record.issue)]
    pages = _clean(record.pages)
    split = _PAGE_RANGE.fullmatch(pages)
    if split and split.group(1) != split.group(2):
        lines += [("SP", split.group(1)), ("EP", split.group(2))]
    else:
        lines.append(("SP", pages))  # ris.py reads a lone SP as the whole page field
    lines += [("DO", record.doi), ("AN", record.pmid)]
    lines += [("M3", value) for value in record.publication_types]
    lines += [("KW", value) for value in record.keywords]
    lines += [("LA", record.language), ("UR", record.url), ("AB", record.abstract)]
    out = []
    for tag, value in lines:
        text = _clean(value)
        if text or tag == "TY":
            out.append(f"{tag}  - {text}")
    out.append("ER  - ")
    return out


def to_ris(records: Sequence[Record]) -> bytes:
    """RIS as written by EndNote and Zotero: UTF-8, CRLF, a blank line between records."""
    blocks = ["\r\n".join(_ris_record(record)) for record in records]
    return ("\r\n\r\n".join(blocks) + "\r\n").encode("utf-8") if blocks else b""


# --- CSL-JSON --------------------------------------------------------------------------------


def _keyword_text(keywords: Sequence[str]) -> str:
    """Keywords joined by "; ", which every parser here splits on before trying ","."""
    text = "; ".join(keywords)
    if len(keywords) == 1 and "," in text:
        text += ";"  # one keyword with a comma ("Child, Preschool") would be split on ","
    return text


def _csl_item(record: Record, key: str) -> dict[str, Any]:
    item: dict[str, Any] = {"id": key, "type": csl_type(record), "title": _clean(record.title)}
    people = []
    for author in _authors(record):
        if author.given:
            people.append({"family": author.family, "given": author.given})
        else:
            people.append({"literal": author.family})  # organisations
    if people:
        item["author"] = people
    if record.year is not None:
        item["issued"] = {"date-parts": [[record.year]]}
    for name, value in (
        ("container-title", record.container),
        ("volume", record.volume),
        ("issue", record.issue),
        ("page", record.pages),
        ("DOI", record.doi),
        ("PMID", record.pmid),
        ("language", record.language),
        ("URL", record.url),
        ("abstract", record.abstract),
    ):
        text = _clean(value)
        if text:
            item[name] = text
    keywords = [text for text in (_clean(value) for value in record.keywords) if text]
    if keywords:
        # CSL's keyword is a string; a list only when a keyword itself holds a ";".
        item["keyword"] = (
            keywords if any(";" in value for value in keywords) else _keyword_text(keywords)
        )
    return item


def to_csljson(records: Sequence[Record]) -> bytes:
    """A CSL-JSON array (Zotero, pandoc, citeproc), UTF-8 with non-ASCII kept readable."""
    keys = bibtex_keys(records)
    items = [_csl_item(record, key) for record, key in zip(records, keys, strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2).encode("utf-8")


# --- BibTeX ----------------------------------------------------------------------------------

_KEY_FOLDS = str.maketrans(
    {"æ": "ae", "ø": "o", "å": "a", "œ": "oe", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ß": "ss"}
)
_KEY_FOLDS_UPPER = str.maketrans(
    {"Æ": "Ae", "Ø": "O", "Å": "A", "Œ": "Oe", "Đ": "D", "Ð": "D", "Ł": "L", "Þ": "Th"}
)


def _ascii(text: str) -> str:
    text = text.translate(_KEY_FOLDS).translate(_KEY_FOLDS_UPPER)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


def bibtex_keys(records: Sequence[Record]) -> list[str]:
    """Unique ASCII keys: family name of the first author, year, first title word
    ("Saether2021Tidlig"); "ref" when nothing is ASCII; "a", "b", ... for repeats."""
    keys: list[str] = []
    used: set[str] = set()
    for record in records:
        authors = _authors(record)
        family = _ascii(authors[0].family or authors[0].given)[:20] if authors else ""
        word = next(
            (_ascii(part)[:15] for part in _clean(record.title).split() if _ascii(part)), ""
        )
        base = f"{family}{record.year or ''}{word.capitalize()}" or "ref"
        if not base[0].isalpha():
            base = f"ref{base}"
        key, suffix = base, 0
        while key.casefold() in used:  # BibTeX keys compare case-insensitively in practice
            suffix += 1
            key = f"{base}{_suffix(suffix)}"
        used.add(key.casefold())
        keys.append(key)
    return keys


def _suffix(number: int) -> str:
    """1 -> "a", 26 -> "z", 27 -> "aa"."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "'": r"\textquotesingle{}",  # pandoc would make quotes typographic
    "`": r"\`{}",
    '"': r"\textquotedbl{}",  # a raw quote could also end a quoted field in bibtex.py's scan
}
_LATEX_SPECIAL = re.compile(r"[\\{}%&$#_~^'`\"]|-(?=-)")


def _latex(value: object) -> str:
    """Text as LaTeX that pandoc reads back unchanged (no ligatures, quotes or math)."""
    return _LATEX_SPECIAL.sub(
        lambda match: "-{}" if match.group(0) == "-" else _LATEX_ESCAPES[match.group(0)],
        _clean(value),
    )


def _verbatim(value: object) -> str:
    """DOI and URL fields are read verbatim; only unbalanced braces could break the entry."""
    return _clean(value).replace("{", "%7B").replace("}", "%7D")


def _bibtex_name(author: Author) -> str:
    family = "{" + _latex(author.family) + "}"
    if not author.given:
        return family  # a braced single name is an organisation (CSL "literal")
    return f"{family}, {{{_latex(author.given)}}}"


def _bibtex_entry(record: Record, key: str) -> str:
    entry_type = BIBTEX_ENTRY_TYPES.get(csl_type(record), "misc")
    container = "booktitle" if entry_type in {"incollection", "inproceedings"} else "journal"
    fields: list[tuple[str, str]] = [("title", "{" + _latex(record.title) + "}")]
    authors = _authors(record)
    if authors:
        fields.append(("author", " and ".join(_bibtex_name(author) for author in authors)))
    if record.year is not None:
        fields.append(("year", str(record.year)))
    for name, value in (
        (container, record.container),
        ("volume", record.volume),
        ("number", record.issue),
        ("pages", record.pages),
    ):
        if _clean(value):
            fields.append((name, "{" + _latex(value) + "}"))
    for name, value in (("doi", record.doi), ("pmid", record.pmid), ("url", record.url)):
        if _clean(value):
            fields.append((name, _verbatim(value)))
    keywords = [text for text in (_clean(value) for value in record.keywords) if text]
    if keywords:
        fields.append(("keywords", "{" + _latex(_keyword_text(keywords)) + "}"))
    if _clean(record.language):
        fields.append(("langid", _latex(record.language)))
    if _clean(record.abstract):
        fields.append(("abstract", "{" + _latex(record.abstract) + "}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def to_bibtex(records: Sequence[Record]) -> bytes:
    """BibTeX (UTF-8, biblatex field names pandoc and Zotero read: langid, pmid, doi, url)."""
    keys = bibtex_keys(records)
    entries = [_bibtex_entry(record, key) for record, key in zip(records, keys, strict=True)]
    return "\n".join(entries).encode("utf-8")


# --- Excel -----------------------------------------------------------------------------------

# (header, width): headers are names literature/formats/table.py recognises.
XLSX_COLUMNS = (
    ("Title", 60),
    ("Authors", 40),
    ("Year", 8),
    ("Journal", 35),
    ("Volume", 9),
    ("Issue", 9),
    ("Pages", 12),
    ("DOI", 30),
    ("PMID", 12),
    ("Publication Types", 25),
    ("Keywords", 35),
    ("Language", 10),
    ("URL", 40),
    ("Abstract", 80),
)


def _xlsx_row(record: Record) -> list[object]:
    keywords = [text for text in (_clean(value) for value in record.keywords) if text]
    return [
        _clean(record.title),
        "; ".join(_family_given(author) for author in _authors(record)),
        record.year,
        _clean(record.container),
        _clean(record.volume),
        _clean(record.issue),
        _clean(record.pages),
        _clean(record.doi),
        _clean(record.pmid),
        "; ".join(_clean(value) for value in record.publication_types if _clean(value)),
        _keyword_text(keywords),
        _clean(record.language),
        _clean(record.url),
        _clean(record.abstract),
    ]


def to_xlsx(records: Sequence[Record]) -> bytes:
    """One sheet "Referanser": bold, frozen header row, one reference per row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Referanser"
    sheet.append([header for header, _width in XLSX_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, (_header, width) in enumerate(XLSX_COLUMNS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = width
    for record in records:
        sheet.append(_xlsx_row(record))
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # a title like "=x" is text, never a formula
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


Exporter = Callable[[Sequence[Record]], bytes]

EXPORTERS: dict[str, tuple[Exporter, str, str]] = {
    "ris": (to_ris, "application/x-research-info-systems", "ris"),
    "bibtex": (to_bibtex, "application/x-bibtex", "bib"),
    "csljson": (to_csljson, "application/vnd.citationstyles.csl+json", "json"),
    "xlsx": (
        to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}
