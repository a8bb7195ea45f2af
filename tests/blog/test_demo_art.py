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


def test_the_course_header_is_wide_with_its_subject_at_the_focal_point():
    image = demo_art.course_header(("#5b1f2a", "#e9a46b"))
    assert image.size == (demo_art.HEADER_WIDTH, demo_art.HEADER_HEIGHT)
    x, y = demo_art.HEADER_FOCUS
    # The star on the spire is the one red thing in the picture, right above the point.
    star_x = round(demo_art.HEADER_WIDTH * x / 100)
    red = image.getpixel((star_x, demo_art.HEADER_HEIGHT - 580))
    assert red[0] > 180 and red[1] < 90 and red[2] < 90


def test_the_seeded_course_has_a_face_and_a_pinned_announcement(db, settings):
    from io import StringIO

    from django.core.management import call_command

    from blog.models import AnnouncementSeen, Course, Post

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    course = Course.objects.get(slug=demo.COURSE["slug"])
    assert course.accent == "crimson" and len(course.header_renditions) == 2
    assert (course.header_focus_x, course.header_focus_y) == demo_art.HEADER_FOCUS
    pinned = Post.objects.filter(course=course).pinned_now()
    assert [post.title for post in pinned] == [demo.ANNOUNCEMENT[0]]
    # New for the students, not for the instructor who wrote and pinned it.
    seen = set(
        AnnouncementSeen.objects.filter(post=pinned[0]).values_list("user__username", flat=True)
    )
    assert seen == {"hmarsh"}
