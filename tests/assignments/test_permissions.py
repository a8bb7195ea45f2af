"""The access table for assignments (docs/design.md), through the model predicates."""

import pytest

from blog import services as blog_services
from tests.assignments.conftest import ACTIONS, ACTORS, ALLOWED

# A closed course (docs/terms.md): nobody submits; the author reads their feedback but
# writes no more of it; grading, the gradebook and exports go on.
ALLOWED_CLOSED = {
    **ALLOWED,
    "submit": set(),
    "write_feedback": {"assistant", "instructor", "staff"},
}
TABLE = [
    pytest.param(actor, action, actor in table[action], closed, id=f"{state}-{actor}-{action}")
    for closed, state, table in [(False, "open", ALLOWED), (True, "closed", ALLOWED_CLOSED)]
    for action in ACTIONS
    for actor in ACTORS
]


def check(action, *, assignment, post, user):
    course = assignment.course
    return {
        "view": lambda: assignment.can_view(user),
        "submit": lambda: assignment.can_submit(user),
        "see_feedback": lambda: post.can_see_feedback(user),
        "write_feedback": lambda: post.can_write_feedback(user),
        "grade": lambda: assignment.can_grade(user),
        "see_gradebook": lambda: course.can_see_gradebook(user),
        "export_csv": lambda: course.can_export_grades(user),
    }[action]()


@pytest.mark.parametrize(("actor", "action", "allowed", "closed"), TABLE)
def test_access_table(actors, assignment, post, actor, action, allowed, closed):
    if closed:
        blog_services.close_course(course=assignment.course)
    assert check(action, assignment=assignment, post=post, user=actors[actor]) is allowed


@pytest.mark.parametrize("actor", ["instructor", "staff"])
def test_set_assignments_and_extensions(actors, assignment, actor):
    user = actors[actor]
    assert assignment.can_edit(user) and assignment.can_grant_extension(user)


@pytest.mark.parametrize(
    "actor", ["outsider", "student", "author", "assistant", "instructor_elsewhere"]
)
def test_others_cannot_set_assignments_or_extensions(actors, assignment, actor):
    user = actors[actor]
    assert not assignment.can_edit(user) and not assignment.can_grant_extension(user)


def test_anonymous_may_do_nothing(assignment, post):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not any(
        check(action, assignment=assignment, post=post, user=anonymous) for action in ACTIONS
    )
