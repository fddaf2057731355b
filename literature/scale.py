"""The literature app's part of the national-scale demo: literature checks of prioritised needs,
each with a search imported from a reference file (its records kept as read), title and full-text
screening, and — for most — a verdict with the reviews behind it, which sets the need's knowledge
gap (through priorities.api). Written in bulk with the core's writer."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from klynge.scale.context import ScaleContext
from literature.checks import DEFAULT_EXCLUSION_REASONS
from literature.scale_text import compose, ris, theme_named
from literature.tables import (
    CheckReview,
    CheckSearch,
    LiteratureCheck,
    LiteratureImport,
    Reference,
    ReferenceSource,
    ScreeningDecision,
)
from priorities import api as priorities

REFERENCES = 200_000
PER_CHECK = 50
SOURCES = ("PubMed", "PsycINFO", "Cochrane Library", "Epistemonikos", "ERIC", "Idunn")
VERDICTS = (("answered", 0.3, 1), ("partly", 0.4, 3), ("unanswered", 0.3, 5))
SUMMARY = {
    "answered": {
        "nb": "Systematiske oversikter besvarer spørsmålet: tiltaket har effekt for målgruppen.",
        "nn": "Systematiske oversikter svarar på spørsmålet: tiltaket har effekt for målgruppa.",
    },
    "partly": {
        "nb": "Oversiktene gir delvis svar; effekten er usikker for norske tjenester.",
        "nn": "Oversiktene gir delvis svar; effekten er uviss for norske tenester.",
    },
    "unanswered": {
        "nb": "Ingen oppsummert forskning besvarer spørsmålet: et reelt kunnskapshull.",
        "nn": "Inga oppsummert forsking svarar på spørsmålet: eit reelt kunnskapshol.",
    },
}


@dataclass
class _Rows:
    checks: list[tuple[Any, ...]] = field(default_factory=list)
    imports: list[tuple[Any, ...]] = field(default_factory=list)
    searches: list[tuple[Any, ...]] = field(default_factory=list)
    references: list[tuple[Any, ...]] = field(default_factory=list)
    sources: list[tuple[Any, ...]] = field(default_factory=list)
    screening: list[tuple[Any, ...]] = field(default_factory=list)
    reviews: list[tuple[Any, ...]] = field(default_factory=list)
    changes: list[tuple[int, str, dt.datetime, int | None, str]] = field(default_factory=list)
    gaps: dict[int, int] = field(default_factory=dict)


def _checked_needs(ctx: ScaleContext, count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Prioritised needs first (deferred ones when there are too few), oldest first."""
    needs = ctx.shared["priorities"]["needs"]
    pool = [n for n in needs if n["status"] == "prioritised"]
    pool += [n for n in needs if n["status"] == "deferred"][: max(0, count - len(pool))]
    picked = rng.sample(pool, k=min(count, len(pool)))
    return sorted(picked, key=lambda n: n["id"])


def _verdict(rng: random.Random) -> tuple[str, int]:
    pick = rng.random()
    for verdict, share, gap in VERDICTS:
        pick -= share
        if pick <= 0:
            return verdict, gap
    return VERDICTS[-1][0], VERDICTS[-1][2]


def _screen(
    ctx: ScaleContext,
    rows: _Rows,
    check: int,
    refs: range,
    adviser: int,
    at: dt.datetime,
    complete: bool,
    rng: random.Random,
) -> list[int]:
    """Title and full-text decisions; returns the references included in the end."""
    included: list[int] = []
    reasons = DEFAULT_EXCLUSION_REASONS
    screened = refs if complete else refs[: int(len(refs) * rng.uniform(0.2, 0.9))]
    for ref in screened:
        pick = rng.random()
        decision = "include" if pick < 0.16 else "uncertain" if pick < 0.19 else "exclude"
        reason = rng.choice(reasons[:5]) if decision == "exclude" else ""
        rows.screening.append((check, ref, "title", decision, reason, adviser, False, at))
        if decision != "exclude" and complete:
            final = "include" if rng.random() < 0.55 else "exclude"
            reason = "" if final == "include" else rng.choice(reasons[:4])
            rows.screening.append((check, ref, "fulltext", final, reason, adviser, False, at))
            if final == "include":
                included.append(ref)
    return included


def _search(
    rows: _Rows,
    need: dict[str, Any],
    ids: dict[str, int],
    adviser: int,
    started: dt.datetime,
    rng: random.Random,
) -> None:
    """The search: an import of a RIS file from one database, and one without hits."""
    check, imp = ids["check"], ids["import"]
    theme = theme_named(need["theme"])
    source = rng.choice(SOURCES)
    query = f'("{theme.problem.en}"[tiab]) AND (review[pt] OR trial[pt])'
    filename = f"{source.lower().replace(' ', '-')}-{check}.ris"
    on = started.date()
    rows.imports.append(
        (imp, need["cluster"], check, filename, "ris", source, query, on, "done", PER_CHECK,
         PER_CHECK, adviser, started)
    )  # fmt: skip
    rows.searches.append((check, source, query, on, imp, None, started))
    rows.searches.append((check, "Oria", theme.problem.nb, on, None, 0, started))


