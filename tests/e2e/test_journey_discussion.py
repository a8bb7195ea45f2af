"""Journeys 2–4: discussing a post, as a classmate, a guest and a WordPress.com visitor."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests import factories
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    # One person comments several times within seconds in these journeys.
    settings.COMMENT_FLOOD_INTERVAL = 0


@pytest.fixture
def discussion():
    """A public course with guest comments moderated, a post and a two-level thread."""
    course = factories.CourseFactory(title="HIST 247", slug="hist-247")
    instructor = factories.MembershipFactory(
        course=course,
        role="instructor",
        user=factories.UserFactory(username="prof", display_name="Dr Marsh"),
    ).user
    author = factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="anya", display_name="Anya K")
    ).user
    ben = factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="ben", display_name="Ben O")
    ).user
    classmate = factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="chioma", display_name="Chioma A")
    ).user
    post = factories.PostFactory(course=course, author=author, title="The Secret Speech")
    first = Comment.objects.create(post=post, author=ben, body="The date matters.")
    second = Comment.objects.create(
        post=post, parent=first, author=author, body="Agreed, 1934 is chosen."
    )
    return {
        "course": course,
        "post": post,
        "instructor": instructor,
        "author": author,
        "ben": ben,
        "classmate": classmate,
        "first": first,
        "second": second,
    }


def test_classmate_likes_comments_and_replies_with_and_without_javascript(new_page, discussion):
    post = discussion["post"]
    page = new_page(user=discussion["classmate"])
    page.goto(post.get_absolute_url())
    page.evaluate("window.__stayed = true")  # lost if the page reloads

    # Like the post, by keyboard, without a reload.
    like = page.locator("#post-likes").get_by_role("button", name="Like")
    like.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#post-likes")).to_contain_text("Liked by 1 person")
    expect(page.locator("#post-likes").get_by_role("button")).to_have_accessible_name(
        re.compile(r"^Unlike")
    )
    assert page.evaluate("window.__stayed === true")
    # The list of who liked it was refilled in place, faces included.
    page.locator("#post-likes summary").click()
    likers = page.locator("#post-likes .liked-by li")
    expect(likers).to_have_count(1)
    expect(likers).to_contain_text(discussion["classmate"].name)
    expect(likers.locator("span[aria-hidden=true]")).to_be_visible()  # the face: initials

    # A top-level comment.
    page.get_by_role("textbox", name=re.compile(r"^Comment")).fill(
        "The speech was read aloud in Party cells."
    )
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    mine = Comment.objects.get(body__startswith="The speech was read aloud")
    expect(page).to_have_url(re.compile(rf"#comment-{mine.pk}$"))
    expect(page.locator(f"#comment-{mine.pk}")).to_contain_text("read aloud in Party cells")

    # A reply three levels deep, by keyboard: the form opens under the comment.
    page.evaluate("window.__stayed = true")
    reply = page.get_by_role("link", name="Reply to Anya K")
    reply.focus()
    page.keyboard.press("Enter")
    respond = page.locator(f"#comment-{discussion['second'].pk} #respond")
    expect(respond).to_have_accessible_name("Reply to Anya K")
    expect(respond.get_by_role("textbox", name=re.compile(r"^Comment"))).to_be_focused()
    page.keyboard.type("And by April it had reached Warsaw.")
    respond.get_by_role("button", name=re.compile("Post")).focus()
    page.keyboard.press("Enter")
    expect(
        page.locator(".comment-list").get_by_text("And by April it had reached Warsaw.")
    ).to_be_visible()
    deep = Comment.objects.get(body__startswith="And by April")
    assert deep.parent_id == discussion["second"].pk
    expect(page.locator(f"#comment-{deep.pk}")).to_be_visible()

    # Like a comment without a reload.
    page.evaluate("window.__stayed = true")
    first = page.locator(f"#comment-{discussion['first'].pk}")
    first.get_by_role("button", name="Like").first.click()
    expect(first.locator(".comment__likes, [data-likes]").first).to_contain_text(
        "Liked by 1 person"
    )
    assert page.evaluate("window.__stayed === true")
    assert_accessible(page, label="post page with a thread")
    screenshot(page, "post-discussion")

    # The same actions with JavaScript off: plain forms and redirects.
    plain = new_page(user=discussion["ben"], javascript=False)
    plain.goto(post.get_absolute_url())
    plain.locator("#post-likes").get_by_role("button", name="Like").click()
    expect(plain.locator("#post-likes")).to_contain_text("Liked by 2 people")
    plain.locator(f"#comment-{mine.pk}").get_by_role("link", name="Reply to Chioma A").first.click()
    plain.get_by_role("textbox", name=re.compile(r"^(Comment|Reply)")).fill(
        "Without JavaScript, still here."
    )
    plain.get_by_role("button", name=re.compile("Post")).click()
    expect(
        plain.locator(".comment-list").get_by_text("Without JavaScript, still here.")
    ).to_be_visible()
    nojs = Comment.objects.get(body__startswith="Without JavaScript")
    expect(plain).to_have_url(re.compile(rf"#comment-{nojs.pk}$"))
    expect(plain.locator(f"#comment-{nojs.pk}")).to_be_visible()
    third = plain.locator(f"#comment-{mine.pk}")
    third.get_by_role("button", name="Like").first.click()
    expect(plain.locator(f"#comment-{mine.pk}")).to_contain_text("Liked by 1 person")


def test_guest_comment_is_held_then_approved_by_the_instructor(new_page, discussion):
    post = discussion["post"]
    guest = new_page()
    guest.goto(post.get_absolute_url())
    assert_accessible(guest, label="post page, signed out")
    guest.get_by_role("textbox", name=re.compile(r"^Comment")).fill(
        "A question from a visitor about the sources."
    )
    guest.get_by_role("textbox", name=re.compile(r"^Name")).fill("Margaret Visitor")
    guest.get_by_role("textbox", name=re.compile(r"^Email")).fill("margaret@example.org")
    guest.get_by_role("button", name="Post comment").click()
    expect(guest.get_by_text("Your comment is awaiting moderation.")).to_be_visible()
    expect(guest.get_by_text("A question from a visitor about the sources.")).to_be_visible()

    stranger = new_page()
    stranger.goto(post.get_absolute_url())
    expect(stranger.get_by_text("A question from a visitor")).to_have_count(0)

    teacher = new_page(user=discussion["instructor"])
    teacher.goto(discussion["course"].get_absolute_url())
    teacher.get_by_role("link", name=re.compile("Moderat")).first.click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Comments to moderate")
    assert_accessible(teacher, label="moderation queue")
    screenshot(teacher, "moderation")
    teacher.get_by_label(re.compile("Margaret Visitor")).check()
    teacher.get_by_role("button", name="Approve").first.click()

    stranger.reload()
    expect(stranger.get_by_text("A question from a visitor about the sources.")).to_be_visible()


def test_visitor_signs_in_with_wordpress_com_from_the_comment_form(new_page, discussion):
    page = new_page()
    page.goto(discussion["post"].get_absolute_url())
    page.locator("#respond").get_by_role("link", name="Sign in with WordPress.com").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to WordPress.com")
    assert_accessible(page, label="WordPress.com stand-in")
    page.get_by_label("Your name").fill("Wendy Press")
    page.get_by_role("textbox", name=re.compile(r"^Email address")).fill("wendy@example.org")
    page.get_by_role("button", name=re.compile("Continue")).click()
    expect(page.get_by_text("You are commenting using your WordPress.com account.")).to_be_visible()
    screenshot(page, "comment-form-wordpress")
