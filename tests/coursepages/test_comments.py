"""Comments on course pages (issue 26): off by default, a switch in the page editor; on,
the page has the posts' discussion (members, guests where the course takes them,
replies, likes, edit and delete, moderation, notifications); off again, its comments
stay, read-only. A members-only page's comments reach nobody who may not read it, and
its cached copies change with a comment or a like as a post's do."""

import re

import pytest
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services
from comments.models import Comment, CommentLike
from coursepages.models import Page
from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def syllabus(course, instructor):
    return factories.PageFactory(
        course=course, author=instructor, title="Syllabus", slug="syllabus", allows_comments=True
    )


def comment_url(page):
    return reverse("comments:page_comment", args=[page.course.slug, page.slug])


def say(client, page, body="When is the essay due?", **extra):
    return client.post(comment_url(page), {"body": body, **extra})


def html_of(client, page, **query):
    response = client.get(page.get_absolute_url(), query)
    assert response.status_code == 200
    return response.content.decode()


# --- The switch -----------------------------------------------------------------------


def test_a_new_page_has_comments_off_and_the_editor_offers_the_switch(client, course, instructor):
    client.force_login(instructor)
    html = client.get(reverse("coursepages:page_create", args=[course.slug])).content.decode()
    assert 'name="allows_comments"' in html and "Allow comments" in html
    assert not re.search(r'name="allows_comments"[^>]*checked', html)
    data = {"title": "Syllabus", "slug": "", "body": "Four essays.", "order": "1",
            "visibility": "public", "action": "publish"}  # fmt: skip
    client.post(reverse("coursepages:page_create", args=[course.slug]), data)
    assert Page.objects.get(slug="syllabus").allows_comments is False
    client.post(
        reverse("coursepages:page_edit", args=[course.slug, "syllabus"]),
        {**data, "action": "update", "allows_comments": "on"},
    )
    assert Page.objects.get(slug="syllabus").allows_comments is True


def test_a_page_with_comments_off_has_no_discussion_and_refuses_comments(client, course, student):
    page = factories.PageFactory(course=course, title="Schedule")
    client.force_login(student)
    assert 'id="comments"' not in html_of(client, page)
    assert say(client, page).status_code == 403
    assert not Comment.objects.exists()


def test_only_those_who_write_pages_may_switch_comments_on(client, course, student, syllabus):
    client.force_login(student)
    url = reverse("coursepages:page_edit", args=[course.slug, syllabus.slug])
    assert client.post(url, {"allows_comments": "", "action": "update"}).status_code == 403


# --- Discussing a page ------------------------------------------------------------------


def test_a_member_comments_replies_likes_edits_and_deletes_on_a_page(
    client, course, student, classmate, syllabus
):
    client.force_login(student)
    html = html_of(client, syllabus)
    assert 'id="comments"' in html and 'action="' + comment_url(syllabus) + '"' in html
    assert "Notify me of follow-up comments" not in html  # follow-ups follow posts only
    response = say(client, syllabus, "Do quotations count toward the words?")
    comment = Comment.objects.get()
    assert response.status_code == 302 and response.url == comment.get_absolute_url()
    assert comment.page == syllabus and comment.post is None and comment.is_approved
    assert comment.get_absolute_url() == f"{syllabus.get_absolute_url()}#comment-{comment.pk}"
    assert "Do quotations count toward the words?" in html_of(client, syllabus)

    mate = Client()
    mate.force_login(classmate)
    say(mate, syllabus, "They do, I asked.", parent=comment.pk)
    reply = Comment.objects.get(parent=comment)
    assert reply.page == syllabus
    assert mate.get(comment.get_reply_url()).status_code == 200
    like = mate.post(reverse("comments:comment_like", args=[comment.pk]), {"liked": "1"})
    assert like.status_code in (200, 302)
    assert CommentLike.objects.filter(comment=comment, user=classmate).exists()

    edit = reverse("comments:comment_edit", args=[comment.pk])
    assert "Syllabus" in client.get(edit).content.decode()
    confirm = client.get(reverse("comments:comment_delete", args=[comment.pk]))
    assert confirm.status_code == 200
    assert client.post(edit, {"body": "Do block quotes count?"}).status_code == 302
    assert "Do block quotes count?" in html_of(client, syllabus)
    assert mate.post(edit, {"body": "Not mine"}).status_code == 403
    delete = reverse("comments:comment_delete", args=[comment.pk])
    response = client.post(delete)
    assert response.url == f"{syllabus.get_absolute_url()}#comments"
    comment.refresh_from_db()
    assert comment.is_removed


