import datetime as dt
import re
import xml.etree.ElementTree as ET

from literature.prisma import (
    NOT_RETRIEVED,
    UNSPECIFIED,
    PrismaCounts,
    SourceCount,
    consistency_problems,
    prisma_counts,
)
from literature.prisma_diagram import LABELS_EN, LABELS_NB, LABELS_NN, prisma_svg
from literature.screening import Decision, Outcome, screen

SVG = "{http://www.w3.org/2000/svg}"


def worked_example():
    """Hand-computed worked example.

    Sources: PubMed 60 records (5 duplicates), Cochrane 30 (8), Epistemonikos 10 (2), plus 3
    duplicates found among the check's own records later.
      identified = 60 + 30 + 10 = 100; duplicates = 5 + 8 + 2 + 3 = 18; unique = 100 - 18 = 82.
    Title stage of the 82: 2 never screened, so screened = 80:
      excluded 50, include 20, uncertain 6 -> sought 26, pending 3, conflict 1 (50+26+4 = 80).
    Full text of the 26 sought:
      not retrieved 2; awaiting 3 (1 without decision, 1 "uncertain" = pending, 1 conflict);
      assessed 26 - 2 - 3 = 21: included 9, excluded 12 = wrong population 7 + wrong design 4
      + 1 without a reason (12 + 9 = 21).
    """
    sources = [
        SourceCount("PubMed", 60, 5),
        SourceCount("Cochrane Library", 30, 8),
        SourceCount("Epistemonikos", 10, 2),
    ]
    records = list(range(1, 83))
    outcomes = {}
    refs = iter(records)
    next(refs), next(refs)  # 1 and 2: not screened (no outcome at all / pending, nobody)
    outcomes[(2, "title")] = Outcome("pending")

    def title(n, outcome):
        taken = [next(refs) for _ in range(n)]
        for ref in taken:
            outcomes[(ref, "title")] = outcome
        return taken

    title(50, Outcome("exclude", "old", (7,)))
    sought = title(20, Outcome("include", "", (7,))) + title(6, Outcome("uncertain", "", (7,)))
    title(3, Outcome("pending", "", (7,)))
    title(1, Outcome("conflict", "", (7, 8)))
    assert next(refs, None) is None

    full = iter(sought)

    def fulltext(n, outcome):
        for _ in range(n):
            outcomes[(next(full), "fulltext")] = outcome

    fulltext(2, Outcome("exclude", NOT_RETRIEVED, (7,)))
    next(full)  # no full-text decision
    fulltext(1, Outcome("pending", "", (7,), uncertain=True))
    fulltext(1, Outcome("conflict", "", (7, 8)))
    fulltext(9, Outcome("include", "", (7,)))
    fulltext(7, Outcome("exclude", "wrong population", (7,)))
    fulltext(4, Outcome("exclude", "wrong design", (7,)))
    fulltext(1, Outcome("exclude", "", (7,)))
    assert next(full, None) is None
    return prisma_counts(
        sources,
        records,
        outcomes,
        extra_duplicates=3,
        exclusion_reasons=["wrong design", "wrong population", "not peer reviewed", NOT_RETRIEVED],
    )


def test_worked_example():
    c = worked_example()
    assert c.identified_total == 100
    assert c.identified_per_source == {"PubMed": 60, "Cochrane Library": 30, "Epistemonikos": 10}
    assert c.duplicates_removed == 18
    assert c.not_screened == 2
    assert c.records_screened == 80
    assert c.records_excluded == 50
    assert c.reports_sought == 26
    assert c.awaiting == {
        "title": {"pending": 3, "conflict": 1},
        "fulltext": {"pending": 2, "conflict": 1},
    }
    assert c.reports_not_retrieved == 2
    assert c.reports_assessed == 21
    assert c.reports_excluded == {
        "wrong design": 4,
        "wrong population": 7,
        "not peer reviewed": 0,
        UNSPECIFIED: 1,
    }
    assert c.reports_excluded_total == 12
    assert c.studies_included == 9
    assert c.problems == []


def test_small_case_from_real_screening_events():
    # 2 sources: 3 + 2 records, 1 duplicate -> 4 unique records 1..4.
    # 1: excluded at title; 2: included, included at full text; 3: uncertain at title, excluded
    # at full text for "wrong design"; 4: never screened.
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    events = [
        Decision(1, "title", "exclude", 5, False, at, "old"),
        Decision(2, "title", "include", 5, False, at),
        Decision(3, "title", "uncertain", 5, False, at),
        Decision(2, "fulltext", "include", 5, False, at),
        Decision(3, "fulltext", "exclude", 5, False, at, "wrong design"),
    ]
    outcomes = screen(events, blind=False, screeners=[5], references=[1, 2, 3, 4])
    c = prisma_counts(
        [SourceCount("PubMed", 3, 1), SourceCount("Cochrane", 2, 0)], [1, 2, 3, 4], outcomes
    )
    assert (c.identified_total, c.duplicates_removed) == (5, 1)
    assert (c.records_screened, c.not_screened, c.records_excluded) == (3, 1, 1)
    assert (c.reports_sought, c.reports_assessed, c.studies_included) == (2, 2, 1)
    assert c.reports_excluded == {"wrong design": 1}
    assert c.problems == []


