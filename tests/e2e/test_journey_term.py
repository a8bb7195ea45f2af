"""Journey: at the end of a term an instructor copies the course to the next term
(seeing every new date before confirming), then closes the old one; a student sees the
banner and no way to write."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from assignments import services as assignment_services
from blog.models import Course
from tests import factories
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NEW_YORK = ZoneInfo("America/New_York")


def test_copy_to_a_new_term_then_close(new_page):
    course = factories.CourseFactory(
        title="HIST 247: The Cold War",
        slug="hist-247",
        term="Fall 2026",
        time_zone="America/New_York",
        term_start=date(2026, 8, 31),
    )
    instructor = factories.MembershipFactory(
        course=course,
        role="instructor",
        user=factories.UserFactory(username="prof", display_name="Dr Marsh"),
    ).user
    student = factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="elena", display_name="Elena R")
    ).user
    factories.TopicFactory(course=course, name="1953: Thaw")
    factories.AwardFactory(course=course, name="Best use of sources", emoji="📜")
    factories.PostFactory(course=course, author=instructor, title="Syllabus and reading list")
    post = factories.PostFactory(course=course, author=student, title="Khrushchev's speech")
    for title, opens, due in [
        ("The Thaw in three documents", (2026, 9, 1, 9), (2026, 9, 15, 17)),
        ("Samizdat and its readers", (2026, 10, 20, 9), (2026, 11, 3, 17)),
        ("Final essay", (2026, 11, 10, 9), (2026, 12, 8, 23, 59)),
    ]:
        assignment_services.create_assignment(
            course=course,
            title=title,
            prompt="Write.",
            opens_at=datetime(*opens, tzinfo=NEW_YORK),
            due_at=datetime(*due, tzinfo=NEW_YORK),
            points=10,
        )

    teacher = new_page(user=instructor)
    teacher.goto(course.get_absolute_url())
    teacher.goto(f"/c/{course.slug}/manage/term/")
    teacher.get_by_role("link", name="Copy to a new term…").click()
    teacher.get_by_label("New title").fill("HIST 247: The Cold War (2027)")
    teacher.get_by_label("New address").fill("hist-247-2027")
    teacher.get_by_label("Term", exact=True).fill("Fall 2027")
    teacher.get_by_label("The new term starts on").fill("2027-08-30")
    screenshot(teacher, "term-copy-form")
    teacher.get_by_role("button", name="Show the new dates").click()
    expect(teacher.get_by_role("heading", name="Confirm the copy")).to_be_visible()
    expect(teacher.get_by_text("Tue 2 Nov 2027, 17:00")).to_be_visible()  # EDT: still 17:00
    assert_accessible(teacher, label="copy confirmation")
    screenshot(teacher, "term-copy-confirm")
    teacher.get_by_role("button", name="Copy the course").click()
    expect(teacher.get_by_text(re.compile("is ready. Share its join code"))).to_be_visible()
    new = Course.objects.get(slug="hist-247-2027")
    assert new.assignments.count() == 3 and new.posts.count() == 1

    teacher.goto(f"/c/{course.slug}/manage/term/")
    teacher.get_by_role("link", name="Close the course…").click()
    teacher.get_by_role("button", name="Close the course").click()
    expect(teacher.get_by_role("button", name="Reopen the course")).to_be_visible()

    reader = new_page(user=student)
    reader.goto(post.get_absolute_url())
    expect(reader.get_by_text(re.compile("This course ended on"))).to_be_visible()
    expect(reader.get_by_text("This course has ended: its discussion is closed.")).to_be_visible()
    expect(reader.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    assert_accessible(reader, label="closed post page")
    screenshot(reader, "term-closed-post")
    reader.goto(course.get_absolute_url())
    screenshot(reader, "term-closed-course")
