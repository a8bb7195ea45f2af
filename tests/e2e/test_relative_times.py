"""Relative times are computed in the browser from <time datetime data-relative>, so a
cached page (or one left open) shows the age the reader's clock gives, not the server's."""

import datetime

import pytest
from django.utils import timezone

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_browser_rewrites_a_stale_age_from_the_datetime(new_page):
    course = factories.CourseFactory()
    reader = factories.MembershipFactory(course=course).user
    post = factories.PostFactory(course=course, author=reader)
    created = timezone.now() - datetime.timedelta(minutes=6)
    factories.CommentFactory(post=post, created=created, body="A thought")
    page = new_page(user=reader)
    # The reader's clock is two hours past the page's drawing: the server said
    # "6 minutes ago", the browser says how long ago it really is.
    page.clock.set_fixed_time(created + datetime.timedelta(hours=2))
    page.goto("/")
    age = page.locator(".home-activity__when time")
    assert age.get_attribute("datetime").startswith(created.strftime("%Y-%m-%dT%H:%M:%S"))
    assert age.inner_text() == "2 hours ago"
    assert age.get_attribute("title")


def test_without_javascript_the_servers_age_stays(new_page):
    course = factories.CourseFactory()
    reader = factories.MembershipFactory(course=course).user
    post = factories.PostFactory(course=course, author=reader)
    factories.CommentFactory(
        post=post, created=timezone.now() - datetime.timedelta(minutes=6), body="A thought"
    )
    page = new_page(user=reader, javascript=False)
    page.goto("/")
    age = page.locator(".home-activity__when time").inner_text()
    assert age.replace("\xa0", " ") == "6 minutes ago"  # Django's timesince
