"""Journey 1: a student signs up, joins a course, writes and publishes a post."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_student_signs_up_joins_writes_previews_and_publishes(page, picture):
    course = factories.CourseFactory(title="HIST 247: After Stalin", slug="hist-247")
    factories.MembershipFactory(
        course=course, role="instructor", user=factories.UserFactory(username="prof")
    )

    page.goto("/accounts/signup/")
    assert_accessible(page, label="sign-up page")
    screenshot(page, "signup")
    page.get_by_label("Email").fill("nadia@example.edu")
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Password*", exact=True).fill("a-long-pass-phrase-42")
    page.get_by_label("Password (again)*", exact=True).fill("a-long-pass-phrase-42")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Hello, nadia")).to_be_visible()

    page.get_by_role("link", name="Join a course").first.click()
    page.get_by_label("Join code").fill(course.join_code)
    page.get_by_role("button", name="Join the course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    expect(page.get_by_text("Welcome to")).to_be_visible()

    page.get_by_role("link", name="Write a post").click()
    page.get_by_label("Title").fill("The speech and its silences")
    body = page.get_by_label("Text (Markdown)")
    body.fill("What the speech left out matters.\n\n> It attacks a man, not a system.\n\n")
    body.press("End")
    page.get_by_role("button", name="Footnote").click()
    body.press("Control+End")
    expect(page.locator("#editor-preview blockquote")).to_contain_text("not a system")
    expect(page.locator("#editor-preview .footnote")).to_be_visible()
    assert_accessible(page, label="editor")
    screenshot(page, "editor")

    page.get_by_label("Choose an image").set_input_files(str(picture))
    # With JavaScript, Preview previews on the page: the chosen image stays chosen.
    url = page.url
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.locator("#editor-preview blockquote")).to_contain_text("not a system")
    assert page.url == url
    assert page.get_by_label("Choose an image").evaluate("input => input.files.length") == 1
    page.get_by_label("Image description (alt text)").fill("A green sun on a yellow ground")
    page.get_by_label("Image caption").fill("My own drawing.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved")).to_be_visible()

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The speech and its silences")
    expect(page.locator(".prose blockquote")).to_contain_text("not a system")
    expect(page.get_by_role("img", name="A green sun on a yellow ground")).to_be_visible()
    screenshot(page, "post")

    page.get_by_role("link", name=course.title).first.click()
    expect(page.get_by_role("link", name="The speech and its silences")).to_be_visible()
    assert_accessible(page, label="course page")
    screenshot(page, "course")