def test_a_guest_comments_where_the_course_takes_guests_and_waits_for_moderation(
    client, course, instructor, syllabus
):
    response = say(client, syllabus, guest_name="Vera", guest_email="vera@example.org")
    comment = Comment.objects.get()
    assert response.status_code == 302 and comment.status == Comment.Status.PENDING
    assert comment.guest_name == "Vera" and comment.page == syllabus
    # The instructor hears of it and finds it in the queue, linked to the page.
    assert Notification.objects.get(recipient=instructor).kind == "comment_pending"
    moderator = Client()
    moderator.force_login(instructor)
    queue = moderator.get(reverse("comments:moderation_queue", args=[course.slug]))
    assert f'href="{comment.get_absolute_url()}">Syllabus</a>' in queue.content.decode()
    moderator.post(reverse("comments:comment_moderate", args=[comment.pk]), {"action": "approve"})
    comment.refresh_from_db()
    assert comment.is_approved
    assert "Vera" in html_of(Client(), syllabus)


def test_guests_may_not_comment_on_a_page_where_the_course_takes_no_guests(
    client, course, syllabus
):
    course.guest_comments = "off"
    course.save()
    html = html_of(client, syllabus)
    assert "Sign in</a> as a member" in html
    response = say(client, syllabus, guest_name="Vera", guest_email="vera@example.org")
    assert response.status_code == 403


def test_a_reply_tells_the_comments_author_and_a_comment_the_pages_author(
    course, instructor, student, classmate, syllabus
):
    first = services.post_comment(page=syllabus, user=student, body="A question.")
    assert Notification.objects.get(recipient=instructor).text == (
        f"{student.name} commented on your page “Syllabus”"
    )
    services.post_comment(page=syllabus, user=classmate, body="An answer.", parent_id=first.pk)
    reply = Notification.objects.get(recipient=student)
    assert reply.kind == "reply_to_comment" and reply.page == syllabus
    assert reply.get_absolute_url().startswith(syllabus.get_absolute_url())
    client = Client()
    client.force_login(student)
    assert (
        "replied to your comment on “Syllabus”"
        in client.get(reverse("notifications:notification_list")).content.decode()
    )


def test_a_comment_is_on_a_post_or_on_a_page_never_both_nor_neither(course, syllabus):
    post = factories.PostFactory(course=course)
    with pytest.raises(IntegrityError):
        Comment.objects.bulk_create([Comment(post=post, page=syllabus, body="Both")])


# --- Switched off -----------------------------------------------------------------------


def test_comments_switched_off_stay_read_only(client, course, student, classmate, syllabus):
    kept = services.post_comment(page=syllabus, user=classmate, body="Kept from before.")
    Page.objects.filter(pk=syllabus.pk).update(allows_comments=False)
    syllabus.refresh_from_db()
    client.force_login(student)
    html = html_of(client, syllabus)
    assert "Kept from before." in html
    assert "Comments are closed on this page." in html
    assert 'id="respond"' not in html and kept.get_reply_url() not in html
    assert say(client, syllabus).status_code == 403
    assert client.get(kept.get_reply_url()).status_code == 403
    like = client.post(reverse("comments:comment_like", args=[kept.pk]), {"liked": "1"})
    assert like.status_code == 403


# --- Privacy ----------------------------------------------------------------------------


