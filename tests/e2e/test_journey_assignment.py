"""Journey: an instructor sets an assignment, a student answers it, the instructor gives
private feedback and a grade, and the student sees both."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_assignment_from_prompt_to_grade(new_page):
    course = factories.CourseFactory(title="HIST 247", slug="hist-247")
    instructor = factories.MembershipFactory(
        course=course,
        role="instructor",
        user=factories.UserFactory(username="prof", display_name="Dr Marsh"),
    ).user
    student = factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="elena", display_name="Elena R")
    ).user
    now = timezone.now()

    teacher = new_page(user=instructor)
    teacher.goto(course.get_absolute_url())
    teacher.get_by_role("link", name="Prompts and due dates").click()
    teacher.get_by_role("link", name="New assignment").click()
    teacher.get_by_role("textbox", name=re.compile(r"^Title")).fill("The Thaw in three documents")
    teacher.get_by_role("textbox", name=re.compile(r"^Prompt")).fill(
        "Read the Secret Speech, *Novy Mir* 1962 and a letter. What changed?"
    )
    teacher.locator("#id_opens_at").fill(local_input(now - timedelta(days=1)))
    teacher.locator("#id_due_at").fill(local_input(now + timedelta(days=3)))
    teacher.get_by_role("spinbutton", name="Points", exact=True).fill("10")
    teacher.get_by_role("button", name="Save assignment").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("The Thaw in three documents")

    writer = new_page(user=student)
    writer.goto(course.get_absolute_url())
    writer.get_by_role("link", name="Prompts and due dates").click()
    writer.get_by_role("link", name="The Thaw in three documents").click()
    assert_accessible(writer, label="assignment page")
    writer.get_by_role("button", name="Write your response").click()
    writer.get_by_role("textbox", name=re.compile(r"^Title")).fill("What the Thaw let in")
    writer.get_by_role("textbox", name=re.compile(r"^Text")).fill(
        "The speech opened a door the journal walked through."
    )
    expect(writer.get_by_label("This post answers")).to_have_value(re.compile(r"\d+"))
    writer.get_by_role("button", name="Publish").click()
    expect(writer.get_by_role("heading", level=1)).to_have_text("What the Thaw let in")
    expect(writer.get_by_text(re.compile("Not graded yet"))).to_be_visible()

    teacher.reload()
    teacher.get_by_role("link", name="Submitted").click()
    expect(teacher.get_by_role("heading", name="The submitted version")).to_be_visible()
    teacher.get_by_role("textbox", name=re.compile(r"^Private feedback")).fill(
        "A good door metaphor: now quote the letter."
    )
    teacher.get_by_role("button", name="Send feedback").click()
    teacher.get_by_role("textbox", name=re.compile(r"^Points")).fill("8.5")
    teacher.get_by_role("button", name="Save grade").click()
    expect(teacher.get_by_text(re.compile(r"Now: 8\.5 / 10"))).to_be_visible()
    screenshot(teacher, "assignment-submission")
    assert_accessible(teacher, label="submission page")

    writer.reload()
    expect(writer.get_by_text("Grade: 8.5 / 10")).to_be_visible()
    expect(writer.get_by_text("A good door metaphor: now quote the letter.")).to_be_visible()
    screenshot(writer, "assignment-post-feedback")

    teacher.goto(f"/assignments/{course.slug}/gradebook/")
    expect(teacher.get_by_role("cell", name=re.compile("Submitted"))).to_be_visible()
    screenshot(teacher, "assignment-gradebook")
    writer.goto("/")
    screenshot(writer, "assignment-home")
