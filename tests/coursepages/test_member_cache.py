"""Signed-in readers' cached copies of the pages that show the course menu (the course
page, a post page, a course page's page): each reader gets exactly the page drawn for
them alone, whoever drew the cached copy (the menu differs by role: members-only
pages), as tests/test_member_page_cache.py checks for the post page's other parts."""

import re
from itertools import product

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from pagecache.store import recent_pages
from tests import factories

pytestmark = pytest.mark.django_db

TOKENS = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1TOKEN"),
    (re.compile(r'(nonce=")[^"]*'), r"\1NONCE"),
]
VIEWERS = ["anonymous", "student", "instructor", "staff", "outsider"]


def normalised(html):
    for pattern, replacement in TOKENS:
        html = pattern.sub(replacement, html)
    return html


def draw(user, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return normalised(response.content.decode())


@pytest.mark.parametrize("where", ["course", "post", "page"])
def test_every_reader_gets_their_own_menu_whoever_drew_the_cached_copy(
    course, student, instructor, staff, outsider, stopped_clock, where
):
    people = {"anonymous": None, "student": student, "instructor": instructor,
              "staff": staff, "outsider": outsider}  # fmt: skip
    syllabus = factories.PageFactory(course=course, title="Syllabus")
    factories.PageFactory(course=course, title="Staff room", visibility="members")
    factories.PageFactory(course=course, title="Unfinished", status="draft", published_at=None)
    post = factories.PostFactory(course=course, author=student)
    url = {
        "course": course.get_absolute_url(),
        "post": post.get_absolute_url(),
        "page": syllabus.get_absolute_url(),
    }[where]
    with override_settings(PAGE_CACHE_SECONDS=0):
        expected = {name: draw(people[name], url) for name in VIEWERS}
    assert "Staff room" in expected["student"] and "Staff room" not in expected["outsider"]
    for first, then in product(VIEWERS, VIEWERS):
        cache.clear()
        recent_pages.clear()
        draw(people[first], url)
        draw(people[then], url)  # drawn by one, served to another
        assert draw(people[then], url) == expected[then], f"{then} after {first}"


def test_every_reader_gets_their_own_discussion_of_a_page_whoever_drew_the_cached_copy(
    course, student, instructor, staff, outsider, stopped_clock
):
    """A course page's comments (issue 26) in the member page cache: Like, "Liked by",
    Edit and Delete are each reader's own, as on a post page."""
    from comments import services

    people = {"anonymous": None, "student": student, "instructor": instructor,
              "staff": staff, "outsider": outsider}  # fmt: skip
    syllabus = factories.PageFactory(
        course=course, title="Syllabus", author=instructor, allows_comments=True
    )
    first = services.post_comment(page=syllabus, user=student, body="A question.")
    answer = services.post_comment(
        page=syllabus, user=instructor, body="An answer.", parent_id=first.pk
    )
    services.like_comment(comment=answer, user=student)
    url = syllabus.get_absolute_url()
    with override_settings(PAGE_CACHE_SECONDS=0):
        expected = {name: draw(people[name], url) for name in VIEWERS}
    assert "An answer." in expected["anonymous"]
    for first_reader, then in product(VIEWERS, VIEWERS):
        cache.clear()
        recent_pages.clear()
        draw(people[first_reader], url)
        draw(people[then], url)
        assert draw(people[then], url) == expected[then], f"{then} after {first_reader}"
