"""Per-post visibility chosen in the editor, under the course's default and ceiling;
the search engines setting (docs/privacy.md)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from blog.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def editor_data(**values):
    return {"title": "Letters home", "body": "Some words.", "action": "publish", **values}


def test_a_new_post_is_offered_the_courses_default_visibility(client, course, student):
    course.default_post_visibility = "members"
    course.save()
    client.force_login(student)
    response = client.get(reverse("blog:post_create", args=[course.slug]))
    assert response.context["form"]["visibility"].value() == "members"


def test_a_post_left_without_a_visibility_takes_the_courses_default(client, course, student):
    course.default_post_visibility = "instructors"
    course.save()
    client.force_login(student)
    client.post(reverse("blog:post_create", args=[course.slug]), editor_data())
    assert Post.objects.get().visibility == "instructors"


def test_the_editor_refuses_a_visibility_above_the_ceiling_keeping_what_was_typed(
    client, course, student
):
    course.max_post_visibility = "members"
    course.save()
    client.force_login(student)
    response = client.post(
        reverse("blog:post_create", args=[course.slug]),
        editor_data(visibility="public", title="Kept title"),
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("visibility", "visibility_above_ceiling")
    html = response.content.decode()
    assert "at most “Course members”" in html
    assert 'value="Kept title"' in html
    assert not Post.objects.exists()


def test_a_members_only_course_allows_no_public_post(client, private_course):
    writer = factories.MembershipFactory(course=private_course).user
    client.force_login(writer)
    response = client.post(
        reverse("blog:post_create", args=[private_course.slug]), editor_data(visibility="public")
    )
    assert response.context["form"].has_error("visibility", "visibility_above_ceiling")
    client.post(
        reverse("blog:post_create", args=[private_course.slug]), editor_data(visibility="members")
    )
    assert Post.objects.get().visibility == "members"


def test_the_course_default_may_not_be_wider_than_its_ceiling(client, course, instructor):
    client.force_login(instructor)
    response = client.post(
        reverse("blog:course_settings", args=[course.slug]),
        {
            "title": course.title,
            "visibility": "public",
            "guest_comments": "moderated",
            "thread_depth": 5,
            "default_post_visibility": "public",
            "max_post_visibility": "members",
        },
    )
    assert response.context["form"].has_error("default_post_visibility", "default_above_ceiling")


def test_instructors_only_means_the_author_the_instructors_and_staff(course, student, staff):
    post = factories.PostFactory(course=course, author=student, visibility="instructors")
    instructor = factories.MembershipFactory(course=course, role="instructor").user
    classmate = factories.MembershipFactory(course=course).user
    for reader, may in [
        (student, True),
        (instructor, True),
        (staff, True),
        (classmate, False),
        (AnonymousUser(), False),
    ]:
        fresh = Post.objects.select_related("course").get(pk=post.pk)
        assert fresh.can_read(reader) is may
        assert Post.objects.visible_to(reader).filter(pk=post.pk).exists() is may


def test_course_members_means_every_member_and_staff_not_outsiders(course, student, staff):
    post = factories.PostFactory(course=course, author=student, visibility="members")
    instructor = factories.MembershipFactory(course=course, role="instructor").user
    classmate = factories.MembershipFactory(course=course).user
    elsewhere = factories.MembershipFactory().user  # a student of another course
    for reader, may in [
        (classmate, True),
        (instructor, True),
        (staff, True),
        (elsewhere, False),
        (AnonymousUser(), False),
    ]:
        fresh = Post.objects.select_related("course").get(pk=post.pk)
        assert fresh.course.can_read_posts_visible_to(post.visibility, reader) is may
        assert fresh.can_read(reader) is may
        assert Post.objects.visible_to(reader).filter(pk=post.pk).exists() is may


def test_an_authors_copy_of_the_course_page_never_reaches_a_classmate(course, student):
    """The author sees their instructors-only post in the course's lists; a copy drawn
    for them is kept under their own standing (blog.pages.own_restricted)."""
    post = factories.PostFactory(course=course, author=student, visibility="instructors")
    classmate = factories.MembershipFactory(course=course).user
    author, reader = Client(), Client()
    author.force_login(student)
    reader.force_login(classmate)
    for url in (course.get_absolute_url(), reverse("home")):
        assert post.title in author.get(url).content.decode()
        assert post.title in author.get(url).content.decode()  # from the cache
        assert post.title not in reader.get(url).content.decode()
        assert post.title not in reader.get(url).content.decode()
    other_author = factories.MembershipFactory(course=course).user
    factories.PostFactory(course=course, author=other_author, visibility="instructors")
    other = Client()
    other.force_login(other_author)
    assert post.title not in other.get(course.get_absolute_url()).content.decode()


# --- Search engines ---


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_course_that_asks_not_to_be_indexed_says_so_on_every_page(client, course, signed_in):
    course.is_indexed = False
    course.save()
    post = factories.PostFactory(course=course)
    if signed_in:
        client.force_login(factories.MembershipFactory(course=course).user)
    topic = factories.TopicFactory(course=course)
    hits = 0
    for url in (
        course.get_absolute_url(),
        post.get_absolute_url(),
        topic.get_absolute_url(),
        reverse("references:bibliography", args=[course.slug]),
    ):
        for _ in range(2):  # drawn, then (course and post pages) from the page cache
            response = client.get(url)
            assert response["X-Robots-Tag"] == "noindex", url
            assert '<meta name="robots" content="noindex">' in response.content.decode()
            hits += response.get("X-Page-Cache") == "hit"
    assert hits == 2  # the course and post pages' second answers came from the cache


def test_an_indexed_course_carries_no_robots_marks(client, course):
    post = factories.PostFactory(course=course)
    for url in (course.get_absolute_url(), post.get_absolute_url(), reverse("home")):
        for _ in range(2):
            response = client.get(url)
            assert "X-Robots-Tag" not in response
            assert 'name="robots"' not in response.content.decode()


def test_the_sitemap_leaves_out_a_course_that_asks_not_to_be_indexed(client, course):
    hidden = factories.CourseFactory(slug="hidden", is_indexed=False)
    shown_post = factories.PostFactory(course=course)
    hidden_post = factories.PostFactory(course=hidden)
    xml = client.get(reverse("blog:sitemap")).content.decode()
    assert shown_post.get_absolute_url() in xml
    assert "/c/hidden/" not in xml
    assert hidden_post.get_absolute_url() not in xml


def test_turning_indexing_off_shows_at_once_on_cached_pages(client, course, instructor):
    url = course.get_absolute_url()
    assert "X-Robots-Tag" not in client.get(url)
    manager = Client()
    manager.force_login(instructor)
    data = {"title": course.title, "visibility": "public", "guest_comments": "moderated",
            "thread_depth": 5, "is_indexed": "False"}  # fmt: skip
    response = manager.post(reverse("blog:course_settings", args=[course.slug]), data)
    assert response.status_code == 302
    assert client.get(url)["X-Robots-Tag"] == "noindex"
