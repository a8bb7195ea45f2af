"""Journey: an instructor switches comments on for the Syllabus in the page editor; a
student asks a question on it, a classmate replies by keyboard and likes it without a
reload; a guest's question waits for moderation; axe on each page (issue 26)."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests import factories
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    settings.COMMENT_FLOOD_INTERVAL = 0


def test_a_syllabus_with_comments_on_is_discussed_like_a_post(new_page):
    course = factories.CourseFactory(title="HIST 247", slug="hist-247")
    people = {
        name: factories.MembershipFactory(
            course=course, role=role, user=factories.UserFactory(username=name, display_name=shown)
        ).user
        for name, role, shown in [
            ("prof", "instructor", "Dr Marsh"),
            ("ben", "student", "Ben O"),
            ("chioma", "student", "Chioma A"),
        ]
    }
    syllabus = factories.PageFactory(
        course=course, author=people["prof"], title="Syllabus", slug="syllabus", body="Essays."
    )

    editor = new_page(user=people["prof"])
    editor.goto(syllabus.get_absolute_url())
    expect(editor.locator("#comments")).to_have_count(0)  # off by default
    editor.get_by_role("link", name="Edit page").click()
    switch = editor.get_by_role("checkbox", name="Allow comments")
    expect(switch).not_to_be_checked()
    switch.check()
    editor.get_by_role("button", name="Update", exact=True).click()
    expect(editor.get_by_role("heading", name="No comments yet")).to_be_visible()

    ben = new_page(user=people["ben"])
    ben.goto(syllabus.get_absolute_url())
    ben.get_by_role("textbox", name=re.compile(r"^Comment")).fill("Do quotations count?")
    ben.get_by_role("button", name="Post comment").click()
    question = Comment.objects.get(body="Do quotations count?")
    expect(ben).to_have_url(re.compile(rf"/pages/syllabus/#comment-{question.pk}$"))
    assert question.page_id == syllabus.pk

    chioma = new_page(user=people["chioma"])
    chioma.goto(syllabus.get_absolute_url())
    chioma.evaluate("window.__stayed = true")
    reply = chioma.get_by_role("link", name="Reply to Ben O")
    reply.focus()
    chioma.keyboard.press("Enter")
    respond = chioma.locator(f"#comment-{question.pk} #respond")
    expect(respond.get_by_role("textbox", name=re.compile(r"^Comment"))).to_be_focused()
    chioma.keyboard.type("They do: quote only what you argue with.")
    respond.get_by_role("button", name=re.compile("Post")).click()
    expect(chioma.get_by_text("They do: quote only what you argue with.")).to_be_visible()
    assert Comment.objects.get(body__startswith="They do").parent_id == question.pk
    chioma.evaluate("window.__stayed = true")
    card = chioma.locator(f"#comment-{question.pk}")
    card.get_by_role("button", name="Like").first.click()
    expect(card.locator("[data-likes]").first).to_contain_text("Liked by 1 person")
    assert chioma.evaluate("window.__stayed === true")
    assert_accessible(chioma, label="a course page with a discussion")
    screenshot(chioma, "page-discussion")

    guest = new_page()
    guest.goto(syllabus.get_absolute_url())
    guest.get_by_role("textbox", name=re.compile(r"^Comment")).fill("Is the essay group work?")
    guest.get_by_role("textbox", name=re.compile(r"^Name")).fill("Margaret Visitor")
    guest.get_by_role("textbox", name=re.compile(r"^Email")).fill("margaret@example.org")
    guest.get_by_role("button", name="Post comment").click()
    expect(guest.get_by_text("Your comment is awaiting moderation.")).to_be_visible()
    assert_accessible(guest, label="a course page, signed out, a held comment")
