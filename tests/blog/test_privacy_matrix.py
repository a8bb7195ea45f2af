"""Who sees a post (docs/privacy.md): a generated matrix of post visibility x course
visibility x viewer x surface, each cell asserted against the table below, written
independently of the code (blog.models.Course.can_read_posts_visible_to).

The surfaces are the pages that list or show posts (the cached ones asked twice: the
second answer comes from the page cache, anonymous or member, after every other kind of
reader drew the same pages, so a copy drawn for one standing can't leak to another),
the feeds and the sitemap, and what leaves the pages: notifications (the list, and
whether one is made at all), the emails (to members, and to a guest who follows the
discussion), the iCalendar feed, the person's data export, and the Open Badge
credential. Every viewer commented on, liked and followed each post earlier (as if it
had been wider then), so each of those surfaces has something to leak.
"""

import json
import re
import zipfile
from datetime import timedelta
from itertools import product
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assignments import services as assignment_services
from awards.services import grant_award
from badges.models import Credential
from blog import services as blog_services
from comments.models import Comment
from notifications import services as notification_services
from notifications.models import GuestSubscription, Notification
from notifications.tasks import send_notification_email
from privacy.export import write_export
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
    "assistant",
    "instructor",
    "staff",
]
# Pages: each post's own address, or one address for all three posts.
PAGES = [
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
    "topic_rss",
    "topic_atom",
    "author_rss",
    "author_atom",
    "sitemap",
    "hall_of_fame",
    "bibliography",
    "references_bib",
    "own_pending_comment",
]
PER_POST = {"post", "references_bib", "own_pending_comment"}
CACHED = {"post", "course", "home"}
# What leaves the pages: each asked through its own function below.
OTHERS = [
    "notifications",
    "notified",
    "emails",
    "calendar",
    "export",
    "credential",
]
SURFACES = PAGES + OTHERS
# Surfaces that are the public's, whoever asks (feeds, the sitemap, a credential's
# evidence, which its student hands to anyone).
PUBLIC_ONLY = {
    "rss",
    "atom",
    "course_rss",
    "course_atom",
    "topic_rss",
    "topic_atom",
    "author_rss",
    "author_atom",
    "sitemap",
}
GUEST = "gwen.guest@elsewhere.example"


def may_see(post_visibility, course_visibility, viewer):
    """The specification: who reads a published post."""
    if viewer in ("author", "assistant", "instructor", "staff"):
        return True
    if viewer == "classmate":
        return post_visibility in ("public", "members")
    return course_visibility == "public" and post_visibility == "public"


def expected(post_visibility, course_visibility, viewer, surface):
    """Whether viewer finds the post (its title, address or words) on surface. (Home
    lists the reader's courses and the open ones, and "New on your posts": replies to
    the reader's comments on posts they may read; staff commented on all three.)"""
    readable = may_see(post_visibility, course_visibility, viewer)
    if surface in PUBLIC_ONLY:
        return may_see(post_visibility, course_visibility, "anonymous")
    if surface in ("notifications", "notified", "export"):  # a signed-in person's own
        return viewer != "anonymous" and readable
    if surface == "emails":  # to members, and to the anonymous guest who followed
        return readable
    if surface == "calendar":  # due dates only: never a post, whoever subscribes
        return False
    if surface == "credential":  # the author's own; names the post only if it is public
        return viewer == "author" and may_see(post_visibility, course_visibility, "anonymous")
    if surface == "own_pending_comment":  # its edit page: the course's participants
        return readable and viewer not in ("anonymous", "outsider", "other_student")
    return readable


