import pytest

from blog.rendering import excerpt_from_html, render_comment_markdown, render_post_markdown

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div onclick="alert(1)">x</div>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<form action="https://evil.example"><input name=q></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="vbscript:msgbox(1)">x</a>',
    "`<script>` is fine as code",
]

FORBIDDEN = [
    "<script",
    "onerror",
    "onload",
    "onclick",
    "ontoggle",
    "javascript:",
    "vbscript:",
    "data:",
    "<iframe",
    "style=",
    "<style",
    "<object",
    "<embed",
    "<form",
    "<base",
    "<meta",
    "<link",
    "<svg",
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
@pytest.mark.parametrize("render", [render_post_markdown, render_comment_markdown])
def test_markdown_full_of_html_and_script_comes_out_inert(render, vector):
    html = render(vector).lower()
    for needle in FORBIDDEN:
        assert needle not in html, (vector, html)


def test_post_markdown_supports_footnotes_tables_quotes_and_smart_quotes():
    html = render_post_markdown(
        '"Quoted" text[^1]\n\n> A quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: A source.'
    )
    assert "“Quoted”" in html
    assert '<a class="footnote-ref" href="#fn:1">1</a>' in html
    assert '<div class="footnote">' in html
    assert "<blockquote>" in html
    assert "<table>" in html


def test_headings_are_shifted_below_the_page_h1():
    html = render_post_markdown("# Big\n\n## Smaller")
    assert "<h1" not in html
    assert "<h2" in html and "<h3" in html


def test_external_links_get_nofollow_ugc_noopener_and_local_links_do_not():
    html = render_post_markdown("[out](https://example.org/page) and [in](/c/history/)")
    assert '<a href="https://example.org/page" rel="nofollow ugc noopener">out</a>' in html
    assert '<a href="/c/history/">in</a>' in html


def test_comment_subset_has_no_images_or_headings():
    html = render_comment_markdown("# Title\n\n![pic](https://example.org/x.png) *yes* `code`")
    assert "<h" not in html.replace("<hr", "")
    assert "<img" not in html
    assert "<em>yes</em>" in html and "<code>code</code>" in html


def test_excerpt_skips_footnotes_and_stops_at_forty_words():
    html = render_post_markdown(" ".join(["word"] * 60) + "[^1]\n\n[^1]: Not in the excerpt.")
    excerpt = excerpt_from_html(html)
    assert excerpt.endswith("…")
    assert len(excerpt.split()) == 40
    assert "excerpt" not in excerpt
