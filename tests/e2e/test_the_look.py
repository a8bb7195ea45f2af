"""The look, measured in the browser (issue 27): breadcrumbs line up with the title on
narrow centred pages, references read alike everywhere, inline code in the site's
palette, captions smaller than the text, and the admin's Posts list fits at 1280 px."""

import pytest
from django.urls import reverse

from references.models import Reference
from tests import factories
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PINK = "rgb(214, 51, 132)"  # Bootstrap's --bs-code-color


@pytest.fixture
def site():
    course = factories.CourseFactory(title="HIST 247: The Soviet Union after Stalin")
    instructor = factories.MembershipFactory(course=course, role="instructor").user
    student = factories.MembershipFactory(course=course).user
    post = factories.PostFactory(
        course=course,
        author=student,
        title="What the Secret Speech did not say",
        body=(
            "The file is `fond 5, opis 30` in the archive [@jones].\n\n"
            '<figure><img src="/static/img/favicon.svg" alt="" width="40" height="40">'
            "<figcaption>A caption under the figure.</figcaption></figure>\n\n"
            "More text after the figure."
        ),
    )
    Reference.objects.create(
        post=post, key="jones", title="The dilemmas of de-Stalinization", issued="2006",
        authors=[{"family": "Jones", "given": "Polly"}], publisher="Routledge",
    )  # fmt: skip
    post.save()
    return {"course": course, "instructor": instructor, "student": student, "post": post}


def left(page, selector):
    return page.locator(selector).first.bounding_box()["x"]


@pytest.mark.parametrize("width", [1280, 390])
def test_breadcrumbs_line_up_with_the_title_on_narrow_centred_pages(new_page, site, width):
    course, post = site["course"], site["post"]
    instructor = new_page(user=site["instructor"], width=width)
    author = new_page(user=site["student"], width=width)
    for page, url in [
        (instructor, reverse("references:bibliography", args=[course.slug])),
        (instructor, reverse("references:reference_list", args=[course.slug, post.slug])),
        (instructor, reverse("awards:award_create", args=[course.slug])),
        (author, reverse("blog:post_delete", args=[course.slug, post.slug])),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        # The title's box: the card around it on confirmation pages, else the heading.
        title = ".surface" if page.locator(".surface h1").count() else "h1"
        assert abs(left(page, ".breadcrumb") - left(page, title)) <= 2, url


def font(page, selector):
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).fontFamily")


def test_the_bibliography_is_set_like_a_posts_references(new_page, site):
    course, post = site["course"], site["post"]
    page = new_page()
    page.goto(post.get_absolute_url())
    in_post = font(page, ".references__list li")
    assert "Serif" in in_post
    page.goto(reverse("references:bibliography", args=[course.slug]))
    assert font(page, ".bibliography__entry .reference") == in_post


def luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b):
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def colours(page, selector):
    """The element's text colour and the first opaque background behind it."""
    return page.locator(selector).first.evaluate(
        """e => {
          const rgb = s => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
          const ink = rgb(getComputedStyle(e).color);
          let node = e, bg = null;
          while (node && node.nodeType === 1) {
            const c = rgb(getComputedStyle(node).backgroundColor);
            if (c.length === 3 || c[3] > 0) { bg = c.slice(0, 3); break; }
            node = node.parentElement;
          }
          return [ink.slice(0, 3), bg || [255, 255, 255]];
        }"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_inline_code_is_in_the_sites_palette_with_aa_contrast(new_page, site, scheme):
    course = site["course"]
    page = new_page(user=site["instructor"], color_scheme=scheme)
    page.goto(site["post"].get_absolute_url())
    ink, background = colours(page, ".prose code")
    assert contrast(ink, background) >= 4.5
    # Outside a post too (help texts, the settings page, the import page).
    page.goto(reverse("imports:import_start", args=[course.slug]))
    page.evaluate("document.querySelector('h1').insertAdjacentHTML('afterend', '<code>x</code>')")
    code = page.locator("main code").first
    assert code.evaluate("e => getComputedStyle(e).color") != PINK
    ink, background = colours(page, "main code")
    assert contrast(ink, background) >= 4.5


def test_a_caption_in_a_post_is_smaller_and_muted(new_page, site):
    page = new_page()
    page.goto(site["post"].get_absolute_url())
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    body = page.locator(".prose p").first.evaluate(size)
    caption = page.locator(".prose figcaption").first.evaluate(size)
    assert caption < 0.85 * body
    ink = page.locator(".prose p").first.evaluate("e => getComputedStyle(e).color")
    assert page.locator(".prose figcaption").first.evaluate("e => getComputedStyle(e).color") != ink


def test_the_admins_post_list_fits_at_1280_px(new_page, site):
    for n in range(3):
        factories.PostFactory(
            course=site["course"],
            title=f"Queues, kitchens and the meaning of stagnation in the late Soviet home {n}",
        )
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    page = new_page(user=staff, width=1280)
    page.goto(reverse("admin:blog_post_changelist"))
    table = page.locator("#result_list")
    box = page.locator(".results").bounding_box()

    assert table.bounding_box()["width"] <= box["width"] + 1
    assert page.locator("#result_list th.column-status").is_visible()
    status = page.locator("#result_list th.column-status").bounding_box()
    assert status["x"] + status["width"] <= box["x"] + box["width"] + 1
    for link in page.locator("#result_list th.field-post a").all():
        lines = link.evaluate(
            """a => {
              const byline = a.querySelector('.changelist-byline').getBoundingClientRect().height;
              const style = getComputedStyle(a);
              const line = parseFloat(style.lineHeight) || 1.3 * parseFloat(style.fontSize);
              return (a.getBoundingClientRect().height - byline) / line;
            }"""
        )
        assert lines < 3.5, link.inner_text()  # the longest titles: three lines at most


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_emblem_picker_is_accessible_and_works_by_keyboard(new_page, site, scheme):
    course = site["course"]
    page = new_page(user=site["instructor"], color_scheme=scheme)
    page.goto(reverse("awards:award_create", args=[course.slug]))
    assert_accessible(page, label=f"award form ({scheme})")
    page.get_by_role("radio", name="Emoji").focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("radio", name="Laurel").is_checked()
    page.get_by_role("textbox", name="Name").fill("Laurels")
    page.get_by_role("button", name="Create the award").click()
    page.goto(reverse("awards:award_list", args=[course.slug]))
    assert page.locator(".award-card svg.award-emblem__drawing").count() == 1