def test_same_source_twice_is_added_up():
    c = prisma_counts([SourceCount("PubMed", 3, 0), SourceCount("PubMed", 2, 1)], [1, 2, 3, 4], {})
    assert c.identified_per_source == {"PubMed": 5}
    assert c.duplicates_removed == 1
    assert c.not_screened == 4
    assert c.problems == []


def test_zero_record_check():
    c = prisma_counts([SourceCount("Cochrane Library", 0, 0)], [], {})
    assert c.identified_total == 0
    assert c.records_screened == 0
    assert c.studies_included == 0
    assert c.reports_excluded == {}
    assert c.problems == []
    svg = prisma_svg(c)
    ET.fromstring(svg)  # noqa: S314 (our own output)
    assert "(n = 0)" in svg


def test_inconsistent_input_is_reported():
    # 10 identified, 1 duplicate -> 9 unique expected, but only 5 records given; and a full-text
    # decision on a record excluded at title.
    outcomes = {
        (1, "title"): Outcome("exclude", "x", (1,)),
        (1, "fulltext"): Outcome("include", "", (1,)),
        (99, "title"): Outcome("include", "", (1,)),
    }
    c = prisma_counts([SourceCount("PubMed", 10, 1)], [1, 2, 3, 4, 5], outcomes)
    assert any("minus duplikater" in p and "9" in p for p in c.problems)
    assert any("fulltekstbeslutninger" in p for p in c.problems)
    assert any("ikke blant sjekkens unike" in p for p in c.problems)


def test_consistency_check_on_hand_made_counts():
    good = PrismaCounts(
        identified_total=10,
        identified_per_source={"A": 10},
        duplicates_removed=2,
        records_screened=8,
        records_excluded=5,
        reports_sought=3,
        reports_assessed=3,
        reports_excluded={"r": 1},
        studies_included=2,
    )
    assert consistency_problems(good) == []
    bad = PrismaCounts(
        identified_total=10,
        identified_per_source={"A": 9},
        duplicates_removed=-1,
        records_screened=8,
        records_excluded=6,
        reports_sought=3,
        reports_assessed=2,
        reports_excluded={"r": 1},
        studies_included=2,
    )
    problems = consistency_problems(bad)
    assert any("negativ" in p for p in problems)
    assert any("per kilde" in p for p in problems)
    assert any(p.startswith("Screenet (8)") for p in problems)
    assert any(p.startswith("Søkt hentet (3)") for p in problems)
    assert any(p.startswith("Vurdert i fulltekst (2)") for p in problems)


# --- SVG --------------------------------------------------------------------------------------


def test_svg_is_accessible_xml_with_every_number():
    c = worked_example()
    svg = prisma_svg(c, LABELS_NB)
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox")
    assert root.get("width") is None
    assert root.get("height") is None
    assert next(iter(root)).tag == f"{SVG}title"
    assert list(root)[1].tag == f"{SVG}desc"
    desc = root.find(f"{SVG}desc").text
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for label in ("Poster identifisert", "Duplikater fjernet", "Studier inkludert"):
        assert label in text
        assert label in desc
    numbers = [100, 60, 30, 10, 18, 80, 2, 50, 26, 3, 1, 21, 12, 7, 4, 9]
    for n in numbers:
        assert f"(n = {n})" in text, n
        assert f"(n = {n})" in desc, n
    assert "wrong population (n = 7)" in desc
    assert "Uten oppgitt grunn (n = 1)" in text
    assert "script" not in {el.tag.removeprefix(SVG) for el in root.iter()}
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', svg)]
    assert sizes
    assert min(sizes) >= 14


def test_svg_escapes_markup_in_source_names():
    c = prisma_counts([SourceCount("<script>alert(1)</script> & co", 3, 0)], [1, 2, 3], {})
    svg = prisma_svg(c)
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    assert any("<script>alert(1)</script> & co" in (t.text or "") for t in root.iter())


def _luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_svg_colours_have_enough_contrast():
    from literature import prisma_diagram

    assert _contrast(prisma_diagram._INK, "#ffffff") >= 4.5
    assert _contrast(prisma_diagram._INK, prisma_diagram._SIDE_FILL) >= 4.5
    assert _contrast("#ffffff", prisma_diagram._EDGE) >= 4.5


def test_labels_in_three_languages():
    assert LABELS_NB.keys() == LABELS_NN.keys() == LABELS_EN.keys()
    c = prisma_counts([SourceCount("PubMed", 1, 0)], [1], {})
    assert "Records identified (n = 1)" in prisma_svg(c, LABELS_EN)
    assert "Postar identifiserte (n = 1)" in prisma_svg(c, LABELS_NN)