def build(course_visibility):
    course = factories.CourseFactory(slug="privacy", visibility=course_visibility)
    other_course = factories.CourseFactory(slug="elsewhere")
    author = factories.UserFactory(username="writer", first_name="Wanda", last_name="Writer")
    people = {
        "author": factories.MembershipFactory(course=course, user=author).user,
        "classmate": factories.MembershipFactory(course=course).user,
        "assistant": factories.MembershipFactory(course=course, role="assistant").user,
        "instructor": factories.MembershipFactory(course=course, role="instructor").user,
        "other_student": factories.MembershipFactory(course=other_course).user,
        "outsider": factories.UserFactory(),
        "staff": factories.UserFactory(is_staff=True, is_superuser=True),
    }
    # Who answers the viewers' comments: a second instructor, never a viewer.
    replier = factories.MembershipFactory(course=course, role="instructor").user
    topic = factories.TopicFactory(course=course, name="Thaw")
    award = factories.AwardFactory(course=course)
    now = timezone.now()
    posts, comments, earlier_notifications = {}, {}, {}
    for visibility in POST_VISIBILITIES:
        post = factories.PostFactory(
            course=course,
            author=author,
            title=f"Marker{visibility}title",
            body="Samizdat circulated by hand.",
            visibility=visibility,
        )
        post.topics.add(topic)
        grant_award(award=award, post=post, granted_by=people["instructor"])
        Reference.objects.create(post=post, key=f"ref{visibility}", title=f"Work {visibility}")
        assignment = assignment_services.create_assignment(
            course=course, title=f"Due {visibility}", prompt="Write.",
            opens_at=now - timedelta(days=1), due_at=now + timedelta(days=3),
        )  # fmt: skip
        assignment_services.submit(assignment=assignment, post=post)
        posts[visibility] = post
        # Every viewer commented on it, liked it and follows it by email (the guest,
        # by their address), when it was wider; a reply to each came then.
        for viewer in VIEWERS:
            person = people.get(viewer)
            comment = factories.CommentFactory(
                post=post,
                author=person,
                body=f"Earlier words of the {viewer}",
                **({} if person else {"guest_name": "Gwen", "guest_email": GUEST}),
            )
            comments[viewer, visibility] = comment
            GuestSubscription.objects.create(
                email=person.email.lower() if person else GUEST, post=post, comment=comment
            )
            if person is None:
                continue
            comments[viewer, visibility, "pending"] = factories.CommentFactory(
                post=post, author=person, body="Held words", status="pending"
            )
            factories.PostLikeFactory(post=post, user=person)
            earlier = factories.CommentFactory(
                post=post, author=replier, parent=comment, body="An earlier reply"
            )
            earlier_notifications[viewer, visibility] = Notification.objects.create(
                recipient=person, kind="reply_to_comment", post=post, comment=earlier,
                actor_name=replier.name,
            )  # fmt: skip
    Credential.objects.filter(recipient=author).update(include_evidence=True)
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
        "topic_rss": reverse("blog:topic_feed_rss", args=[course.slug, topic.slug]),
        "topic_atom": reverse("blog:topic_feed_atom", args=[course.slug, topic.slug]),
        "author_rss": reverse("blog:author_feed_rss", args=[course.slug, author.username]),
        "author_atom": reverse("blog:author_feed_atom", args=[course.slug, author.username]),
        "sitemap": reverse("blog:sitemap"),
        "hall_of_fame": reverse("awards:award_detail", args=[course.slug, award.slug]),
        "bibliography": reverse("references:bibliography", args=[course.slug]),
    }
    return SimpleNamespace(
        course=course,
        people=people,
        posts=posts,
        urls=urls,
        replier=replier,
        comments=comments,
        earlier_notifications=earlier_notifications,
    )


def page_url(world, surface, post, viewer=None):
    if surface == "post":
        return post.get_absolute_url()
    if surface == "own_pending_comment":
        pending = world.comments.get((viewer, post.visibility, "pending"))
        return reverse("comments:comment_edit", args=[pending.pk if pending else 0])
    if surface == "references_bib":
        return reverse("references:reference_export", args=[post.course.slug, post.slug, "bib"])
    return world.urls[surface]


def client_for(people, viewer):
    client = Client()
    if viewer != "anonymous":
        client.force_login(people[viewer])
    return client


def shows(response, post):
    """The post is on the page: its title, its address (the sitemap) or its reference
    (the post's BibTeX)."""
    if response.status_code != 200:
        return False
    content = response.content.decode()
    return any(
        mark in content
        for mark in (post.title, f"{post.get_absolute_url()}</loc>", f"Work {post.visibility}")
    )


def visit(client, url):
    response = client.get(url)
    assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
    return response


def prime_every_cache(world):
    """Every kind of reader draws the cached pages (both page caches)."""
    for other in VIEWERS:
        client = client_for(world.people, other)
        for post in world.posts.values():
            visit(client, post.get_absolute_url())
        visit(client, world.urls["course"])
        visit(client, world.urls["home"])


# --- What leaves the pages ---


def replies_arrive(world, viewer, capture):
    """Someone replies to the viewer's comment on each post: the notifications and the
    emails it makes (sent at once: the test's task backend runs them inline), and the
    earlier notification's email sent again (its task checks the reader again)."""
    person = world.people.get(viewer)
    mail.outbox.clear()
    replies = {}
    for visibility in POST_VISIBILITIES:
        parent = world.comments[viewer, visibility]
        with capture(execute=True):
            reply = Comment.objects.create(
                post=world.posts[visibility], author=world.replier, parent=parent,
                body=f"Replymark {visibility} words", status="approved",
            )  # fmt: skip
            notification_services.notify_comment_posted(comment=reply)
        replies[visibility] = reply
        if person is not None:
            send_notification_email.call(world.earlier_notifications[viewer, visibility].pk)
    address = person.email.lower() if person else GUEST
    emails = [m for m in mail.outbox if address in [to.lower() for to in m.to]]
    return replies, emails


