"""The rules of outcomes (pure): validation, what blocks publishing, the citation."""

from __future__ import annotations

from typing import Any

from projects.findings.outcomes_rules import (
    KINDS,
    citation_of,
    format_citation,
    publish_blockers,
    validate,
)

TYPES = {"rct", "systematic_review"}


def outcome(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "finding",
        "title": "Fråværsteam",
        "summary": "Kort.",
        "summary_language": "nb",
        "practice": "Gjer det.",
        "evidence_type": "",
        "doi": "",
        "citation": {},
        "links": [],
        **extra,
    }


def fields(errors: list[Any]) -> list[str]:
    return [e.field for e in errors]


def test_kinds_are_the_six_of_the_issue() -> None:
    assert list(KINDS) == ["finding", "report", "article", "recommendation", "tool", "practice"]


def test_validate() -> None:
    assert validate(outcome(), TYPES) == []
    assert fields(validate(outcome(title=" ", kind="poem", summary_language="en"), TYPES)) == [
        "title",
        "kind",
        "summary_language",
    ]
    assert fields(validate(outcome(evidence_type="anecdote"), TYPES)) == ["evidence_type"]
    links = [
        {"title": "Ok", "url": "https://example.org"},
        {"title": "", "url": "javascript:alert(1)"},
        {"title": "Space", "url": "https://exa mple.org"},
    ]
    assert fields(validate(outcome(links=links), TYPES)) == [
        "links.1.url",
        "links.1.title",
        "links.2.url",
    ]
    assert fields(validate(outcome(kind="article"), TYPES)) == ["doi"]
    assert validate(outcome(kind="article", doi="10.1/x"), TYPES) == []
    assert validate(outcome(kind="article", citation={"title": "T"}), TYPES) == []


def test_publish_blockers_need_summary_and_practice_not_english() -> None:
    assert publish_blockers(outcome(summary_en="")) == []
    assert fields(publish_blockers(outcome(summary="", practice=" "))) == ["summary", "practice"]
    assert fields(publish_blockers(outcome(kind="article"))) == ["doi"]
    assert publish_blockers(outcome(kind="article", citation={"title": "T"})) == []


def test_citation_from_a_record_and_formatted() -> None:
    class A:
        def __init__(self, family: str, given: str) -> None:
            self.family, self.given = family, given

    class R:
        title = "Teams"
        authors = (A("Berg", "Ola Nils"),)
        year = 2021
        container = "Journal"
        volume = "3"
        issue = ""
        pages = "1-9"
        url = "https://example.org/a"

    citation = citation_of(R())
    assert citation["authors"] == [["Berg", "Ola Nils"]]
    assert (
        format_citation(citation)
        == "Berg O. N. (2021). Teams. Journal, 3, 1-9. https://example.org/a"
    )
    assert format_citation(citation, "10.1/x") == (
        "Berg O. N. (2021). Teams. Journal, 3, 1-9. https://doi.org/10.1/x"
    )
    assert format_citation({}, "10.1/x") == "https://doi.org/10.1/x"
    assert format_citation({}) == ""
