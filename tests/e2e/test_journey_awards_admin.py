"""Journeys 5 and 6: an instructor recognises a post; staff moderate from the admin."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests import factories
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course_with_post():
    course = factories.CourseFactory(title="HIST 247", slug="hist-247")
    instructor = factories.MembershipFactory(
        course=course,
        role="instructor",
        user=factories.UserFactory(username="prof", display_name="Dr Marsh"),
    ).user
    author = factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="elena", display_name="Elena R")
    ).user
    post = factories.PostFactory(course=course, author=author, title="Samizdat as a network")
    return course, instructor, post


def test_instructor_defines_an_award_and_grants_it_with_a_citation(new_page, course_with_post):
    course, instructor, post = course_with_post
    page = new_page(user=instructor)
    page.goto(course.get_absolute_url())
    page.get_by_role("link", name="Manage awards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage awards")
    page.get_by_role("link", name="New award").click()
    page.get_by_role("textbox", name=re.compile(r"^Name")).fill("Comrade's Corner")
    page.get_by_role("textbox", name=re.compile(r"^Description")).fill(
        "For a post that changed how the class argued."
    )
    page.get_by_role("textbox", name=re.compile(r"^Emoji")).fill("🤝")
    page.get_by_role("button", name="Create the award").click()
    expect(page.get_by_role("link", name=re.compile("Comrade.s Corner")).first).to_be_visible()

    page.goto(post.get_absolute_url())
    page.get_by_role("link", name="Grant an award").click()
    page.get_by_role("radio", name=re.compile("Comrade")).check()
    page.get_by_role("textbox", name=re.compile(r"^Citation")).fill(
        "It showed us the people behind the pages."
    )
    page.get_by_role("button", name="Review the banner").click()
    page.get_by_role("button", name="Confirm: grant the award").click()

    banner = page.get_by_text(re.compile(r"This post received the\s+Comrade.s Corner\s+award"))
    expect(banner).to_be_visible()
    expect(page.get_by_text("It showed us the people behind the pages.")).to_be_visible()
    # The award's colour reaches the banner through site.js (no style attribute: CSP).
    colour = page.locator(".award-banner").first.get_attribute("data-award-colour")
    painted = page.locator(".award-banner").first.evaluate(
        "element => getComputedStyle(element).getPropertyValue('--award-colour').trim()"
    )
    assert painted == colour
    screenshot(page, "post-award")

    reader = new_page()
    reader.goto(course.get_absolute_url())
    card = reader.locator(".post-card", has_text="Samizdat as a network")
    expect(card.get_by_text(re.compile("Comrade.s Corner"))).to_be_visible()
    reader.goto(post.get_absolute_url())
    reader.get_by_role("link", name=re.compile("Comrade.s Corner")).first.click()
    expect(reader.get_by_role("heading", level=1)).to_contain_text("Corner")
    expect(reader.get_by_role("link", name="Samizdat as a network")).to_be_visible()
    assert_accessible(reader, label="award page")
    screenshot(reader, "award-hall-of-fame")


def test_staff_finds_the_post_in_the_admin_and_marks_a_comment_as_spam(new_page, course_with_post):
    course, instructor, post = course_with_post
    spam = Comment.objects.create(
        post=post, guest_name="Cheap Watches", guest_email="x@spam.example", body="Buy now"
    )
    staff = factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    page = new_page(user=staff)
    page.goto("/admin/")
    expect(page).to_have_title(re.compile("Commonplace administration"))
    page.get_by_role("link", name="Posts", exact=True).first.click()
    page.locator("#searchbar").fill("Samizdat")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Samizdat as a network")).to_be_visible()
    screenshot(page, "admin-posts")

    page.goto("/admin/comments/comment/")
    page.locator(f"input[name=_selected_action][value='{spam.pk}']").check()
    page.get_by_role("combobox", name=re.compile("Action")).select_option(
        label="Mark selected comments as spam"
    )
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_be_visible()
    spam.refresh_from_db()
    assert spam.status == "spam"
