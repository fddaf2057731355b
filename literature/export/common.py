"""What the exporters share: text cleaning, author lists, and the publication-type maps
(CSL, RIS, BibTeX). Pure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from literature.formats.record import Author, Record

# Control characters (other than whitespace) and lone surrogates make a file unreadable
# (`decode` rejects them, openpyxl refuses them, UTF-8 cannot encode surrogates).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean(value: object) -> str:
    """Value as NFC text on one line, as the parsers normalise it."""
    if value is None:
        return ""
    text = _UNWRITABLE.sub("", unicodedata.normalize("NFC", str(value)))
    return " ".join(text.split())


def record_authors(record: Record) -> list[Author]:
    authors = []
    for author in record.authors:
        family, given = clean(author.family), clean(author.given)
        if family or given:
            authors.append(Author(family=family, given=given))
    return authors


def family_given(author: Author) -> str:
    """ "Family, Given"; "Family," for organisations so "World Health Organization" stays whole."""
    return f"{author.family}, {author.given}" if author.given else f"{author.family},"


def fold_type(value: str) -> str:
    return "".join(ch for ch in value.casefold() if ch.isalnum())


CSL_TYPES = (
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
TO_CSL = {
    **{fold_type(name): name for name in CSL_TYPES},
    **{
        fold_type(name): csl
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
CSL_TO_RIS = {
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
        found = TO_CSL.get(fold_type(value))
        if found:
            return found
    return "article-journal" if clean(record.container) else "document"


def keyword_text(keywords: Sequence[str]) -> str:
    """Keywords joined by "; ", which every parser here splits on before trying ","."""
    text = "; ".join(keywords)
    if len(keywords) == 1 and "," in text:
        text += ";"  # one keyword with a comma ("Child, Preschool") would be split on ","
    return text
