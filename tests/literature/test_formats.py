"""Reference-file parsers: RIS, BibTeX (via pandoc), MEDLINE, CSL-JSON, xlsx/csv."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest

from literature.formats import bibtex, csljson, medline, ris, table
from literature.formats.record import Author, FormatError, decode, normalise_doi, year_from

# --- Samples -------------------------------------------------------------------------------------

RIS = """\
TY  - JOUR
TI  - Tidlig innsats i barnehagen: effekter på språkutvikling i Tromsø og Ålesund
AU  - Sæther, Kjersti
AU  - Øverland, Pål Andreas
PY  - 2021/03/15/
JO  - Tidsskrift for Den norske legeforening
VL  - 141
IS  - 4
SP  - 112
EP  - 120
DO  - https://doi.org/10.4045/TIDSSKR.20.0123
AN  - 33754321
KW  - barnehage
KW  - språk
LA  - nor
UR  - https://tidsskriftet.no/2021/03/tidlig-innsats
AB  - Bakgrunn: Tidlig innsats er et mål for
      kommunene.
ER  -

TY  - JOUR
AU  - Nobody, Without
PY  - 2020
ER  -

TY  - CHAP
T1  - Straßenverkehr und Gesundheit: Maßnahmen für Kommunen
A1  - Groß, Jürgen
Y1  - 2019
T2  - Handbuch Gesundheitsförderung
M1  - PMID: 31234567
ER  -

TY  - JOUR
TI  - 城市社区老年人抑郁症状的干预研究
AU  - Wang, Li
PY  - 2022
DO  - 10.1016/j.jad.2022.01.001
ER  -

TY  - JOUR
TI  - Cut off in the middle
"""

MEDLINE = """\
PMID- 34567890
OWN - NLM
STAT- MEDLINE
TI  - Effect of school-based physical activity on mental health in adolescents: a
      cluster randomised trial in Bergen, Norway.
PG  - 245-253
LID - 10.1136/bjsports-2021-104321 [doi]
AB  - BACKGROUND: Physical activity may improve mental health. METHODS: We randomised
      30 schools.
FAU - Ødegård, Siri
AU  - Ødegård S
FAU - Haugen, Tommy
AU  - Haugen T
LA  - eng
PT  - Journal Article
PT  - Randomized Controlled Trial
DP  - 2022 Apr
TA  - Br J Sports Med
JT  - British journal of sports medicine
VI  - 56
IP  - 5
MH  - Adolescent
MH  - *Mental Health
OT  - school
AID - 10.1136/bjsports-2021-104321 [doi]
AID - bjsports-2021-104321 [pii]

PMID- 35555555
DP  - 2021
AU  - Lost T
PT  - Journal Article

PMID- 36666666
TI  - Évaluation d'un programme de prévention à Montréal.
AU  - Lévesque M
DP  - 2023 Jan-Feb
JT  - Santé publique
PT  - Systematic Review
"""

CSL = [
    {
        "id": "a",
        "type": "article-journal",
        "title": "Kommunale helsetjenester i Finnmark",
        "author": [{"family": "Aslaksen", "given": "Åse"}, {"literal": "Folkehelseinstituttet"}],
        "issued": {"date-parts": [[2020, 5, 1]]},
        "container-title": "Norsk Epidemiologi",
        "volume": "28",
        "issue": "1-2",
        "page": "33–41",
        "DOI": "doi:10.5324/NJE.V28I1-2.3050",
        "PMID": "32000001",
        "keyword": "helse; kommune; Finnmark",
        "language": "nb",
        "URL": "https://example.org/a",
    },
    {"id": "b", "type": "report", "title": "Rapport", "issued": {"raw": "spring 2018"}},
    {"id": "c", "type": "book", "author": [{"family": "Titleless"}]},
    "not an object",
    {
        "id": "d",
        "type": "article-journal",
        "title": "Über die Wirksamkeit",
        "issued": {"date-parts": [["2017"]]},
        "keyword": "a, b",
    },
]

BIBTEX = r"""
@string{tfdnl = {Tidsskrift for Den norske legeforening}}

