"""Who sees a post (docs/privacy.md): a generated matrix of post visibility x course
visibility x viewer x surface, each cell asserted against the table below, written
independently of the code (blog.models.Course.can_read_posts_visible_to).

Every cached surface (home, course, post) is asked twice (the second answer comes from
the page cache, anonymous or member), after every other kind of reader has drawn the
same pages, so a copy drawn for one standing can't leak to another.
"""

import re
from itertools import product

import pytest
from django.test import Client
from django.urls import reverse

from references.models import Reference
from tests import factories

pytestmark = pytest.mark.django_db

POST_VISIBILITIES = ["public", "members", "instructors"]
COURSE_VISIBILITIES = ["public", "members"]
VIEWERS = [
    "anonymous",
    "outsider",
    "other_student",
    "classmate",
    "author",
    "instructor",
    "staff",
]
SURFACES = [
    "post",
    "course",
    "home",
    "topic",
    "archive",
    "author",
    "profile",
    "search",
    "course_search",
    "rss",
    "atom",
    "course_rss",
    "course_atom",
    "sitemap",
    "hall_of_fame",
    "bibliography",
]
CACHED = {"post", "course", "home"}
# Surfaces only anonymous readers get (feeds, sitemap): what the public may read.
PUBLIC_ONLY = {"rss", "atom", "course_rss", "course_atom", "sitemap"}


def may_see(post_visibility, course_visibility, viewer):
    """The specification: who reads a published post."""
    if viewer in ("author", "instructor", "staff"):
        return True
    if viewer == "classmate":
        return post_visibility in ("public", "members")
    return course_visibility == "public" and post_visibility == "public"


def expected(post_visibility, course_visibility, viewer, surface):
    if surface in PUBLIC_ONLY:  # feeds and the sitemap are the public's, whoever asks
        return may_see(post_visibility, course_visibility, "anonymous")
    if surface == "home" and viewer == "staff":  # home: your courses, and the open ones
        return may_see(post_visibility, course_visibility, "anonymous")
    return may_see(post_visibility, course_visibility, viewer)


def build(course_visibility):
    course = factories.CourseFactory(slug="privacy", visibility=course_visibility)
    other_course = factories.CourseFactory(slug="elsewhere")
    author = factories.UserFactory(username="writer", first_name="Wanda", last_name="Writer")
    people = {
        "author": factories.MembershipFactory(course=course, user=author).user,
        "classmate": factories.MembershipFactory(course=course).user,
        "instructor": factories.MembershipFactory(course=course, role="instructor").user,
        "other_student": factories.MembershipFactory(course=other_course).user,
        "outsider": factories.UserFactory(),
        "staff": factories.UserFactory(is_staff=True, is_superuser=True),
    }
    topic = factories.TopicFactory(course=course, name="Thaw")
    award = factories.AwardFactory(course=course)
    posts = {}
    for visibility in POST_VISIBILITIES:
        post = factories.PostFactory(
            course=course,
            author=author,
            title=f"Marker{visibility}title",
            body="Samizdat circulated by hand.",
            visibility=visibility,
        )
        post.topics.add(topic)
        factories.AwardGrantFactory(award=award, post=post, granted_by=people["instructor"])
        Reference.objects.create(post=post, key=f"ref{visibility}", title=f"Work {visibility}")
        posts[visibility] = post
    published = posts["public"].published_at
    urls = {
        "course": reverse("blog:course_detail", args=[course.slug]),
        "home": reverse("home"),
        "topic": reverse("blog:topic_detail", args=[course.slug, topic.slug]),
        "archive": reverse(
            "blog:course_archive", args=[course.slug, published.year, published.month]
        ),
        "author": reverse("blog:author_posts", args=[course.slug, author.username]),
        "profile": reverse("accounts:profile", args=[author.username]),
        "search": reverse("blog:search") + "?q=samizdat",
        "course_search": reverse("blog:course_search", args=[course.slug]) + "?q=samizdat",
        "rss": reverse("blog:site_feed_rss"),
        "atom": reverse("blog:site_feed_atom"),
        "course_rss": reverse("blog:course_feed_rss", args=[course.slug]),
        "course_atom": reverse("blog:course_feed_atom", args=[course.slug]),
        "sitemap": reverse("blog:sitemap"),
        "hall_of_fame": reverse("awards:award_detail", args=[course.slug, award.slug]),
        "bibliography": reverse("references:bibliography", args=[course.slug]),
    }
    return people, posts, urls


