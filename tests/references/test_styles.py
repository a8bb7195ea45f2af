"""Each citation style renders known entries exactly as its rules say.

The expected strings were written from the style manuals' rules (APA 7, MLA 9, Chicago
author-date 17), not copied from the renderer's output."""

import datetime

import pytest

from references.citekeys import cited_keys, unknown_keys
from references.citing import Renderer, load_style, parse_locator
from references.models import Reference

BOOK = Reference(
    key="cohen1985",
    kind="book",
    authors=[{"family": "Cohen", "given": "Stephen F."}],
    title="Rethinking the Soviet experience: Politics and history since 1917",
    publisher="Oxford University Press",
    issued="1985",
)
ARTICLE = Reference(
    key="jones2012",
    kind="article-journal",
    authors=[{"family": "Jones", "given": "Polly"}, {"family": "Smith", "given": "Ann B."}],
    title="The thaw in question",
    container_title="Slavic Review",
    volume="71",
    issue="2",
    pages="300-320",
    issued="2012",
    doi="10.1234/sr.2012.71",
)
WEBPAGE = Reference(
    key="deutscher",
    kind="webpage",
    authors=[{"family": "Deutscher", "given": "Isaac"}],
    title="Russia after Stalin",
    container_title="Marxists Internet Archive",
    url="https://example.org/russia-after-stalin",
    accessed=datetime.date(2017, 3, 26),
)
REPORT = Reference(
    key="unesco2010",
    kind="report",
    authors=[{"literal": "UNESCO"}],
    title="World heritage report",
    publisher="UNESCO",
    issued="2010-05-03",
)

EXPECTED = {
    "apa": [
        "Cohen, S. F. (1985). <i>Rethinking the Soviet experience: Politics and history since "
        "1917</i>. Oxford University Press.",
        "Jones, P., &amp; Smith, A. B. (2012). The thaw in question. <i>Slavic Review</i>, "
        "<i>71</i>(2), 300–320. https://doi.org/10.1234/sr.2012.71",
        "Deutscher, I. (n.d.). <i>Russia after Stalin</i>. Marxists Internet Archive. Retrieved "
        "March 26, 2017, from https://example.org/russia-after-stalin",
        "UNESCO. (2010). <i>World heritage report</i>. UNESCO.",
    ],
    "mla": [
        "Cohen, Stephen F. <i>Rethinking the Soviet Experience: Politics and History Since "
        "1917</i>. Oxford University Press, 1985.",
        "Jones, Polly, and Ann B. Smith. “The Thaw in Question.” <i>Slavic Review</i>, vol. 71, "
        "no. 2, 2012, pp. 300–20, https://doi.org/10.1234/sr.2012.71.",
        "Deutscher, Isaac. “Russia After Stalin.” <i>Marxists Internet Archive</i>, "
        "https://example.org/russia-after-stalin. Accessed 26 Mar. 2017.",
        "UNESCO. <i>World Heritage Report</i>. UNESCO, 3 May 2010.",
    ],
    "chicago-author-date": [
        "Cohen, Stephen F. 1985. <i>Rethinking the Soviet Experience: Politics and History "
        "Since 1917</i>. Oxford University Press.",
        "Jones, Polly, and Ann B. Smith. 2012. “The Thaw in Question.” <i>Slavic Review</i> 71 "
        "(2): 300–320. https://doi.org/10.1234/sr.2012.71.",
        "Deutscher, Isaac. n.d. “Russia After Stalin.” Marxists Internet Archive. Accessed March "
        "26, 2017. https://example.org/russia-after-stalin.",
        "UNESCO. 2010. <i>World Heritage Report</i>. UNESCO.",
    ],
}
IN_TEXT = {
    # [@cohen1985, p. 16], [@jones2012], [@deutscher]
    "apa": ["(Cohen, 1985, p. 16)", "(Jones &amp; Smith, 2012)", "(Deutscher, n.d.)"],
    "mla": ["(Cohen 16)", "(Jones and Smith)", "(Deutscher)"],
    "chicago-author-date": ["(Cohen 1985, 16)", "(Jones and Smith 2012)", "(Deutscher, n.d.)"],
}


def _text(html):
    """An entry without the links we add around URLs."""
    import re

    return re.sub(r"<a [^>]*>(.*?)</a>", r"\1", html)


@pytest.mark.parametrize("style", EXPECTED)
def test_each_style_renders_the_known_entries_exactly(style):
    renderer = Renderer([BOOK, ARTICLE, WEBPAGE, REPORT], style)
    assert [_text(html) for _, html in renderer.entries()] == EXPECTED[style]


@pytest.mark.parametrize("style", IN_TEXT)
def test_in_text_citations_follow_the_style(style):
    renderer = Renderer([BOOK, ARTICLE, WEBPAGE], style)
    cited = [
        renderer.cite("@cohen1985, p. 16"),
        renderer.cite("@jones2012"),
        renderer.cite("@deutscher"),
    ]
    assert [_text(html) for html in cited] == IN_TEXT[style]


def test_a_citation_links_to_its_entry():
    html = Renderer([BOOK], "apa").link_citations("<p>As argued [@cohen1985, pp. 16-18].</p>")
    assert html == (
        '<p>As argued <a class="citation" href="#ref-cohen1985">(Cohen, 1985, pp. 16–18)</a>.</p>'
    )


def test_several_works_in_one_citation():
    html = Renderer([BOOK, ARTICLE], "apa").link_citations("[@jones2012; @cohen1985]")
    assert "(Cohen, 1985; Jones &amp; Smith, 2012)" in html


def test_unknown_keys_are_marked_not_rendered():
    html = Renderer([BOOK], "apa").link_citations("<p>See [@nobody2020].</p>")
    assert '<mark class="citation-unknown">[@nobody2020]</mark>' in html


def test_urls_in_entries_are_links_with_nofollow():
    ((_, html),) = Renderer([WEBPAGE], "apa").entries()
    assert (
        '<a href="https://example.org/russia-after-stalin" rel="nofollow ugc noopener">'
        "https://example.org/russia-after-stalin</a>"
    ) in html


def test_every_field_is_escaped():
    hostile = Reference(
        key="x1",
        kind="book",
        authors=[{"family": "<img src=x onerror=alert(1)>", "given": "A"}],
        title='<script>alert("t")</script>',
        publisher="<b>Press</b>",
        issued="2000",
    )
    ((_, html),) = Renderer([hostile], "apa").entries()
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_keys_and_locators_are_read_from_the_markdown():
    text = "One [@a1, p. 3] two [@b2; @a1] three [not a cite] [@c3, ch. 2]."
    assert cited_keys(text) == ["a1", "b2", "c3"]
    assert unknown_keys(text, [Reference(key="a1"), Reference(key="c3")]) == ["b2"]
    assert parse_locator("pp. 16-18").label == "page"
    assert parse_locator("ch. 2").label == "chapter"
    assert parse_locator("42").identifier == "42"


def test_styles_are_parsed_once():
    assert load_style("mla") is load_style("mla")
