"""Demo illustrations: one distinct picture per demo post, described by its alt text,
never the post's title printed again."""

from PIL import ImageChops

from blog import demo, demo_art


def test_every_demo_post_has_its_own_motif():
    titles = [entry[1] for entry in demo.POSTS]
    assert set(demo.ART) == set(titles)
    assert len(set(demo.ART.values())) == len(titles)


def test_illustrations_differ_and_alt_text_describes_the_picture_not_the_title():
    pictures = []
    for n, (_, title, _, _, colours, _) in enumerate(demo.POSTS):
        motif = demo.ART[title]
        image = demo_art.illustration(motif, colours, n)
        assert image.size == (1600, 900)
        assert title not in demo_art.alt_text(motif)
        pictures.append(image.convert("L").resize((64, 36)))
    for i, first in enumerate(pictures):
        for second in pictures[i + 1 :]:
            difference = ImageChops.difference(first, second).getbbox()
            assert difference is not None