def email_text(message):
    parts = [message.subject, message.body]
    parts += [content for content, _ in getattr(message, "alternatives", [])]
    return "\n".join(parts)


def export_text(person, tmp_path):
    """Every file of the person's export, as one text."""
    target = tmp_path / f"export-{person.pk}.zip"
    write_export(person, target)
    with zipfile.ZipFile(target) as archive:
        texts = [*archive.namelist()]
        for name in archive.namelist():
            if name.endswith((".json", ".html", ".md")):
                texts.append(archive.read(name).decode())
    return "\n".join(texts)


def calendar_text(client, course):
    """The viewer's iCalendar feed of the course, if they may have one."""
    page = client.get(reverse("assignments:calendar_subscribe", args=[course.slug]))
    if page.status_code != 200:
        return ""
    feed = Client().get(page.context["feed_url"])  # calendar apps send no cookies
    assert feed.status_code == 200
    return feed.content.decode()


def credential_text(client, person):
    credentials = Credential.objects.filter(recipient=person) if person else []
    texts = []
    for credential in credentials:
        url = reverse("badges:credential_json", args=[credential.uuid])
        response = client.get(url)
        if response.status_code == 200:
            texts.append(response.content.decode())
    return "\n".join(texts)


def other_surfaces(world, viewer, client, capture, tmp_path):
    """{surface: {post visibility: shown?}} for the surfaces beyond the pages."""
    person = world.people.get(viewer)
    replies, emails = replies_arrive(world, viewer, capture)
    listed = visit(client, reverse("notifications:notification_list"))
    exported = export_text(person, tmp_path) if person else ""
    calendar = calendar_text(client, world.course)
    credential = credential_text(client, person)
    found = {surface: {} for surface in OTHERS}
    for visibility, post in world.posts.items():
        words = (post.title, f"Replymark {visibility}")
        found["notifications"][visibility] = shows(listed, post)
        found["notified"][visibility] = Notification.objects.filter(
            recipient=person, comment=replies[visibility]
        ).exists()
        found["emails"][visibility] = any(
            word in email_text(message) for message in emails for word in words
        )
        found["calendar"][visibility] = post.title in calendar or post.slug in calendar
        found["export"][visibility] = post.title in exported
        found["credential"][visibility] = post.title in credential
    return found


MATRIX = list(product(COURSE_VISIBILITIES, VIEWERS))
CELLS_PER_TEST = len(SURFACES) * len(POST_VISIBILITIES) + len(CACHED) * len(POST_VISIBILITIES)


@pytest.mark.parametrize(("course_visibility", "viewer"), MATRIX)
def test_each_reader_sees_exactly_the_posts_their_standing_allows(
    course_visibility, viewer, django_capture_on_commit_callbacks, tmp_path
):
    world = build(course_visibility)
    prime_every_cache(world)
    client = client_for(world.people, viewer)
    found = {}
    for surface, (visibility, post) in product(PAGES, world.posts.items()):
        url = page_url(world, surface, post, viewer)
        answers = [visit(client, url)]
        if surface in CACHED:
            answers.append(visit(client, url))  # from the page cache
        found[surface, visibility] = [shows(answer, post) for answer in answers]
    others = other_surfaces(world, viewer, client, django_capture_on_commit_callbacks, tmp_path)
    for surface, by_visibility in others.items():
        for visibility, got in by_visibility.items():
            found[surface, visibility] = [got]
    leaks, misses, cells = [], [], 0
    for (surface, visibility), answers in found.items():
        want = expected(visibility, course_visibility, viewer, surface)
        for got in answers:
            cells += 1
            if got and not want:
                leaks.append((surface, visibility))
            elif want and not got:
                misses.append((surface, visibility))
    assert leaks == [], f"{viewer} saw posts they may not read: {leaks}"
    assert misses == [], f"{viewer} missed posts they may read: {misses}"
    assert cells == CELLS_PER_TEST


def test_the_matrix_has_every_cell():
    """3 post visibilities x 2 course visibilities x the viewers x the surfaces (the
    cached pages twice: drawn, then from the cache)."""
    assert len(MATRIX) * CELLS_PER_TEST == 3 * 2 * len(VIEWERS) * (len(SURFACES) + len(CACHED))


# --- The page caches when a visibility changes ---

TRANSITIONS = [(old, new) for old, new in product(POST_VISIBILITIES, repeat=2) if old != new]


