import datetime

from references import formats
from references.models import Reference

BIBTEX = """
@book{cohen1985,
  author = {Cohen, Stephen F.},
  title = {Rethinking the {Soviet} Experience},
  year = {1985},
  publisher = {Oxford University Press},
  address = {New York}
}
@article{jones2012,
  author = {Polly Jones and Smith, Ann B. and {Memorial Society}},
  title = {The thaw in question},
  journal = {Slavic Review},
  volume = {71}, number = {2}, pages = {300--320}, year = 2012, month = mar,
  doi = {10.1234/sr.2012.71}
}
"""
RIS = "\n".join(
    [
        "TY  - ELEC",
        "AU  - Deutscher, Isaac",
        "TI  - Russia after Stalin",
        "T2  - Marxists Internet Archive",
        "UR  - https://example.org/russia-after-stalin",
        "Y2  - 2017/03/26",
        "ER  - ",
        "",
    ]
)


def test_bibtex_entries_become_reference_values():
    entries, errors = formats.parse(BIBTEX)
    assert errors == []
    book, article = entries
    assert book["key"] == "cohen1985" and book["kind"] == "book"
    assert book["authors"] == [{"family": "Cohen", "given": "Stephen F."}]
    assert book["title"] == "Rethinking the Soviet Experience" and book["place"] == "New York"
    assert article["authors"] == [
        {"family": "Jones", "given": "Polly"},
        {"family": "Smith", "given": "Ann B."},
        {"literal": "Memorial Society"},
    ]
    assert article["issued"] == "2012-03" and article["pages"] == "300–320"
    assert article["container_title"] == "Slavic Review" and article["doi"] == "10.1234/sr.2012.71"


def test_ris_records_become_reference_values():
    (entry,), errors = formats.parse(RIS)
    assert errors == []
    assert entry["kind"] == "webpage" and entry["key"] == "deutscher"
    assert entry["url"] == "https://example.org/russia-after-stalin"
    assert entry["accessed"] == "2017-03-26"


def test_malformed_input_is_explained():
    assert formats.parse("@book{broken, title={no end")[1] == [
        "This BibTeX could not be read (the entry starting on line 1)."
    ]
    assert "neither BibTeX" in formats.parse("Cohen, S. (1985). Rethinking.")[1][0]
    assert formats.parse("TY  - BOOK\nAU  - Someone\nER  - \n")[1] == [
        "RIS record 1 has no title (TI)."
    ]


def _references():
    return [
        Reference(
            key="jones2012",
            kind="article-journal",
            authors=[{"family": "Jones", "given": "Polly"}, {"literal": "Memorial Society"}],
            title="The thaw in question",
            container_title="Slavic Review",
            volume="71",
            issue="2",
            pages="300–320",
            issued="2012-03",
            doi="10.1234/sr.2012.71",
        ),
        Reference(
            key="deutscher",
            kind="webpage",
            authors=[{"family": "Deutscher", "given": "Isaac"}],
            title="Russia after Stalin",
            url="https://example.org/r",
            accessed=datetime.date(2017, 3, 26),
        ),
    ]


def test_bibtex_export_reads_back_the_same():
    text = formats.to_bibtex(_references())
    assert "@article{jones2012," in text and "pages = {300--320}" in text
    entries, errors = formats.parse(text)
    assert errors == []
    assert entries[0]["authors"] == _references()[0].authors
    assert entries[0]["issued"] == "2012-03" and entries[0]["pages"] == "300–320"
    assert entries[1]["url"] == "https://example.org/r" and entries[1]["accessed"] == "2017-03-26"


def test_ris_export_reads_back_the_same():
    text = formats.to_ris(_references())
    assert text.startswith("1.\nTY  - JOUR") or "TY  - JOUR" in text
    entries, errors = formats.parse(text)
    assert errors == []
    assert [entry["title"] for entry in entries] == ["The thaw in question", "Russia after Stalin"]
    assert entries[0]["pages"] == "300–320" and entries[0]["kind"] == "article-journal"