def _references(
    rows: _Rows,
    need: dict[str, Any],
    ids: dict[str, int],
    started: dt.datetime,
    rng: random.Random,
) -> range:
    """The file's records, as stored references and as read (their raw RIS)."""
    imp, refs = ids["import"], range(ids["reference"], ids["reference"] + PER_CHECK)
    theme = theme_named(need["theme"])
    for position, ref in enumerate(refs, 1):
        r = compose(rng, theme)
        doi = f"10.5555/klynge.{ref}"
        rows.references.append(
            (ref, need["cluster"], r.title, r.abstract, r.authors, r.year, r.container, doi,
             r.publication_types, r.keywords, " ".join(r.keywords), r.language, r.evidence_type,
             r.evidence_type, r.summarised, imp, started)
        )  # fmt: skip
        rows.sources.append((ref, imp, position, ris(r, doi), {"title": r.title, "year": r.year}))
    return refs


def _one_check(
    ctx: ScaleContext, rows: _Rows, need: dict[str, Any], ids: dict[str, int], rng: random.Random
) -> None:
    check = ids["check"]
    adviser = ctx.cluster_of(need["cluster"]).adviser
    started = need["created_at"] + dt.timedelta(days=rng.randint(90, 200))
    complete = rng.random() < 0.78
    finished = started + dt.timedelta(days=rng.randint(20, 70))
    _search(rows, need, ids, adviser, started, rng)
    refs = _references(rows, need, ids, started, rng)
    included = _screen(ctx, rows, check, refs, adviser, started, complete, rng)
    verdict: tuple[str, int] | None = _verdict(rng) if complete else None
    if verdict:
        for ref in included[:3]:
            rows.reviews.append((check, ref, rng.choice(("moderate", "low", "high")), verdict[0]))
        rows.changes.append(
            (need["id"], "literature_checked", finished, adviser, "Litteratursjekk")
        )
        rows.gaps[need["id"]] = verdict[1]
    said = verdict[0] if verdict else None
    rows.checks.append(
        (check, need["cluster"], need["id"], need["title"], theme_named(need["theme"]).problem.en,
         [adviser], list(DEFAULT_EXCLUSION_REASONS), "completed" if said else "open", said,
         None if said in (None, "answered") else "B", "moderate" if said else None,
         SUMMARY[said][need["language"]] if said else "", bool(said) and rng.random() < 0.6,
         said == "answered", adviser, started, finished if said else None,
         adviser if said else None)
    )  # fmt: skip


CHECK_COLUMNS = (
    "id", "cluster", "need", "question", "population", "screeners", "exclusion_reasons",
    "status", "verdict", "reason_code", "certainty", "verdict_summary", "public", "disseminate",
    "created_by", "created_at", "completed_at", "completed_by",
)  # fmt: skip
REFERENCE_COLUMNS = (
    "id", "cluster", "title", "abstract", "authors", "year", "container", "doi",
    "publication_types", "keywords", "keywords_text", "language", "evidence_type",
    "evidence_auto", "summarised", "first_import", "created_at",
)  # fmt: skip
IMPORT_COLUMNS = (
    "id", "cluster", "check", "filename", "format", "source", "query", "searched_on", "status",
    "read", "imported", "created_by", "created_at",
)  # fmt: skip
SEARCH_COLUMNS = (
    "check", "source", "query", "searched_on", "literature_import", "hits", "created_at",
)  # fmt: skip
SCREENING_COLUMNS = (
    "check", "reference", "stage", "decision", "reason", "screener", "reconciled", "created_at",
)  # fmt: skip


async def _write(ctx: ScaleContext, rows: _Rows) -> None:
    w = ctx.writer
    await w.copy(LiteratureCheck, CHECK_COLUMNS, rows.checks)
    await w.copy(LiteratureImport, IMPORT_COLUMNS, rows.imports)
    await w.add(CheckSearch, SEARCH_COLUMNS, rows.searches)
    await w.copy(Reference, REFERENCE_COLUMNS, rows.references)
    sources = ("reference", "literature_import", "position", "raw", "record")
    await w.add(ReferenceSource, sources, rows.sources)
    await w.add(ScreeningDecision, SCREENING_COLUMNS, rows.screening)
    await w.add(CheckReview, ("check", "reference", "certainty", "supports"), rows.reviews)


async def load_scale(ctx: ScaleContext) -> None:
    """Write the literature checks of the country (one transaction), in slices of checks so
    that memory stays bounded whatever the scale."""
    rng = ctx.rng("literature")
    needs = _checked_needs(ctx, ctx.count(REFERENCES // PER_CHECK, minimum=10), rng)
    checked = 0
    async with ctx.writer.part() as w:
        for start in range(0, len(needs), 500):
            part = needs[start : start + 500]
            rows = _Rows()
            checks = await w.ids(LiteratureCheck, len(part))
            imports = await w.ids(LiteratureImport, len(part))
            refs = await w.ids(Reference, len(part) * PER_CHECK)
            for n, need in enumerate(part):
                ids = {"check": checks[n], "import": imports[n], "reference": refs[n * PER_CHECK]}
                _one_check(ctx, rows, need, ids, rng)
            await _write(ctx, rows)
            await priorities.record_scale_progress(ctx, rows.changes, gaps=rows.gaps)
            checked += len(part)
            ctx.progress(f"literature: {checked:,} of {len(needs):,} checks written")