def client_for(people, viewer):
    client = Client()
    if viewer != "anonymous":
        client.force_login(people[viewer])
    return client


def shows(response, post):
    """The post is on the page: its title, or (the sitemap) its address."""
    if response.status_code != 200:
        return False
    content = response.content.decode()
    return post.title in content or f"{post.get_absolute_url()}</loc>" in content


def visit(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response


MATRIX = list(product(COURSE_VISIBILITIES, VIEWERS))


@pytest.mark.parametrize(("course_visibility", "viewer"), MATRIX)
def test_each_reader_sees_exactly_the_posts_their_standing_allows(course_visibility, viewer):
    people, posts, urls = build(course_visibility)
    # Every other kind of reader draws the cached pages first (both page caches).
    for other in VIEWERS:
        client = client_for(people, other)
        for post in posts.values():
            visit(client, post.get_absolute_url())
        visit(client, urls["course"])
        visit(client, urls["home"])
    client = client_for(people, viewer)
    leaks, misses, cells = [], [], 0
    for surface, (visibility, post) in product(SURFACES, posts.items()):
        url = post.get_absolute_url() if surface == "post" else urls[surface]
        answers = [visit(client, url)]
        if surface in CACHED:
            answers.append(visit(client, url))  # from the page cache
        want = expected(visibility, course_visibility, viewer, surface)
        for answer in answers:
            cells += 1
            got = shows(answer, post)
            if got and not want:
                leaks.append((surface, visibility))
            elif want and not got:
                misses.append((surface, visibility))
    assert leaks == [], f"{viewer} saw posts they may not read: {leaks}"
    assert misses == [], f"{viewer} missed posts they may read: {misses}"
    assert cells == len(SURFACES) * 3 + len(CACHED) * 3


@pytest.mark.parametrize("course_visibility", COURSE_VISIBILITIES)
def test_the_badge_says_who_reads_a_post_but_not_for_a_plain_public_one(course_visibility):
    people, posts, urls = build(course_visibility)
    client = client_for(people, "instructor")
    for visibility, post in posts.items():
        html = client.get(post.get_absolute_url()).content.decode()
        badges = re.findall(r'status-badge--visibility">([^<]*)<', html)
        if visibility == "instructors":
            assert badges == ["Instructors only"]
        elif visibility == "members" and course_visibility == "public":
            assert badges == ["Course members"]
        else:
            assert badges == []
    course_page = client.get(urls["course"]).content.decode()
    assert course_page.count('status-badge--visibility">Instructors only<') == 1


def test_changing_a_posts_visibility_shows_at_once_on_every_cached_page(client):
    people, posts, urls = build("public")
    post = posts["public"]
    classmate = client_for(people, "classmate")
    for page in (post.get_absolute_url(), urls["course"], urls["home"]):
        assert shows(client.get(page), post)
        assert shows(classmate.get(page), post)
    author = client_for(people, "author")
    data = {"title": post.title, "body": post.body, "visibility": "instructors", "action": "update"}
    edit = reverse("blog:post_edit", args=[post.course.slug, post.slug])
    assert author.post(edit, data).status_code == 302
    for page in (post.get_absolute_url(), urls["course"], urls["home"]):
        assert not shows(client.get(page), post), page
        assert not shows(classmate.get(page), post), page
