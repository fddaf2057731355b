"""The search box's query language: the user's text as terms (words, `word*` prefixes, quoted
phrases, `OR` between two terms), rendered as FTS5 MATCH text or a bound tsquery expression.
Pure module: the text is never SQL and never raw FTS syntax."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import msgspec

MAX_TERMS = 32
MAX_QUERY_CHARS = 1000

_WORD = re.compile(r"[^\W_]+")  # Unicode letters and digits (æøå, é, CJK runs)
_CHUNK = re.compile(r'"([^"]*)"|([^\s"]+)')


class Term(msgspec.Struct, frozen=True):
    words: tuple[str, ...]  # one word, or a phrase
    prefix: bool = False  # the (single) word is a prefix: `child*`


def parse_query(text: str) -> list[list[Term]]:
    """The user's text as an AND of OR-groups of terms. Never raises; may be empty."""
    text = unicodedata.normalize("NFC", text or "")[:MAX_QUERY_CHARS]
    if text.count('"') % 2:  # an unbalanced quote is just a separator
        cut = text.rfind('"')
        text = text[:cut] + " " + text[cut + 1 :]
    groups: list[list[Term]] = []
    pending_or = False
    count = 0
    for match in _CHUNK.finditer(text):
        phrase, chunk = match.group(1), match.group(2)
        if chunk == "OR":
            pending_or = bool(groups)
            continue
        words = tuple(_WORD.findall(phrase if phrase is not None else chunk))
        if not words:
            continue
        prefix = phrase is None and len(words) == 1 and chunk.endswith("*")
        term = Term(words=words, prefix=prefix)
        if pending_or and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
        count += 1
        if count >= MAX_TERMS:
            break
    return groups


def fts5_query(groups: list[list[Term]]) -> str:
    """FTS5 MATCH text: every term a quoted string (no operator can leak through)."""

    def term(t: Term) -> str:
        quoted = '"' + " ".join(t.words).replace('"', '""') + '"'
        return quoted + ("*" if t.prefix else "")

    parts = []
    for group in groups:
        rendered = [term(t) for t in group]
        parts.append(rendered[0] if len(rendered) == 1 else "(" + " OR ".join(rendered) + ")")
    return " AND ".join(parts)


def tsquery_sql(groups: list[list[Term]], args: list[Any], phrases: bool = True) -> str:
    """A tsquery expression: the whole query under English OR-ed with it under Norwegian
    (each configuration drops its own stop words). Terms are bound parameters. Without
    `phrases` a phrase is just its words (in any order): what a GIN index answers without
    reading each row's positions, a superset of the phrase's matches."""

    def under(config: str) -> str:
        ands = []
        for group in groups:
            ors = []
            for t in group:
                if t.prefix:
                    args.append(t.words[0] + ":*")  # letters/digits only: no tsquery syntax
                    ors.append(f"to_tsquery('{config}', {{}})")
                elif len(t.words) > 1 and phrases:
                    args.append(" ".join(t.words))
                    ors.append(f"phraseto_tsquery('{config}', {{}})")
                else:  # a word, or a phrase's words: every one of them, anywhere
                    args.append(" ".join(t.words))
                    ors.append(f"plainto_tsquery('{config}', {{}})")
            ands.append("(" + " || ".join(ors) + ")")
        return "(" + " && ".join(ands) + ")"

    return under("klynge_english") + " || " + under("klynge_norwegian")
