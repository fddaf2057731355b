"""Text as the guard reads it: NFKC, format characters (zero-width space, soft hyphen, bidi marks)
removed, every dash and minus a "-", every run of white space one " ". Findings point back into
the original text through a list of marks (where each piece of the result came from)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

# Dashes that are not in Unicode's dash category (Pd) but are typed as one.
_MINUS_LIKE = frozenset("\u2212\u2043\u02d7\ufe63\uff0d\u2796")
# Printable ASCII words with single spaces between them are already normal: one piece each.
_PIECE = re.compile(r"[\x21-\x7e]+(?: [\x21-\x7e]+)*|\s+|.", re.DOTALL)
_ALREADY_NORMAL = re.compile(r"[\x21-\x7e]+(?: [\x21-\x7e]+)* ?")


@dataclass(frozen=True, slots=True)
class Normalised:
    text: str
    starts: tuple[int, ...]  # where each piece starts in `text` (ascending)
    origins: tuple[int, ...]  # where that piece starts in the original
    whole: tuple[bool, ...]  # a piece copied as it was (positions map one to one)
    length: int  # of the original text

    def position(self, index: int) -> int:
        """The original position of text[index]."""
        k = bisect_right(self.starts, index) - 1
        if k < 0:
            return 0
        return self.origins[k] + (index - self.starts[k] if self.whole[k] else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the normalised text as a span of the original text."""
        if start >= end:
            return (self.position(start),) * 2 if start < len(self.text) else (self.length,) * 2
        return self.position(start), self.position(end - 1) + 1


def _one(ch: str) -> str:
    """One character that is not printable ASCII, normalised ("" when it disappears)."""
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        category = unicodedata.category(c)
        if category == "Cf":
            continue
        if c.isspace() or category == "Zs":
            out.append(" ")
        elif c in _MINUS_LIKE or category == "Pd":
            out.append("-")
        else:
            out.append(c)
    return "".join(out)


def normalise(text: str) -> Normalised:
    if _ALREADY_NORMAL.fullmatch(text) or not text:
        return Normalised(text, (0,), (0,), (True,), len(text))
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    whole: list[bool] = []
    size = 0
    last = ""
    for match in _PIECE.finditer(text):
        raw = match.group()
        is_whole = raw[0] > " " and raw[0] <= "~"
        piece = raw if is_whole else (" " if raw.isspace() else _one(raw))
        if piece.startswith(" ") and last == " ":
            piece = piece[1:]
        if piece.endswith("  "):
            piece = piece.rstrip(" ") + " "
        if not piece:
            continue
        pieces.append(piece)
        starts.append(size)
        origins.append(match.start())
        whole.append(is_whole)
        size += len(piece)
        last = piece[-1]
    return Normalised("".join(pieces), tuple(starts), tuple(origins), tuple(whole), len(text))
