"""Evidence scales of the knowledge bank (domain.md §4): a level is always shown with its scale.

Pure module. Labels are Norwegian as the scale owners publish them; the UI translates the
scale names, never the level words of a Norwegian scale.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scale:
    key: str
    name: str
    levels: dict[str, str]  # level -> label, best first


SCALES: dict[str, Scale] = {
    "ungsinn": Scale(
        "ungsinn",
        "Ungsinn (gjeldende skala, 0–5)",
        {
            "5": "Sterk dokumentasjon",
            "4": "Tilfredsstillende dokumentasjon",
            "3": "Noe dokumentasjon",
            "2": "Teoretisk begrunnet",
            "1": "Utilstrekkelig dokumentasjon",
            "0": "Uvirksomt tiltak",
        },
    ),
    "ungsinn_old": Scale(
        "ungsinn_old",
        "Ungsinn (gammel skala før 2015, 1–4)",
        {
            "4": "Dokumentert",
            "3": "Funksjonelt",
            "2": "Sannsynlig",
            "1": "Potensielt virksomt tiltak",
        },
    ),
    "grade": Scale(
        "grade",
        "GRADE",
        {"high": "Høy", "moderate": "Middels", "low": "Lav", "very_low": "Svært lav"},
    ),
    "eif": Scale(
        "eif",
        "Foundations/EIF",
        {
            "4": "Level 4",
            "3": "Level 3",
            "2": "Level 2",
            "NL2": "NL2 (not level 2)",
            "NE": "NE (no effect / negative)",
        },
    ),
}


def normalise_level(scale: str, level: str) -> str | None:
    """The level as stored on `scale` (case-insensitive for GRADE/EIF), or None if invalid."""
    found = SCALES.get(scale)
    if found is None:
        return None
    wanted = level.strip().casefold().replace(" ", "_")
    for key in found.levels:
        if key.casefold() == wanted:
            return key
    return None


def label(scale: str, level: str) -> str:
    """ "Ungsinn (gjeldende skala, 0–5): 4 Tilfredsstillende dokumentasjon"."""
    found = SCALES[scale]
    return f"{found.name}: {level} {found.levels.get(level, '')}".strip()


def rank(scale: str, level: str) -> int:
    """Position of a level on its scale, 0 = best; for sorting within one scale."""
    keys = list(SCALES[scale].levels)
    return keys.index(level) if level in keys else len(keys)
