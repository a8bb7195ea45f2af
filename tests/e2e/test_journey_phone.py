"""Journey on a phone (390 px): the bell shows with the menu closed, the calendar page
doesn't scroll sideways, and the editor's Publish is in reach from top to bottom
without covering anything."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assignments import services
from notifications.models import Notification
from tests import factories
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = 390


def in_view(page, locator):
    """The element's box is entirely inside the viewport."""
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def uncovered(page, locator):
    """What the browser finds at the element's centre is the element (or inside it)."""
    return locator.evaluate(
        """element => {
            element.scrollIntoView({block: "center"});
            const box = element.getBoundingClientRect();
            const found = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return element === found || element.contains(found);
        }"""
    )


def test_a_student_on_a_phone(new_page):
    course = factories.CourseFactory(title="HIST 247", slug="hist-247")
    student = factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="anya", display_name="Anya K")
    ).user
    post = factories.PostFactory(course=course, author=student, title="Glasnost")
    for _ in range(3):
        Notification.objects.create(recipient=student, kind="comment_on_post", post=post)
    now = timezone.now()
    services.create_assignment(
        course=course,
        title="Perestroika",
        prompt="Reform or revolution?",
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=5),
    )

    page = new_page(user=student, width=PHONE)
    page.goto("/")
    # The bell and its count with the menu closed (item 2).
    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    expect(page.locator("#site-nav")).to_be_hidden()
    bell = page.get_by_role("link", name=re.compile(r"^Notifications 3 unread"))
    expect(bell).to_be_visible()
    assert in_view(page, bell)

    # The calendar page: the address wraps, the page doesn't scroll sideways (item 6).
    page.goto(f"/assignments/{course.slug}/calendar/")
    expect(page.get_by_role("link", name="Subscribe in your calendar app")).to_have_attribute(
        "href", re.compile(r"^webcal://")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    expect(page.locator("#calendar-url")).to_be_visible()

    # The editor: Publish in reach at the top, in the middle and at the end (item 4).
    page.goto(f"/c/{course.slug}/write/")
    publish = page.get_by_role("button", name="Publish now", exact=True)
    save = page.get_by_role("button", name="Save draft")
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * 844
    for where in ("0", "document.documentElement.scrollHeight / 2", "1e6"):
        page.evaluate(f"window.scrollTo(0, {where})")
        assert in_view(page, publish) and in_view(page, save), where
    # ...and it hides nothing: the last fields and the footer come out from under it.
    assert uncovered(page, page.get_by_label("Excerpt"))
    assert uncovered(page, page.get_by_text("Add a reference"))
    page.evaluate("window.scrollTo(0, 1e6)")
    footer = page.locator(".site-footer p").last
    assert in_view(page, footer) and uncovered(page, footer)
    assert_accessible(page, label="editor at 390 px")

    page.get_by_role("textbox", name=re.compile(r"^Title")).fill("Reform, then revolution")
    page.get_by_role("textbox", name=re.compile(r"^Text")).fill("It ran out of control.")
    publish.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reform, then revolution")
