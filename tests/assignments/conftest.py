from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from assignments import services
from tests import factories

LONDON = ZoneInfo("Europe/London")

# The access table for assignments (docs/design.md): test_permissions.py checks it
# through the predicates, test_pages.py and test_post_page.py through the client.
ACTORS = [
    "outsider",
    "student_elsewhere",
    "student",
    "author",
    "assistant",
    "instructor",
    "instructor_elsewhere",
    "staff",
]
ACTIONS = [
    "view",
    "submit",
    "see_feedback",
    "write_feedback",
    "grade",
    "see_gradebook",
    "export_csv",
]
# Who may do what: every actor not listed for an action is refused.
ALLOWED = {
    "view": {"student", "author", "assistant", "instructor", "staff"},
    "submit": {"student", "author", "assistant", "instructor", "staff"},
    "see_feedback": {"author", "assistant", "instructor", "staff"},
    "write_feedback": {"author", "assistant", "instructor", "staff"},
    "grade": {"assistant", "instructor", "staff"},
    "see_gradebook": {"assistant", "instructor", "staff"},
    "export_csv": {"assistant", "instructor", "staff"},
}


def at(*args, tz=LONDON):
    """An aware datetime in the course's zone (Europe/London in these tests)."""
    return datetime(*args, tzinfo=tz)


@pytest.fixture
def course(db):
    return factories.CourseFactory(
        title="History 101", slug="history-101", time_zone="Europe/London"
    )


@pytest.fixture
def assignment(course):
    return services.create_assignment(
        course=course,
        title="The Thaw in three documents",
        prompt="Read the *three* documents and answer.",
        opens_at=at(2027, 3, 1, 9),
        due_at=at(2027, 3, 12, 17),
        cutoff_at=at(2027, 3, 19, 17),
        points=10,
    )


@pytest.fixture
def rubric_assignment(course):
    return services.create_assignment(
        course=course,
        title="Samizdat",
        prompt="Write about samizdat.",
        opens_at=at(2027, 3, 1, 9),
        due_at=at(2027, 3, 12, 17),
        rubric=[
            ("Use of sources", [("Excellent", 4), ("Adequate", 2), ("Missing", 0)]),
            ("Argument", [("Clear", 6), ("Vague", 3)]),
        ],
    )


@pytest.fixture
def other_course(db):
    return factories.CourseFactory(title="Other", slug="other")


@pytest.fixture
def draft(course, student):
    return factories.PostFactory(
        course=course, author=student, status="draft", published_at=None, title="My answer"
    )


@pytest.fixture
def actors(course, other_course, post, instructor, classmate, staff, outsider):
    """The users of the access table, by name."""
    return {
        "outsider": outsider,
        "student_elsewhere": factories.MembershipFactory(course=other_course).user,
        "student": classmate,
        "author": post.author,
        "assistant": factories.MembershipFactory(course=course, role="assistant").user,
        "instructor": instructor,
        "instructor_elsewhere": factories.MembershipFactory(
            course=other_course, role="instructor"
        ).user,
        "staff": staff,
    }
