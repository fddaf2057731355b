"""Evidence type of a reference from its publication types, title and abstract (EN/NO/SV/DA).

Pure rule module; every decision carries a human-readable reason.

Order of evidence: a protocol is never evidence (OTHER); a guideline publication type wins;
otherwise the title's design cue, refined by publication types; the abstract speaks only when
title and publication types are silent or agree on summarised research. Among summarised types
the more specific wins: overview of reviews > meta-analysis > scoping review > systematic review,
and any of those beats the primary designs it mentions ("a systematic review of RCTs").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from literature.anchors import anchors, gated, may_match
from literature.dedup import fold


class EvidenceType(StrEnum):
    SYSTEMATIC_REVIEW = "systematic_review"
    META_ANALYSIS = "meta_analysis"
    OVERVIEW_OF_REVIEWS = "overview_of_reviews"
    SCOPING_REVIEW = "scoping_review"
    GUIDELINE = "guideline"
    RCT = "rct"
    OTHER_PRIMARY = "other_primary"
    OTHER = "other"


# Summarised research (oppsummert forskning) follows the issue text: the four review types.
# domain.md §3 also lists guidelines; they are flagged separately with `is_guideline` so a
# verification can count them without treating a guideline as a systematic review.
SUMMARISED = frozenset(
    {
        EvidenceType.SYSTEMATIC_REVIEW,
        EvidenceType.META_ANALYSIS,
        EvidenceType.OVERVIEW_OF_REVIEWS,
        EvidenceType.SCOPING_REVIEW,
    }
)

# Higher number = more specific; used to pick among several cues.
_RANK = {
    EvidenceType.OVERVIEW_OF_REVIEWS: 8,
    EvidenceType.META_ANALYSIS: 7,
    EvidenceType.SCOPING_REVIEW: 6,
    EvidenceType.SYSTEMATIC_REVIEW: 5,
    EvidenceType.RCT: 4,
    EvidenceType.OTHER_PRIMARY: 3,
    EvidenceType.GUIDELINE: 2,
    EvidenceType.OTHER: 1,
}


@dataclass(frozen=True, slots=True)
class Classification:
    type: EvidenceType
    reason: str

    @property
    def is_summarised(self) -> bool:
        return self.type in SUMMARISED

    @property
    def is_guideline(self) -> bool:
        return self.type is EvidenceType.GUIDELINE


def is_summarised(evidence_type: EvidenceType) -> bool:
    return evidence_type in SUMMARISED


def is_guideline(evidence_type: EvidenceType) -> bool:
    return evidence_type is EvidenceType.GUIDELINE


# Publication types (PubMed PT and CSL), folded. CSL "review" is a review OF a work (a book
# review), so it is absent; PubMed "Review" alone means a narrative review unless text says more.
_PUBLICATION_TYPES: dict[str, EvidenceType] = {
    "systematic review": EvidenceType.SYSTEMATIC_REVIEW,
    "meta analysis": EvidenceType.META_ANALYSIS,
    "network meta analysis": EvidenceType.META_ANALYSIS,
    "scoping review": EvidenceType.SCOPING_REVIEW,
    "practice guideline": EvidenceType.GUIDELINE,
    "guideline": EvidenceType.GUIDELINE,
    "consensus development conference": EvidenceType.GUIDELINE,
    "randomized controlled trial": EvidenceType.RCT,
    "randomised controlled trial": EvidenceType.RCT,
    "equivalence trial": EvidenceType.RCT,
    "clinical trial": EvidenceType.OTHER_PRIMARY,
    "clinical trial phase i": EvidenceType.OTHER_PRIMARY,
    "clinical trial phase ii": EvidenceType.OTHER_PRIMARY,
    "clinical trial phase iii": EvidenceType.OTHER_PRIMARY,
    "clinical trial phase iv": EvidenceType.OTHER_PRIMARY,
    "controlled clinical trial": EvidenceType.OTHER_PRIMARY,
    "pragmatic clinical trial": EvidenceType.OTHER_PRIMARY,
    "observational study": EvidenceType.OTHER_PRIMARY,
    "comparative study": EvidenceType.OTHER_PRIMARY,
    "multicenter study": EvidenceType.OTHER_PRIMARY,
    "evaluation study": EvidenceType.OTHER_PRIMARY,
    "validation study": EvidenceType.OTHER_PRIMARY,
    "twin study": EvidenceType.OTHER_PRIMARY,
    "case reports": EvidenceType.OTHER_PRIMARY,
    "dataset": EvidenceType.OTHER_PRIMARY,
}
# Publication types that are not evidence in themselves.
_NOT_EVIDENCE_TYPES = frozenset(
    {
        "editorial",
        "comment",
        "letter",
        "news",
        "published erratum",
        "retraction of publication",
        "retracted publication",
        "clinical trial protocol",
        "interview",
        "biography",
    }
)
_REVIEW_TYPES = frozenset({"review", "literature review"})

_SR_WORDS = (
    r"systematic (?:literature )?reviews?|systematically reviewed|"
    r"systematiske? (?:kunnskaps|litteratur)?(?:oversikt|oversigt|oversikter|oversikten)|"
    r"systematisk (?:litteratur)?(?:gjennomgang|studie|oppsummering|review|oversikt|oversigt)|"
    r"systematisk (?:litteratur)?oversikt|systematisk litteraturoversikt|"
    r"rapid reviews?|hurtigoversikt|hurtigoppsummering"
)
# Text cues, all on folded text (ø->o, æ->ae, å->a, lower case, punctuation -> space).
_CUES: list[tuple[EvidenceType, re.Pattern[str]]] = [
    (
        EvidenceType.OVERVIEW_OF_REVIEWS,
        re.compile(
            r"\b(?:overviews? of (?:systematic )?reviews|umbrella reviews?|meta reviews?|"
            r"reviews? of (?:systematic )?reviews|reviews? of meta analyses|"
            r"(?:systematic )?review of systematic reviews|tertiary review|"
            r"paraplyoversikt\w*|oversikt over (?:systematiske )?oversikter|"
            r"paraplyoversigt\w*|oversikt av oversikter)\b"
        ),
    ),
    (
        EvidenceType.META_ANALYSIS,
        re.compile(
            r"\b(?:meta analys[ie]s|meta analyses|metaanaly(?:se|ser|sen|s|ses|sis)|"
            r"meta analyse\w*|meta analytic|pooled analysis of (?:randomi[sz]ed )?trials)\b"
        ),
    ),
    (
        EvidenceType.SCOPING_REVIEW,
        re.compile(
            r"\b(?:scoping (?:review|study)|kartleggingsoversikt\w*|kartleggingsstudie|"
            r"evidence (?:and )?gap maps?|systematic map|mapping review|"
            r"kartleggingsgjennomgang)\b"
        ),
    ),
    (EvidenceType.SYSTEMATIC_REVIEW, re.compile(rf"\b(?:{_SR_WORDS})\b")),
    (
        EvidenceType.RCT,
        re.compile(
            r"(?<!non )(?<!ikke )(?<!quasi )(?<!icke )\b(?:"
            r"(?:cluster )?randomi[sz]ed (?:controlled |clinical |pragmatic |crossover |)trials?|"
            r"(?:cluster )?randomi[sz]ed (?:controlled )?(?:study|experiment)|"
            r"rcts?|(?:klynge)?randomisert\w* (?:kontrollert\w* )?(?:studie|forsok|utproving)|"
            r"klyngerandomisert\w*|randomiserad\w* (?:kontrollerad\w* )?(?:studie|provning)|"
            r"randomly (?:assigned|allocated)|were randomi[sz]ed|"
            r"ble (?:tilfeldig fordelt|randomisert)|randomi[sz]ed to)\b"
        ),
    ),
    (
        EvidenceType.OTHER_PRIMARY,
        re.compile(
            r"\b(?:cohort|case control|cross sectional|qualitative|interviews?|focus groups?|"
            r"survey|questionnaire|observational|longitudinal|prospective|retrospective|"
            r"registry|register based|mixed methods?|quasi experimental|non randomi[sz]ed|"
            r"pilot study|feasibility study|case study|case series|controlled before|"
            r"interrupted time series|difference in differences|ethnograph\w*|"
            r"kohort\w*|kvalitativ\w*|intervju\w*|fokusgrupp\w*|sporreundersokelse\w*|"
            r"tverrsnitt\w*|registerstudie|registerbasert\w*|oppfolgingsstudie|"
            r"ikke randomisert\w*|spor(?:re)?skjema\w*|enkat\w*|kvasi eksperiment\w*|"
            r"(?:\d+ )(?:participants|patients|children|pupils|students|adults|respondents|"
            r"informants|teachers|nurses|deltakere|pasienter|barn|elever|ansatte|informanter))\b"
        ),
    ),
    (
        EvidenceType.GUIDELINE,
        re.compile(
            r"\b(?:guidelines?|retningslinje\w*|riktlinje\w*|consensus statement|"
            r"nasjonal faglig veileder|nasjonal veileder|faglige anbefalinger|"
            r"clinical practice recommendations)\b"
        ),
    ),
    (
        EvidenceType.OTHER,
        re.compile(
            r"\b(?:narrative review|literature review|litteraturgjennomgang|"
            r"oversiktsartikkel|commentary|editorial|kommentar|debattinnlegg|essay)\b"
        ),
    ),
]

_PROTOCOL_TITLE = re.compile(r"(?<!per )\b(?:protocol|protokoll|studieprotokoll)\b")
_PROTOCOL_ABSTRACT = re.compile(
    r"\b(?:this (?:study |review )?protocol (?:describes|outlines|presents|reports)|"
    r"we (?:describe|present|report) (?:the|a|this) (?:study |review )?protocol|"
    r"(?:will|shall) be (?:searched|screened|included|randomi[sz]ed|recruited|synthesi[sz]ed|"
    r"extracted|pooled)|vil bli (?:sokt|inkludert|randomisert|rekruttert))\b"
)
# Phrases whose design word describes something else than this publication.
_BACKGROUND = re.compile(
    r"\b(?:(?:based on|basert pa|informed by|drawing on|bygger pa|grounded in) "
    r"(?:an? |en |et |ei |the |recent |updated |oppdaterte? |nye )*"
    r"(?:systematic|systematiske?|meta|metaanaly\w*|rapid)[a-z ]{0,40}?"
    r"(?:reviews?|analys[ie]s|analyses|oversikt\w*|oppsummering\w*)|"
    r"(?:previous|prior|earlier|existing|recent|published|other|tidligere|eksisterende|nyere) "
    r"(?:cochrane |campbell )?(?:systematic reviews?|meta analys[ie]s|meta analyses|"
    r"systematiske oversikter|metaanalyser|reviews)|"
    r"(?:without|no|not possible to conduct a|uten) (?:a )?(?:meta analysis|metaanalyse)|"
    r"meta analysis (?:was|were) not (?:possible|feasible|performed|conducted)|"
    r"metaanalyse (?:var|ble) ikke (?:mulig|gjennomfort)|"
    r"included (?:only )?(?:randomi[sz]ed controlled trials|rcts))\b"
)


# What each pattern cannot match without (literature.anchors): a text holding none of it is not
# searched. The same decisions, at a fraction of the cost on abstracts that lack a cue.
_CUE_ANCHORS = [(t, gated(pattern), anchors(pattern)) for t, pattern in _CUES]
_BACKGROUND_ANCHORS = anchors(_BACKGROUND)
_BACKGROUND_GATED = gated(_BACKGROUND)
_PROTOCOL_TITLE_ANCHORS = anchors(_PROTOCOL_TITLE)
_PROTOCOL_ABSTRACT_ANCHORS = anchors(_PROTOCOL_ABSTRACT)


def _protocol(title: str, abstract: str) -> bool:
    return bool(
        (may_match(_PROTOCOL_TITLE_ANCHORS, title) and _PROTOCOL_TITLE.search(title))
        or (may_match(_PROTOCOL_ABSTRACT_ANCHORS, abstract) and _PROTOCOL_ABSTRACT.search(abstract))
    )


def _normalise_pt(value: str) -> str:
    return fold(value)


def _cue(text: str) -> tuple[EvidenceType, str] | None:
    """The most specific design cue in folded `text`, with the phrase that triggered it."""
    if may_match(_BACKGROUND_ANCHORS, text):
        text = _BACKGROUND_GATED.sub(" ", text)
    best: tuple[EvidenceType, str] | None = None
    for evidence_type, pattern, required in _CUE_ANCHORS:
        found = pattern.search(text) if may_match(required, text) else None
        if found and (best is None or _RANK[evidence_type] > _RANK[best[0]]):
            best = (evidence_type, found.group(0))
    return best


def _from_publication_types(publication_types: Sequence[str]) -> tuple[set[EvidenceType], set[str]]:
    types: set[EvidenceType] = set()
    others: set[str] = set()
    for raw in publication_types:
        pt = _normalise_pt(raw)
        if pt in _PUBLICATION_TYPES:
            types.add(_PUBLICATION_TYPES[pt])
        else:
            others.add(pt)
    return types, others


def _top(types: set[EvidenceType]) -> EvidenceType | None:
    return max(types, key=_RANK.__getitem__) if types else None


def _summarised(
    pt_top: EvidenceType | None,
    title_cue: tuple[EvidenceType, str] | None,
    abstract_cue: tuple[EvidenceType, str] | None,
) -> Classification:
    """Summarised research: the most specific type of every source that names one."""
    sources = []
    if pt_top in SUMMARISED:
        sources.append((pt_top, f"publication type: {pt_top}"))
    if title_cue and title_cue[0] in SUMMARISED:
        sources.append((title_cue[0], f"title: '{title_cue[1]}'"))
    if abstract_cue and abstract_cue[0] in SUMMARISED:
        sources.append((abstract_cue[0], f"abstract: '{abstract_cue[1]}'"))
    chosen, reason = max(sources, key=lambda s: _RANK[s[0]])
    return Classification(chosen, reason)


def classify(
    title: str,
    abstract: str,
    publication_types: Sequence[str],
    keywords: Sequence[str] = (),
) -> Classification:
    """Evidence type from publication types first, then title, then abstract and keywords."""
    title_f = fold(title)
    abstract_f = fold(abstract)
    keywords_f = fold(" ; ".join(keywords))

    if _protocol(title_f, abstract_f):
        return Classification(EvidenceType.OTHER, "protocol for a planned study or review")

    pt_types, pt_other = _from_publication_types(publication_types)
    if EvidenceType.GUIDELINE in pt_types:
        return Classification(EvidenceType.GUIDELINE, "publication type: guideline")
    if not pt_types and pt_other & _NOT_EVIDENCE_TYPES:
        label = sorted(pt_other & _NOT_EVIDENCE_TYPES)[0]
        return Classification(EvidenceType.OTHER, f"publication type: {label}")

    pt_top = _top(pt_types)
    title_cue = _cue(title_f)
    abstract_cue = _cue(f"{abstract_f} ; {keywords_f}")
    title_type = title_cue[0] if title_cue else None
    abstract_type = abstract_cue[0] if abstract_cue else None

    if pt_top in SUMMARISED or title_type in SUMMARISED:
        return _summarised(pt_top, title_cue, abstract_cue)

    if title_cue and title_type is not EvidenceType.OTHER:
        if pt_top is EvidenceType.RCT and title_type is not EvidenceType.RCT:
            return Classification(EvidenceType.RCT, "publication type: randomised controlled trial")
        return Classification(title_cue[0], f"title: '{title_cue[1]}'")

    if pt_top is EvidenceType.RCT:
        return Classification(EvidenceType.RCT, "publication type: randomised controlled trial")
    if title_cue and title_type is EvidenceType.OTHER:
        return Classification(EvidenceType.OTHER, f"title: '{title_cue[1]}'")

    if abstract_cue:
        abstract_type, phrase = abstract_cue
        if pt_top is EvidenceType.OTHER_PRIMARY and abstract_type is not EvidenceType.RCT:
            return Classification(EvidenceType.OTHER_PRIMARY, f"publication type: {pt_top}")
        if abstract_type is EvidenceType.OTHER and pt_other & _REVIEW_TYPES:
            return Classification(EvidenceType.OTHER, "publication type: review (narrative)")
        return Classification(abstract_type, f"abstract: '{phrase}'")

    if pt_top is not None:
        return Classification(pt_top, f"publication type: {pt_top}")
    if pt_other & _REVIEW_TYPES:
        return Classification(EvidenceType.OTHER, "publication type: review (narrative)")
    return Classification(EvidenceType.OTHER, "no design cue found")
