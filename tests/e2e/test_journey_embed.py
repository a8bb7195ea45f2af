"""Journey: a reader plays a post's YouTube video with the keyboard alone. Nothing is
asked of a third party until they do; then only youtube-nocookie.com is."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from blog import embeds
from blog.demo import DEMO_VIDEO, canned_web
from blog.rendering import render_post_markdown
from tests import factories
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def post_with_a_video():
    course = factories.CourseFactory(title="HIST 247: After Stalin", slug="hist-247")
    author = factories.UserFactory(username="dmitri")
    body = f"The crowds on the Garden Ring:\n\n{DEMO_VIDEO}\n\nLittle of it is staged."
    embeds.fetch_body_media(
        course=course, user=author, html=render_post_markdown(body), fetch=canned_web()
    )
    return factories.PostFactory(
        course=course, author=author, title="The festival on film", body=body
    )


def third_party_log(page, live_server):
    """Every request to another host is logged and aborted: the test runs offline and
    sees what the page would have asked of others."""
    ours = urlsplit(live_server.url).netloc
    asked = []

    def route(route):
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    page.context.route("**/*", route)
    return asked


def test_the_video_loads_only_when_the_reader_asks_with_the_keyboard(page, live_server):
    post = post_with_a_video()
    asked = third_party_log(page, live_server)
    page.goto(post.get_absolute_url())
    placeholder = page.locator("a.embed__link")
    expect(placeholder).to_have_attribute("role", "button")
    expect(placeholder).to_contain_text("Moscow 1957: the World Festival of Youth")
    expect(page.locator(".embed__thumbnail")).to_be_visible()
    assert_accessible(page, label="post with an embed")
    screenshot(page, "post-embed")
    page.wait_for_load_state("networkidle")
    assert asked == [], f"asked before the click: {asked}"
    assert page.locator("iframe").count() == 0

    for _ in range(80):  # Tab through the page to the placeholder
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('embed__link')"):
            break
    else:
        pytest.fail("Tab never reached the video")
    page.keyboard.press("Enter")

    player = page.locator("iframe.embed__player")
    expect(player).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/cP1957Fest0?autoplay=1"
    )
    expect(player).to_have_attribute("title", "Moscow 1957: the World Festival of Youth (newsreel)")
    page.wait_for_timeout(300)
    assert asked, "the player was never asked for"
    assert all(urlsplit(url).netloc == "www.youtube-nocookie.com" for url in asked), asked
    assert_accessible(page, label="post with the player loaded")


def test_without_javascript_the_video_is_a_plain_link(new_page, live_server):
    post = post_with_a_video()
    page = new_page(javascript=False)
    asked = third_party_log(page, live_server)
    page.goto(post.get_absolute_url())
    link = page.get_by_role("link", name="Moscow 1957")
    expect(link).to_have_attribute("href", DEMO_VIDEO)
    assert page.locator("iframe").count() == 0
    assert asked == []


def test_the_live_preview_shows_the_placeholder_and_what_went_wrong(new_page, live_server):
    course = factories.CourseFactory(title="HIST 247: After Stalin", slug="hist-247")
    author = factories.MembershipFactory(course=course).user
    page = new_page(user=author)
    asked = third_party_log(page, live_server)
    page.goto(f"/c/{course.slug}/write/")
    # Tests have no internet: the oEmbed lookup fails, the embed still shows (from the
    # URL pattern, with the URL as its title) and the author is told why.
    page.get_by_label("Text (Markdown)").fill(f"Watch:\n\n{DEMO_VIDEO}\n")
    placeholder = page.locator("#editor-preview a.embed__link")
    expect(placeholder).to_have_attribute("role", "button")
    expect(placeholder).to_contain_text(DEMO_VIDEO)
    expect(page.locator("#editor-preview-problems")).to_contain_text("shows without its title")
    assert_accessible(page, label="editor with an embed in the preview")
    assert asked == []
