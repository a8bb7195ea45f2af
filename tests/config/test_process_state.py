"""What a process keeps between requests can be forgotten, and is, before each test
(tests/conftest.py, tests.helpers.forget_process_state), so that no test passes or
fails by what ran before it."""

import pytest
from django.template import Context, Template

from blog.models import Course
from blog.templatetags import blog_tags
from config.db import PreparedQuery, forget_prepared_queries
from pagecache import pages
from tests.helpers import forget_process_state

pytestmark = pytest.mark.django_db


def test_a_forgotten_prepared_query_is_built_and_compiled_again(course):
    built = []

    def build(slug):
        built.append(slug)
        return Course.objects.filter(slug=slug)

    query = PreparedQuery(build, slug="placeholder-slug-0417")
    assert query.get(slug=course.slug) == course
    assert query.get(slug="none") is None
    assert built == ["placeholder-slug-0417"]  # compiled once, run twice
    forget_prepared_queries()
    assert query.get(slug=course.slug) == course
    assert built == ["placeholder-slug-0417"] * 2


def test_what_the_tests_forget_between_them_is_forgotten(client, post):
    query = PreparedQuery(lambda slug: Course.objects.filter(slug=slug), slug="placeholder-0417")
    assert query.get(slug=post.course.slug) == post.course
    client.get(post.get_absolute_url())  # the page cache matches the URL
    Template("{% load blog_tags %}{% per_viewer 'x' %}Hi{% end_per_viewer %}").render(Context())
    assert pages.page_at.cache_info().currsize > 0
    assert len(query._compiled) > 0
    assert blog_tags._per_viewer_nodes
    forget_process_state()
    assert pages.page_at.cache_info().currsize == 0
    assert len(query._compiled) == 0
    assert blog_tags._per_viewer_nodes == {}


def test_a_prepared_query_with_deferred_fields_makes_what_the_queryset_makes(course):
    """``only()``: the instances come out as ``Model.from_db`` makes them, the fields'
    positions worked out once (config.db._instance_maker)."""
    query = PreparedQuery(
        lambda slug: Course.objects.filter(slug=slug).only("slug", "title"), slug="placeholder-0418"
    )
    found = query.all(slug=course.slug)
    [expected] = Course.objects.filter(slug=course.slug).only("slug", "title")
    assert found == [expected]
    assert found[0].get_deferred_fields() == expected.get_deferred_fields() != set()
    assert (found[0].slug, found[0].title) == (course.slug, course.title)
    assert (found[0]._state.adding, found[0]._state.db) == (False, "default")
