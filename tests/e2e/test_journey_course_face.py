"""Journey: an instructor gives the course a header image, sets its focal point by
clicking the preview and picks an accent; pins a post; a student sees it marked "New"
at 390 px in the dark theme, opens it, and the mark is gone. No CSP violation (the
course's colours and focal point come in a nonced style), no serious axe finding."""

import pytest
from playwright.sync_api import expect

from blog.models import Course
from tests import factories
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_course_gets_a_face_and_an_announcement(new_page, picture):
    course = factories.CourseFactory(title="HIST 247: After Stalin", slug="hist-247")
    teacher = factories.MembershipFactory(course=course, role="instructor").user
    student = factories.MembershipFactory(course=course).user
    post = factories.PostFactory(course=course, author=teacher, title="Read the syllabus")

    page = new_page(user=teacher)
    page.goto(f"/c/{course.slug}/manage/settings/")
    page.set_input_files("#id_header_upload", str(picture))
    page.get_by_label("Crimson").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".alert-success")).to_contain_text("saved")

    preview = page.locator(".focal__image")
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(page.locator("#id_header_focus_x")).to_have_value("25")
    expect(page.locator("#id_header_focus_y")).to_have_value("75")
    assert "25% 75%" in page.locator(".focal__phone").evaluate("e => e.style.objectPosition")
    assert_accessible(page, label="course settings")
    page.get_by_role("button", name="Save settings").click()
    course.refresh_from_db()
    assert (course.header_focus_x, course.header_focus_y, course.accent) == (25, 75, "crimson")

    page.goto(post.get_absolute_url())
    page.get_by_role("link", name="Pin as an announcement").click()
    page.get_by_role("button", name="Pin it").click()
    expect(page.get_by_role("button", name="Unpin")).to_be_visible()

    reader = new_page(user=student, width=390, color_scheme="dark")
    reader.goto(course.get_absolute_url())
    header = reader.locator(".course-face__image")
    expect(header).to_be_visible()
    assert header.evaluate("e => getComputedStyle(e).objectPosition") == "25% 75%"
    accent = reader.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
    )
    assert accent == "#f29aa8"  # crimson's dark shade (blog/palette.py)
    box = reader.locator(".announcements")
    expect(box).to_contain_text("Read the syllabus")
    expect(box.locator(".status-badge--new")).to_have_text("New")
    assert_accessible(reader, label="course page, dark, phone")
    screenshot(reader, "course-face-dark")
    box.get_by_role("link", name="Read the syllabus").click()
    reader.goto(course.get_absolute_url())
    expect(reader.locator(".announcements")).to_contain_text("Read the syllabus")
    expect(reader.locator(".announcements .status-badge--new")).to_have_count(0)
    assert Course.objects.get(pk=course.pk).accent == "crimson"