@pytest.mark.parametrize(("course_visibility", "viewer"), MATRIX)
def test_a_cached_page_follows_every_change_of_a_posts_visibility(course_visibility, viewer):
    """Every reader draws the post, course and home pages; the author changes the post's
    visibility; each viewer then reads the new state (drawn, then from the cache)."""
    world = build(course_visibility)
    post = world.posts["public"]
    client = client_for(world.people, viewer)
    pages = [post.get_absolute_url(), world.urls["course"], world.urls["home"]]
    problems = []
    for old, new in TRANSITIONS:
        blog_services.save_post(post=post, action="update", topics=list(post.topics.all()),
                                visibility=old)  # fmt: skip
        for other in VIEWERS:
            for page in pages:
                visit(client_for(world.people, other), page)
        blog_services.save_post(post=post, action="update", topics=list(post.topics.all()),
                                visibility=new)  # fmt: skip
        for index, page in enumerate(pages):
            surface = ("post", "course", "home")[index]
            want = expected(new, course_visibility, viewer, surface)
            for _ in range(2):
                if shows(visit(client, page), post) != want:
                    problems.append((old, new, surface, want))
    assert problems == [], f"{viewer}: (old, new, page, should show) wrong: {problems}"


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_cached_page_follows_the_course_becoming_members_only(viewer):
    world = build("public")
    prime_every_cache(world)
    blog_services.save_course_settings(course=world.course, visibility="members")
    client = client_for(world.people, viewer)
    problems = []
    for visibility, post in world.posts.items():
        for surface in ("post", "course", "home"):
            want = expected(visibility, "members", viewer, surface)
            for _ in range(2):  # drawn, then from the cache
                if shows(visit(client, page_url(world, surface, post)), post) != want:
                    problems.append((surface, visibility, want))
    assert problems == [], f"{viewer}: (page, post visibility, should show) wrong: {problems}"


@pytest.mark.parametrize(("course_visibility", "viewer"), MATRIX)
def test_an_awards_count_says_no_more_than_its_hall_of_fame(course_visibility, viewer):
    """The course's award list says how many posts hold each award: only those the
    reader may read (all three posts hold it)."""
    world = build(course_visibility)
    client = client_for(world.people, viewer)
    response = visit(client, reverse("awards:award_list", args=[world.course.slug]))
    readable = sum(may_see(v, course_visibility, viewer) for v in POST_VISIBILITIES)
    if response.status_code != 200:  # the course is closed to them: they read no post
        assert readable == 0
        return
    content = response.content.decode()
    if readable:
        assert f"Held by {readable} post" in content
    else:
        assert "Not granted yet" in content


# --- The badge ---


@pytest.mark.parametrize("course_visibility", COURSE_VISIBILITIES)
def test_the_badge_says_who_reads_a_post_but_not_for_a_plain_public_one(course_visibility):
    world = build(course_visibility)
    client = client_for(world.people, "instructor")
    for visibility, post in world.posts.items():
        html = client.get(post.get_absolute_url()).content.decode()
        badges = re.findall(r'status-badge--visibility">([^<]*)<', html)
        if visibility == "instructors":
            assert badges == ["Instructors only"]
        elif visibility == "members" and course_visibility == "public":
            assert badges == ["Course members"]
        else:
            assert badges == []
    course_page = client.get(world.urls["course"]).content.decode()
    assert course_page.count('status-badge--visibility">Instructors only<') == 1


def test_changing_a_posts_visibility_shows_at_once_on_every_cached_page(client):
    world = build("public")
    post = world.posts["public"]
    classmate = client_for(world.people, "classmate")
    urls = world.urls
    for page in (post.get_absolute_url(), urls["course"], urls["home"]):
        assert shows(client.get(page), post)
        assert shows(classmate.get(page), post)
    author = client_for(world.people, "author")
    data = {"title": post.title, "body": post.body, "visibility": "instructors", "action": "update"}
    edit = reverse("blog:post_edit", args=[post.course.slug, post.slug])
    assert author.post(edit, data).status_code == 302
    for page in (post.get_absolute_url(), urls["course"], urls["home"]):
        assert not shows(client.get(page), post), page
        assert not shows(classmate.get(page), post), page


def test_an_export_keeps_the_persons_comment_on_a_post_they_may_no_longer_read(tmp_path):
    """The classmate's comment on a post since narrowed to instructors only: their words
    stay in their export, the post's title and address don't."""
    world = build("public")
    classmate = world.people["classmate"]
    target = tmp_path / "classmate.zip"
    manifest = write_export(classmate, target)
    post = world.posts["instructors"]
    entries = [c for c in manifest["comments"] if c["post"]["id"] == post.pk]
    assert {c["body"] for c in entries} == {"Earlier words of the classmate", "Held words"}
    assert all(c["post"] == {"id": post.pk, "readable": False} for c in entries)
    with zipfile.ZipFile(target) as archive:
        everything = json.dumps(manifest) + archive.read("comments.json").decode()
    assert post.title not in everything and post.slug not in everything
