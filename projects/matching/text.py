"""Text pipeline for matching: tokens, language, stop words, stems, compounds and concepts.

A text becomes a bag of *keys*: ``w:<stem>`` for word stems and ``c:<concept>`` for concepts of
the bilingual glossary (`projects/data/glossary.tsv`). Bokmål, nynorsk and English texts meet on
concepts (skolefravær, skulefråvær and "school absenteeism" all give ``c:school_absence``), and
bokmål and nynorsk also meet on word stems (nynorsk stems are mapped to bokmål ones).

Steps (the generic ones are the core's text pipeline, `klynge.text.pipeline`): normalise; words
are runs of letters (æøå kept); the language of the whole text is guessed from stop-word counts
(or given); stop words of nb, nn and en are dropped; words are stemmed with Snowball (norwegian
or english) and nynorsk stems mapped to bokmål. Here, for matching: Norwegian compounds are
split by a dictionary of known stems (skolefravær → skole + fravær, barnevernstjenesten →
barnevern + s + tjeneste); glossary phrases are found on the stem stream.
An empty key is never produced, so an empty text matches nothing.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from klynge.text.pipeline import STOP_WORDS, detect_language, normalise, stem, words

__all__ = [
    "STOP_WORDS",
    "Analyzer",
    "Bag",
    "Glossary",
    "TextOptions",
    "detect_language",
    "load_glossary",
    "normalise",
    "words",
]

_LINKS = ("", "s", "e")
_MIN_PART = 3
_MIN_COMPOUND = 6
_MAX_PHRASE = 4


# --- the bilingual glossary --------------------------------------------------------------------


@dataclass
class Glossary:
    """Concept id → surface terms per language, and the stemmed phrases that find them."""

    terms: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    known_no: set[str] = field(default_factory=set)  # Norwegian stems (compound parts)
    known_no_words: set[str] = field(default_factory=set)
    english_words: set[str] = field(default_factory=set)
    heads: dict[str, int] = field(default_factory=dict)  # first stem → longest phrase length

    def label(self, concept: str) -> str:
        """'skolefravær / skulefråvær ↔ school absence' for an explanation."""
        entry = self.terms.get(concept, {})
        no = [*entry.get("nb", [])[:1], *entry.get("nn", [])[:1]]
        en = entry.get("en", [])[:1]
        left = " / ".join(dict.fromkeys(no)) or concept
        return f"{left} ↔ {en[0]}" if en else left

    def __len__(self) -> int:
        return len(self.terms)


GLOSSARY_PATH = Path(__file__).resolve().parent.parent / "data" / "glossary.tsv"

# Compound parts that are not glossary terms themselves but build many compounds.
_EXTRA_PARTS = """
tjeneste teneste tjenester senter arbeid arbeids plan tilbud tilbod tiltak team leder leiar
ansatt tilsett kontor opplæring opplæring time timar timer hjem heim gruppe grupper program
miljø system modell sak saker kartlegging utredning utgreiing metode samarbeid oppfølging
oppfølgjing praksis kompetanse rutine rutinar rutiner overgang overgangar overganger trinn
klasse klasser rom familie familiar familier foreldre barn born ungdom ungdoms elev elevar
elever lærer lærar skole skule barnehage helse vern vold vald rus psykisk sosial sosiale
fravær fråvær frafall fråfall ansvar bruk brukar bruker verktøy veileder rettleiar
steg trinn vansker vanskar
"""


def _analyse_term(term: str, lang: str) -> tuple[str, ...]:
    tokens = [t for t in words(term) if t not in STOP_WORDS or len(words(term)) == 1]
    stem_lang = "en" if lang == "en" else "no"
    return tuple(s for s in (stem(t, stem_lang) for t in tokens) if s)


def parse_glossary(lines: Iterable[str]) -> Glossary:
    """Lines `concept<TAB>nb terms<TAB>nn terms<TAB>en terms`, terms separated by ';'.

    Blank lines and lines starting with '#' are skipped; the nn column lists only spellings that
    differ from bokmål (it may be empty).
    """
    glossary = Glossary()
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [*line.split("\t"), "", "", ""][:4]
        concept = cells[0].strip()
        if not concept:
            continue
        entry = glossary.terms.setdefault(concept, {"nb": [], "nn": [], "en": []})
        for lang, cell in zip(("nb", "nn", "en"), cells[1:], strict=True):
            for term in cell.split(";"):
                term = normalise(term).strip()
                if not term:
                    continue
                entry[lang].append(term)
                if lang == "en":
                    glossary.english_words.update(words(term))
                key = _analyse_term(term, lang)
                if not key:
                    continue
                glossary.phrases.setdefault(key, concept)
                glossary.heads[key[0]] = max(glossary.heads.get(key[0], 0), len(key))
                if lang != "en":
                    for token in words(term):
                        if len(token) >= _MIN_PART:
                            glossary.known_no_words.add(token)
                            glossary.known_no.add(stem(token, "no"))
    for word in _EXTRA_PARTS.split():
        glossary.known_no_words.add(word)
        glossary.known_no.add(stem(word, "no"))
    return glossary


@functools.lru_cache(maxsize=4)
def load_glossary(path: str | None = None) -> Glossary:
    target = Path(path) if path else GLOSSARY_PATH
    return parse_glossary(target.read_text(encoding="utf-8").splitlines())


# --- analysis ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextOptions:
    """Which steps run (the variants of the evaluation switch them off one by one)."""

    stem: bool = True
    stop_words: bool = True
    bridge: bool = True
    compounds: bool = True
    concept_weight: float = 1.0
    part_weight: float = 0.5  # a compound part counts half a word of its own
    # A word that a concept covers counts this much as a word: the concept speaks for it, so
    # a Norwegian need meets a Norwegian paper almost as it meets an English one.
    covered_word_weight: float = 0.5


@dataclass
class Bag:
    """Key → weight, and (when tracked) key → surface forms seen."""

    weights: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    surfaces: dict[str, set[str]] | None = None
    language: str = "nb"

    def add(self, key: str, weight: float, surface: str | None = None) -> None:
        if not key or key in {"w:", "c:"}:
            return
        self.weights[key] += weight
        if self.surfaces is not None and surface:
            self.surfaces.setdefault(key, set()).add(surface)


class Analyzer:
    """Turns texts into bags of keys, with the same pipeline for needs, groups and glossary."""

    def __init__(self, options: TextOptions | None = None, glossary: Glossary | None = None):
        self.options = options or TextOptions()
        if glossary is None and self.options.bridge:
            glossary = load_glossary()
        self.glossary = glossary or Glossary()
        self._split_cache: dict[str, tuple[str, ...]] = {}

    # compounds -----------------------------------------------------------------------------

    def split_compound(self, word: str) -> tuple[str, ...]:
        """Surface parts of a Norwegian compound, or () when it is not a known compound."""
        cached = self._split_cache.get(word)
        if cached is None:
            cached = self._split(word, 0) if len(word) >= _MIN_COMPOUND else ()
            self._split_cache[word] = cached
        return cached

    def _is_known(self, part: str) -> bool:
        return part in self.glossary.known_no_words or stem(part, "no") in self.glossary.known_no

    def _split(self, word: str, depth: int) -> tuple[str, ...]:
        if depth > 3:
            return ()
        # Longest known head first: barnevern+s+tjenesten before barn+evern...
        for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
            head = word[:cut]
            if head not in self.glossary.known_no_words:
                continue
            for link in _LINKS:
                rest = word[cut:]
                if link and not rest.startswith(link):
                    continue
                tail = rest[len(link) :]
                if len(tail) < _MIN_PART:
                    continue
                if self._is_known(tail):
                    return (head, tail)
                deeper = self._split(tail, depth + 1)
                if deeper:
                    return (head, *deeper)
        return ()

    # texts ---------------------------------------------------------------------------------

    def analyse(
        self,
        fields: Sequence[tuple[str, float]],
        *,
        language: str | None = None,
        track: bool = False,
        bag: Bag | None = None,
    ) -> Bag:
        """One bag for weighted fields (text, weight) of one document, language guessed once."""
        opts = self.options
        field_words = [(words(text), weight) for text, weight in fields if text]
        lang = language or detect_language(
            [w for ws, _ in field_words for w in ws][:400],
            english_words=self.glossary.english_words,
            norwegian_words=self.glossary.known_no_words,
        )
        if bag is None:
            bag = Bag(surfaces={} if track else None, language=lang)
        stem_lang = "en" if lang == "en" else "no"
        phrases = self.glossary.phrases if opts.bridge else {}
        covered_weight = opts.covered_word_weight if phrases else 1.0
        for tokens, weight in field_words:
            stream: list[tuple[str, str]] = []  # (stem, surface)
            splits: list[tuple[tuple[str, str], ...]] = []
            for token in tokens:
                if len(token) < 2 or (opts.stop_words and token in STOP_WORDS):
                    continue
                key = stem(token, stem_lang) if opts.stem else token
                if not key:
                    continue
                stream.append((key, token))
                parts = ()
                if opts.compounds and stem_lang == "no":
                    parts = tuple((stem(p, "no"), p) for p in self.split_compound(token))
                splits.append(parts)
            covered = self._concepts(stream, phrases, bag, weight, None) if phrases else set()
            for i, ((key, token), parts) in enumerate(zip(stream, splits, strict=True)):
                factor = covered_weight if i in covered else 1.0
                bag.add("w:" + key, weight * factor, token)
                if not parts:
                    continue
                part_weight = weight * opts.part_weight
                part_covered = (
                    self._concepts(parts, phrases, bag, part_weight, token) if phrases else set()
                )
                for j, (part_stem, _part) in enumerate(parts):
                    f = covered_weight if (i in covered or j in part_covered) else 1.0
                    bag.add("w:" + part_stem, part_weight * f, token)
        return bag

    def _concepts(
        self,
        stream: Sequence[tuple[str, str]],
        phrases: dict[tuple[str, ...], str],
        bag: Bag,
        weight: float,
        surface: str | None,
    ) -> set[int]:
        """Every glossary phrase in the stream (one inside a longer match counts half); returns
        the positions covered by a concept."""
        weight *= self.options.concept_weight
        heads = self.glossary.heads
        track = bag.surfaces is not None
        n = len(stream)
        covered_until = 0
        covered: set[int] = set()
        for i in range(n):
            longest = heads.get(stream[i][0])
            if longest is None:
                continue
            for length in range(min(longest, n - i), 0, -1):
                key = tuple(s for s, _ in stream[i : i + length]) if length > 1 else (stream[i][0],)
                concept = phrases.get(key)
                if concept is None:
                    continue
                inside = i + length <= covered_until
                shown = None
                if track:
                    shown = surface or " ".join(t for _, t in stream[i : i + length])
                bag.add("c:" + concept, weight * (0.5 if inside else 1.0), shown)
                covered_until = max(covered_until, i + length)
                covered.update(range(i, i + length))
        return covered
