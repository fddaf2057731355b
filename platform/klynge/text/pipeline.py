"""The one text pipeline for bokmål, nynorsk and English: normalise, tokenise, guess the
language, drop stop words, stem (Snowball; nynorsk stems mapped to bokmål ones)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import Stemmer

__all__ = [
    "NYNORSK_STEMS",
    "STOP_WORDS",
    "detect_language",
    "fold_diacritics",
    "normalise",
    "stem",
    "stop_words",
    "words",
]

_DATA = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[str]:
    text = (_DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@functools.cache
def stop_words(lang: str) -> frozenset[str]:
    """The stop words of one language: 'nb', 'nn' or 'en'."""
    return frozenset(word.strip() for word in _lines(f"stop_{lang}.txt"))


# Mixed-language texts are common (an English abstract under a Norwegian title), so the words
# of all three languages are dropped whatever the text's language.
STOP_WORDS = stop_words("nb") | stop_words("nn") | stop_words("en")

NYNORSK_STEMS: dict[str, str] = {
    nynorsk: bokmal
    for nynorsk, bokmal in (line.split("\t", 1) for line in _lines("nynorsk_stems.tsv"))
}

# Language cues: stop words that only one of the languages uses (cheap and good enough for a
# title + abstract; a short text without cues falls back to the letters æøå, then to nb).
_CUE_NB = frozenset(
    str.split(
        "ikke jeg hva hvem hvordan hvor hvilke hvilken noen mye fra være også hun bare hvorfor "
        "ble blir en et hjem mellom etter"
    )
)
_CUE_NN = frozenset(
    str.split(
        "ikkje eg kva kven korleis kor kvifor nokon noko nokre mykje frå vere òg ho berre dei "
        "eit ein vart blei deira sjølv"
    )
)
_CUE_EN = frozenset(
    str.split(
        "the and of to in is are for with on that this we was were among from by an be as or "
        "these which their"
    )
)
# Norwegian in both written standards: says "Norwegian", not which one.
_CUE_NO = frozenset(str.split("på som er det til og med i av eller har at skal kan ved"))
_CUES = _CUE_NB | _CUE_NN | _CUE_EN | _CUE_NO
_NORWEGIAN_LETTERS = re.compile("[æøå]")

_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_WORD_OR_NUMBER_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+")


def normalise(text: str) -> str:
    """NFKC, format characters removed (soft hyphens, zero-width spaces), case-folded."""
    text = unicodedata.normalize("NFKC", text or "")
    if not text.isascii():  # ASCII has no format characters: skip the per-character test
        text = "".join(ch for ch in text if ch.isascii() or unicodedata.category(ch) != "Cf")
    return text.casefold()


def fold_diacritics(word: str) -> str:
    """Fold diacritics other than æ, ø, å (é → e, ü → u)."""
    if word.isascii():
        return word
    out = []
    for ch in word:
        if ch in "æøå":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def words(text: str, *, numbers: bool = False) -> list[str]:
    """Normalised words (hyphenated words split), stop words kept; digit runs too if asked."""
    pattern = _WORD_OR_NUMBER_RE if numbers else _WORD_RE
    out: list[str] = []
    for token in pattern.findall(normalise(text)):
        out.extend(part for part in token.split("-") if part)
    return out


def detect_language(
    text_or_words: str | Sequence[str],
    *,
    english_words: frozenset[str] | set[str] = frozenset(),
    norwegian_words: frozenset[str] | set[str] = frozenset(),
) -> str:
    """'nb', 'nn' or 'en' from stop-word cues.

    A text without cues (a short title) is voted on by known words (e.g. a glossary's English
    and Norwegian words, when given), then by the letters æøå; bokmål is the last fallback.
    """
    tokens = words(text_or_words) if isinstance(text_or_words, str) else text_or_words
    en = nb = nn = no = 0
    for token in tokens:
        if token in _CUES:
            en += token in _CUE_EN
            nb += token in _CUE_NB
            nn += token in _CUE_NN
            no += token in _CUE_NO
    if en > nb + nn + no:
        return "en"
    if nb or nn or no:
        return "nn" if nn > nb else "nb"
    if any(_NORWEGIAN_LETTERS.search(t) for t in tokens):
        return "nb"
    english = sum(t in english_words for t in tokens)
    norwegian = sum(t in norwegian_words for t in tokens)
    return "en" if english > norwegian else "nb"


_STEMMERS = {"no": Stemmer.Stemmer("norwegian"), "en": Stemmer.Stemmer("english")}


@functools.lru_cache(maxsize=262_144)
def stem(word: str, lang: str) -> str:
    """The stem of one normalised word: Snowball ('en', else Norwegian), nynorsk stems mapped
    to bokmål ones, diacritics other than æøå folded."""
    if lang == "en":
        return fold_diacritics(_STEMMERS["en"].stemWord(word))
    base = _STEMMERS["no"].stemWord(word)
    base = NYNORSK_STEMS.get(base, NYNORSK_STEMS.get(word, base))
    return fold_diacritics(base)
