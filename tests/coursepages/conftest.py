import pytest
from django.test import Client

from tests import factories


@pytest.fixture
def other_instructor(db):
    """An instructor of another course: nobody special here."""
    other = factories.CourseFactory(slug="other")
    return factories.MembershipFactory(
        course=other, role="instructor", user=factories.UserFactory(username="otherprof")
    ).user


@pytest.fixture
def actors(course, student, instructor, staff, outsider, other_instructor):
    from tests import factories

    return {
        "anonymous": None,
        "outsider": outsider,
        "student": student,
        "assistant": factories.MembershipFactory(course=course, role="assistant").user,
        "instructor": instructor,
        "other_instructor": other_instructor,
        "staff": staff,
    }


@pytest.fixture
def reader():
    """An anonymous visitor with no cookies yet."""
    return Client()