@article{saether2021,
  author  = {S{\ae}ther, Kjersti and {\O}verland, P{\aa}l and M{\"u}ller, J{\"o}rg},
  title   = {Tidlig innsats i {\aa}pne barnehager: {\O}kt spr{\aa}kforst{\aa}else},
  journal = tfdnl,
  year    = {2021},
  volume  = {141},
  number  = {4},
  pages   = {112--120},
  doi     = {10.4045/TIDSSKR.20.0123},
  keywords = {barnehage, språk},
  abstract = {Bakgrunn.}
}

@comment{Exported by hand}

@inproceedings{broken2020,
  title = {Unclosed {brace,
  year = 2020
}

@book{who2019,
  author = {{World Health Organization}},
  title = "Stra{\ss}enverkehr und Caf{\'e}s in {\O}stfold",
  year = 2019,
  publisher = {WHO}
}

@misc{notitle,
  note = {No title here},
  year = 2018
}
"""

# --- record helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.1000/ABC.123", "10.1000/abc.123"),
        ("https://doi.org/10.1000/xyz", "10.1000/xyz"),
        ("http://dx.doi.org/10.1000/xyz", "10.1000/xyz"),
        ("https://dx.doi.org/10.1000/XYZ", "10.1000/xyz"),
        ("doi:10.1000/xyz", "10.1000/xyz"),
        ("DOI: 10.1000/xyz ", "10.1000/xyz"),
        (" 10.1016/j.jad.2022.01.001. ", "10.1016/j.jad.2022.01.001"),
        ("", ""),
        (None, ""),
        ("not a doi", ""),
        ("10.12/too-short-prefix", ""),
        ("https://example.org/10.1000/x", ""),
    ],
)
def test_normalise_doi(value: str | None, expected: str) -> None:
    assert normalise_doi(value) == expected


def test_year_from() -> None:
    assert year_from("2021/03/15/") == 2021
    assert year_from("2022 Apr") == 2022
    assert year_from(2019) == 2019
    assert year_from(2019.0) == 2019
    assert year_from("n.d.") is None
    assert year_from(12345) is None


def test_decode_falls_back_to_cp1252_and_normalises_nfc() -> None:
    assert decode("Ålesund".encode("cp1252"), "fil") == "Ålesund"
    assert decode("\ufeffsmå".encode(), "fil") == "små"
    decomposed = "A\u030alesund"  # Å as A + combining ring
    assert decode(decomposed.encode(), "fil") == "Ålesund"


# --- RIS ------------------------------------------------------------------------------------------


def test_ris_reads_good_records_and_reports_broken_ones() -> None:
    # Record 5 lacks its ER but another record follows: a broken record, not a cut file.
    result = ris.parse((RIS + "TY  - JOUR\nTI  - Afterwards\nER  - \n").encode())
    assert result.read == 6
    assert [p.record for p in result.problems] == [2, 5]
    assert "tittel" in result.problems[0].reason
    assert "ER" in result.problems[1].reason
    first, german, chinese, after = result.records
    assert after.title == "Afterwards"
    assert first.title.startswith("Tidlig innsats i barnehagen")
    assert "Ålesund" in first.title
    assert first.authors == (
        Author(family="Sæther", given="Kjersti"),
        Author(family="Øverland", given="Pål Andreas"),
    )
    assert first.year == 2021
    assert first.container == "Tidsskrift for Den norske legeforening"
    assert (first.volume, first.issue, first.pages) == ("141", "4", "112-120")
    assert first.doi == "10.4045/tidsskr.20.0123"
    assert first.pmid == "33754321"
    assert first.keywords == ("barnehage", "språk")
    assert first.abstract == "Bakgrunn: Tidlig innsats er et mål for kommunene."
    assert first.publication_types == ("Journal Article",)
    assert first.raw.startswith("TY  - JOUR")
    assert german.title == "Straßenverkehr und Gesundheit: Maßnahmen für Kommunen"
    assert german.container == "Handbuch Gesundheitsförderung"
    assert german.pmid == "31234567"
    assert german.doi == ""
    assert german.publication_types == ("Book Section",)
    assert chinese.title == "城市社区老年人抑郁症状的干预研究"
    assert chinese.doi == "10.1016/j.jad.2022.01.001"


def test_ris_cut_at_the_end_is_refused_with_its_line() -> None:
    with pytest.raises(FormatError) as refused:
        ris.parse(RIS.encode())  # the file ends inside record 5 (line 41)
    assert str(refused.value) == (
        "RIS-filen er avkuttet: referansen som starter på linje 41 mangler avslutningen "
        "«ER  - ». Ingenting ble lest inn; last opp hele filen på nytt."
    )


def test_ris_unlabelled_m1_is_not_a_pmid() -> None:
    data = b"TY  - JOUR\r\nTI  - T\r\nM1  - 12\r\nAN  - WOS:000123\r\nER  - \r\n"
    (record,) = ris.parse(data).records
    assert record.pmid == ""


def test_ris_windows_1252_file() -> None:
    data = "TY  - JOUR\nTI  - Bærum kommune\nER  - \n".encode("cp1252")
    assert ris.parse(data).records[0].title == "Bærum kommune"


@pytest.mark.parametrize("data", [b"", b"  \n", b"\x00\x01\x02\xff" * 64, b"<html>hei</html>"])
def test_ris_not_ris_is_a_format_error(data: bytes) -> None:
    with pytest.raises(FormatError):
        ris.parse(data)


# --- MEDLINE --------------------------------------------------------------------------------------


def test_medline_continuation_lines_and_fields() -> None:
    result = medline.parse(MEDLINE.encode())
    assert result.read == 3
    assert [p.record for p in result.problems] == [2]
    first, french = result.records
    assert first.title == (
        "Effect of school-based physical activity on mental health in adolescents: a "
        "cluster randomised trial in Bergen, Norway."
    )
    assert first.abstract.endswith("We randomised 30 schools.")
    assert first.authors == (Author("Ødegård", "Siri"), Author("Haugen", "Tommy"))
    assert first.year == 2022
    assert first.container == "British journal of sports medicine"
    assert (first.volume, first.issue, first.pages) == ("56", "5", "245-253")
    assert first.doi == "10.1136/bjsports-2021-104321"
    assert first.pmid == "34567890"
    assert first.publication_types == ("Journal Article", "Randomized Controlled Trial")
    assert first.keywords == ("Adolescent", "Mental Health", "school")
    assert first.language == "en"  # ISO 639-2 "eng" normalised
    assert first.url == "https://pubmed.ncbi.nlm.nih.gov/34567890/"
    assert french.title == "Évaluation d'un programme de prévention à Montréal."
    assert french.authors == (Author("Lévesque", "M"),)
    assert french.publication_types == ("Systematic Review",)
    assert french.doi == ""


@pytest.mark.parametrize("data", [b"", bytes(range(256)) * 8, b"TY  - JOUR\nTI  - x\nER  - \n"])
def test_medline_wrong_input_is_a_format_error(data: bytes) -> None:
    with pytest.raises(FormatError):
        medline.parse(data)


# --- CSL-JSON -------------------------------------------------------------------------------------


def test_csljson_dates_authors_and_problems() -> None:
    result = csljson.parse(json.dumps(CSL, ensure_ascii=False).encode())
    assert result.read == 5
    assert [p.record for p in result.problems] == [3, 4]
    first, report, german = result.records
    assert first.authors == (Author("Aslaksen", "Åse"), Author("Folkehelseinstituttet", ""))
    assert first.year == 2020
    assert first.pages == "33-41"
    assert first.doi == "10.5324/nje.v28i1-2.3050"
    assert first.pmid == "32000001"
    assert first.keywords == ("helse", "kommune", "Finnmark")
    assert first.publication_types == ("article-journal",)
    assert json.loads(first.raw)["id"] == "a"
    assert report.year == 2018  # from issued.raw
    assert german.year == 2017  # date-parts as strings
    assert german.keywords == ("a", "b")


def test_csljson_items_object_and_bom() -> None:
    data = b"\xef\xbb\xbf" + json.dumps({"items": [{"title": "Tittel"}]}).encode()
    assert csljson.parse(data).records[0].title == "Tittel"


@pytest.mark.parametrize("data", [b"", b'[{"title": "cut', b"42", b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_csljson_garbage_is_a_format_error(data: bytes) -> None:
    with pytest.raises(FormatError):
        csljson.parse(data)


# --- BibTeX (pandoc) ------------------------------------------------------------------------------


def test_bibtex_accents_via_pandoc_and_broken_entries_reported() -> None:
    result = bibtex.parse(BIBTEX.encode())
    assert result.read == 4  # @string and @comment are not entries
    reasons = {p.record: p.reason for p in result.problems}
    assert set(reasons) == {2, 4}
    assert "broken2020" in reasons[2]
    first, who = result.records
    assert first.title == "Tidlig innsats i åpne barnehager: Økt språkforståelse"
    assert first.authors == (
        Author("Sæther", "Kjersti"),
        Author("Øverland", "Pål"),
        Author("Müller", "Jörg"),
    )
    assert first.container == "Tidsskrift for Den norske legeforening"
    assert (first.year, first.volume, first.issue, first.pages) == (2021, "141", "4", "112-120")
    assert first.doi == "10.4045/tidsskr.20.0123"
    assert first.keywords == ("barnehage", "språk")
    assert first.raw.startswith("@article{saether2021")
    assert who.title == "Straßenverkehr und Cafés in Østfold"  # no sentence-casing
    assert who.authors == (Author("World Health Organization", ""),)


def test_bibtex_all_good_in_one_pandoc_run() -> None:
    data = b"@article{a, title={A}, year=2001}\n@article{b, title={B}, year=2002}\n"
    result = bibtex.parse(data)
    assert [r.title for r in result.records] == ["A", "B"]
    assert result.problems == []


@pytest.mark.parametrize("data", [b"", b"just some text", bytes(range(256))])
def test_bibtex_garbage_is_a_format_error(data: bytes) -> None:
    with pytest.raises(FormatError):
        bibtex.parse(data)


# --- Tables ---------------------------------------------------------------------------------------


def test_csv_semicolon_norwegian_headers() -> None:
    text = (
        "Tittel;Forfattere;År;Tidsskrift;DOI;Sammendrag;Emneord\n"
        'Skolehelsetjenesten i Bodø;"Nilsen, Åsmund; Berg, Kari";2020;Sykepleien Forskning;'
        'https://doi.org/10.4220/Sykepleienf.2020.1;Kort;"helse, skole"\n'
        ";Uten, Tittel;2019;;;;\n"
        "Ungdom i Drammen;Lie, Ola;ukjent;;;;\n"
    )
    result = table.parse(text.encode("cp1252"), "liste.csv")
    assert result.read == 3
    assert [p.record for p in result.problems] == [2, 3]
    (record,) = result.records
    assert record.title == "Skolehelsetjenesten i Bodø"
    assert record.authors == (Author("Nilsen", "Åsmund"), Author("Berg", "Kari"))
    assert record.year == 2020
    assert record.doi == "10.4220/sykepleienf.2020.1"
    assert record.keywords == ("helse", "skole")


def test_csv_comma_english_aliases() -> None:
    text = (
        '"Article Title","Author","Publication Year","Source Title","PubMed ID","Abstract Note",'
        '"Author Keywords","Url"\n'
        '"Grüne Städte","Weiß, Anna",2018,"Umwelt","29999999","Text","x; y","https://e.org"\n'
    )
    (record,) = table.parse(text.encode(), "wos.csv").records
    assert record.title == "Grüne Städte"
    assert record.authors == (Author("Weiß", "Anna"),)
    assert (record.year, record.container, record.pmid) == (2018, "Umwelt", "29999999")
    assert record.keywords == ("x", "y")
    assert record.url == "https://e.org"


def test_xlsx() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Title", "Authors", "Year", "DOI", "PMID"])
    sheet.append(["老年人健康", "Zhang, Wei", 2021, "10.1000/ABC", 31234567.0])
    sheet.append([None, "Only, Author", 2020, None, None])
    sheet.append(["Økonomi i kommunene", None, None, "not-a-doi", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = table.parse(buffer.getvalue(), "refs.xlsx")
    assert result.read == 3
    assert [p.record for p in result.problems] == [2]
    chinese, norwegian = result.records
    assert chinese.title == "老年人健康"
    assert (chinese.year, chinese.doi, chinese.pmid) == (2021, "10.1000/abc", "31234567")
    assert norwegian.doi == ""
    assert norwegian.year is None


def test_table_errors() -> None:
    with pytest.raises(FormatError):
        table.parse(b"", "a.csv")
    with pytest.raises(FormatError, match="tittelkolonne"):
        table.parse(b"foo;bar\n1;2\n", "a.csv")
    with pytest.raises(FormatError):
        table.parse(b"\x00\x01garbage" * 10, "a.xlsx")
    with pytest.raises(FormatError):
        table.parse(b"Title\nA\n", "a.xls")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(FormatError):
        table.parse(buffer.getvalue(), "a.xlsx")


def test_bibtex_broken_everywhere_stops_bisecting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bibtex, "MAX_PANDOC_RUNS", 5)
    data = "".join(f"@article{{k{i}, title = {{Unclosed\n" for i in range(20)).encode()
    with pytest.raises(FormatError, match="så mange"):
        bibtex.parse(data)


def test_bibtex_key_with_punctuation_and_quoted_title() -> None:
    data = b'@article{Nilsen:2020/a-b, title = "Helse i {Norge}", year = "2020"}\n'
    (record,) = bibtex.parse(data).records
    assert record.title == "Helse i Norge"
    assert record.year == 2020


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("eng", "en"),
        ("English", "en"),
        ("Engelsk", "en"),
        ("en-US", "en"),
        ("nb_NO", "nb"),
        ("Nynorsk", "nn"),
        ("nor", "no"),
        ("Svenska", "sv"),
        ("da-DK", "da"),
        ("ger", "de"),
        ("Deutsch", "de"),
        ("中文", "zh"),
        ("suomi", "fi"),
        ("Klingon", "Klingon"),  # unknown: kept as written
        ("", ""),
    ],
)
def test_language_is_normalised_to_iso_639_1(value: str, code: str) -> None:
    from literature.formats.language import normalise_language

    assert normalise_language(value) == code


def test_particles_belong_to_the_family_name_in_csl_json() -> None:
    item = {
        "title": "T",
        "author": [
            {"family": "Stouwe", "given": "Trudy", "dropping-particle": "van der"},
            {"family": "Berg", "given": "Anne", "non-dropping-particle": "van den"},
        ],
    }
    (record,) = csljson.parse(json.dumps([item]).encode()).records
    assert [a.family for a in record.authors] == ["van der Stouwe", "van den Berg"]