def test_a_members_only_pages_comments_reach_no_one_outside_the_course(
    client, course, student, outsider, syllabus
):
    Page.objects.filter(pk=syllabus.pk).update(visibility="members")
    syllabus.refresh_from_db()
    comment = services.post_comment(page=syllabus, user=student, body="Members only words.")
    assert client.get(syllabus.get_absolute_url()).status_code == 404
    assert client.get(comment.get_reply_url()).status_code == 404
    response = say(client, syllabus, guest_name="Vera", guest_email="vera@example.org")
    assert response.status_code == 404
    client.force_login(outsider)
    assert client.get(syllabus.get_absolute_url()).status_code == 404
    assert say(client, syllabus).status_code == 404
    search = client.get(reverse("blog:search"), {"q": "Members only"}).content.decode()
    assert "Members only words." not in search
    # A member who leaves no longer sees notifications about it.
    reply = services.post_comment(
        page=syllabus, user=factories.MembershipFactory(course=course).user,
        body="Reply.", parent_id=comment.pk,
    )  # fmt: skip
    assert Notification.objects.shown_to(student).filter(comment=reply).exists()
    student.memberships.all().delete()
    assert not Notification.objects.shown_to(student).filter(comment=reply).exists()


# --- Page cache and queries -------------------------------------------------------------


def test_a_comment_and_a_like_redraw_the_pages_cached_copies(
    client, course, student, classmate, syllabus
):
    reader = Client()
    assert reader.get(syllabus.get_absolute_url())["X-Page-Cache"] == "miss"
    assert reader.get(syllabus.get_absolute_url())["X-Page-Cache"] == "hit"
    client.force_login(student)
    say(client, syllabus, "Fresh words on the page.")
    response = reader.get(syllabus.get_absolute_url())
    assert response["X-Page-Cache"] == "miss" and "Fresh words on the page." in (
        response.content.decode()
    )
    assert reader.get(syllabus.get_absolute_url())["X-Page-Cache"] == "hit"
    comment = Comment.objects.get()
    versions = Page.objects.values_list("page_version", "likes_version").get(pk=syllabus.pk)
    mate = Client()
    mate.force_login(classmate)
    mate.get(syllabus.get_absolute_url())  # the member's copy, drawn
    mate.post(reverse("comments:comment_like", args=[comment.pk]), {"liked": "1"})
    after = Page.objects.values_list("page_version", "likes_version").get(pk=syllabus.pk)
    assert after == (versions[0], versions[1] + 1)  # a like moves the likes only
    response = reader.get(syllabus.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Liked by 1 person" in response.content.decode()
    response = mate.get(syllabus.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"  # the skeleton stays; its holes change
    assert "Unlike, 1 person likes this" in response.content.decode()


def make_discussion(page, count):
    people = [factories.MembershipFactory(course=page.course).user for _ in range(4)]
    made = []
    for n in range(count):
        who = {"author": None, "guest_name": "A guest"} if n % 7 == 3 else {"author": people[n % 4]}
        parent = made[n - 1] if n % 3 else None
        made.append(Comment.objects.create(page=page, parent=parent, body=f"Words {n}", **who))
    CommentLike.objects.bulk_create(
        [CommentLike(comment=c, user=people[n % 4]) for n, c in enumerate(made[::2])]
    )
    return people


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"drawn": "1"}).status_code == 200  # not from the cache
    return len(queries)


@pytest.mark.parametrize("viewer", ["anonymous", "member", "instructor"])
def test_a_page_with_1_or_40_comments_costs_the_same_queries(
    client, course, instructor, viewer, django_assert_max_num_queries
):
    counts = []
    for size in (1, 40):
        page = factories.PageFactory(course=course, allows_comments=True)
        people = make_discussion(page, size)
        if viewer == "member":
            client.force_login(people[0])
        elif viewer == "instructor":
            client.force_login(instructor)
        count_queries(client, page.get_absolute_url())  # per-process caches warmed
        counts.append(count_queries(client, page.get_absolute_url()))
        html = client.get(page.get_absolute_url()).content.decode()
        assert html.count('<li class="comment"') == size
    assert counts[0] == counts[1]
    # versions, the page (course, role, has comments), the menu, the thread; members:
    # and session, user, bell, the likers
    with django_assert_max_num_queries(4 if viewer == "anonymous" else 8):
        client.get(page.get_absolute_url(), {"drawn": "1"})
    # From the cache: the versions; signed in, session, user, the page (with the
    # reader's comment likes for the Like holes)
    client.get(page.get_absolute_url())
    with django_assert_max_num_queries(1 if viewer == "anonymous" else 3):
        assert client.get(page.get_absolute_url())["X-Page-Cache"] == "hit"


# --- What leaves the site ---------------------------------------------------------------


def test_export_and_erasure_include_a_persons_page_comments(course, student, staff, syllabus):
    from privacy.export import comments_of, likes_of
    from privacy.services import erase_person

    comment = services.post_comment(page=syllabus, user=student, body="My page words.")
    other = services.post_comment(
        page=syllabus, user=factories.MembershipFactory(course=course).user, body="Theirs."
    )
    services.like_comment(comment=other, user=student)
    [entry] = comments_of(student, {})
    assert entry["body"] == "My page words."
    assert entry["page"]["title"] == "Syllabus" and entry["page"]["url"].endswith(
        syllabus.get_absolute_url()
    )
    assert "post" not in entry
    assert likes_of(student, {})["comments"][0]["page"]["id"] == syllabus.pk
    # Of a members-only page they may no longer read: only its number.
    Page.objects.filter(pk=syllabus.pk).update(visibility="members")
    student.memberships.all().delete()
    assert comments_of(student, {})[0]["page"] == {"id": syllabus.pk, "readable": False}
    before = Page.objects.get(pk=syllabus.pk).course.common_version
    erase_person(user=student, by=staff)
    comment.refresh_from_db()
    assert comment.body == "" and comment.is_removed
    assert not CommentLike.objects.filter(user=student).exists()
    assert Page.objects.get(pk=syllabus.pk).course.common_version > before


def test_a_refused_comment_on_a_page_keeps_what_was_typed(client, course, syllabus):
    response = say(client, syllabus, "Kept words.", guest_name="", guest_email="vera@example.org")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kept words." in html and "vera@example.org" in html
    assert f'href="{syllabus.get_absolute_url()}#comments"' in html
    assert not Comment.objects.exists()


def test_the_pages_author_and_the_replied_to_get_emails_per_their_settings(
    course, instructor, student, classmate, syllabus, django_capture_on_commit_callbacks
):
    from django.core import mail

    from notifications.models import NotificationPreference

    with django_capture_on_commit_callbacks(execute=True):
        first = services.post_comment(page=syllabus, user=student, body="A question.")
    [message] = mail.outbox
    assert message.to == [instructor.email]
    assert "commented on your page “Syllabus”" in message.body
    assert f"{syllabus.get_absolute_url()}#comment-{first.pk}" in message.body
    NotificationPreference.objects.create(user=instructor, email_comment_on_post=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(page=syllabus, user=classmate, body="Ans.", parent_id=first.pk)
    [message] = mail.outbox  # the student's reply email; the author turned theirs off
    assert message.to == [student.email] and "replied to your comment" in message.body
    assert Notification.objects.filter(recipient=instructor).count() == 2  # still listed


def test_deleting_a_page_says_its_comments_go_with_it(client, course, instructor, syllabus):
    Comment.objects.create(page=syllabus, author=instructor, body="One.")
    Comment.objects.create(page=syllabus, author=instructor, body="Two.")
    client.force_login(instructor)
    url = reverse("coursepages:page_delete", args=[course.slug, syllabus.slug])
    assert "Its 2 comments go with it." in client.get(url).content.decode()
    client.post(url)
    assert not Comment.objects.exists()


def test_a_signed_out_readers_like_link_on_a_page_comment_leads_to_sign_in_and_back(
    client, course, student, syllabus
):
    """The thread's Like link for a reader who may not like yet (a GET of the comment's
    Like URL) takes them to sign in and back to the comment, on a page as on a post."""
    comment = factories.CommentFactory(page=syllabus, post=None, author=student)
    response = client.get(reverse("comments:comment_like", args=[comment.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    assert CommentLike.objects.count() == 0
    student_client = Client()
    student_client.force_login(student)
    back = student_client.get(reverse("comments:comment_like", args=[comment.pk]))
    assert back.status_code == 302 and back.url == comment.get_absolute_url()
