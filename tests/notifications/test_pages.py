"""The bell, the notifications page, mark as read (one or all) and the query budget."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.rendering import plain_text
from config import hooks
from notifications.models import Notification
from tests import factories

LIST_URL = reverse("notifications:notification_list")
BELL_TEMPLATE = "notifications/_nav_bell.html"


def bell(html):
    match = re.search(
        r'<a class="nav-link site-bell[^"]*" href="/notifications/">(.*?)</a>', html, re.S
    )
    return match and " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_the_bell_shows_the_unread_count_to_signed_in_users(client, post, student):
    factories.NotificationFactory.create_batch(3, post=post)
    factories.NotificationFactory(post=post, read_at="2027-01-01T00:00:00Z")
    assert bell(client.get("/").content.decode()) is None
    client.force_login(student)
    assert bell(client.get("/").content.decode()) == "Notifications 3 unread"


def test_the_bell_stays_outside_the_phone_menu_that_folds_away(client, post, student):
    factories.NotificationFactory.create_batch(2, post=post)
    client.force_login(student)
    for url in ("/", post.get_absolute_url(), LIST_URL):
        html = client.get(url).content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        menu = header.index('id="site-nav"')  # folded behind "Menu" on phones
        assert header.count("site-bell__count") == 1
        assert header.index("site-bell__count") < menu
        assert header.index("site-bell") < header.index("site-menu-toggle")


def test_the_bell_shows_no_count_when_all_is_read(client, student):
    client.force_login(student)
    assert bell(client.get("/").content.decode()) == "Notifications"


def test_the_page_lists_my_notifications_newest_first(client, post, student, classmate):
    older = factories.NotificationFactory(post=post, actor_name="Ada")
    newer = factories.NotificationFactory(post=post, actor_name="Bo", kind="reply_to_comment")
    factories.NotificationFactory(recipient=classmate, actor_name="Not for stu")
    client.force_login(student)
    response = client.get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<title>Notifications · Commonplace</title>" in html
    assert html.index("Bo replied to your comment") < html.index("Ada commented on your post")
    assert "Not for stu" not in html
    assert plain_text(newer.comment.body_html) in html  # its words, not its Markdown
    for notification in (older, newer):
        assert reverse("notifications:notification_open", args=[notification.pk]) in html
        assert f'aria-label="Mark as read: {notification.text}"' in html
    assert reverse("notifications:preferences") in html


def test_the_page_needs_sign_in(client):
    assert client.get(LIST_URL)["Location"].startswith(reverse("account_login"))


def test_the_page_shows_twenty_at_a_time(client, post, student):
    factories.NotificationFactory.create_batch(25, post=post)
    client.force_login(student)
    first = client.get(LIST_URL).content.decode()
    second = client.get(LIST_URL + "?page=2").content.decode()
    assert first.count('class="notification ') == 20
    assert second.count('class="notification ') == 5
    assert "Page 2 of 2" in second


def test_mark_one_as_read(client, post, student):
    notification, other = factories.NotificationFactory.create_batch(2, post=post)
    client.force_login(student)
    url = reverse("notifications:notification_read", args=[notification.pk])
    response = client.post(url, {"next": LIST_URL + "?page=1"})
    assert response["Location"] == LIST_URL + "?page=1"
    notification.refresh_from_db(), other.refresh_from_db()
    assert notification.is_read and not other.is_read


def test_mark_all_as_read_marks_only_mine(client, post, student, classmate):
    factories.NotificationFactory.create_batch(2, post=post)
    theirs = factories.NotificationFactory(recipient=classmate)
    client.force_login(student)
    response = client.post(reverse("notifications:notification_read_all"), follow=True)
    assert "Marked 2 notifications as read." in response.content.decode()
    assert not Notification.objects.for_recipient(student).unread().exists()
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_opening_a_notification_marks_it_read_and_goes_to_the_comment(client, post, student):
    notification = factories.NotificationFactory(post=post)
    client.force_login(student)
    response = client.post(reverse("notifications:notification_open", args=[notification.pk]))
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{notification.comment_id}"
    notification.refresh_from_db()
    assert notification.is_read


@pytest.mark.parametrize("name", ["notification_read", "notification_open"])
def test_someone_elses_notification_is_not_found(client, post, classmate, name):
    notification = factories.NotificationFactory(post=post)
    client.force_login(classmate)
    assert client.post(reverse(f"notifications:{name}", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


@pytest.mark.parametrize(
    "url",
    [
        reverse("notifications:notification_read", args=[1]),
        reverse("notifications:notification_open", args=[1]),
        reverse("notifications:notification_read_all"),
    ],
)
def test_marking_needs_post(client, student, url):
    client.force_login(student)
    assert client.get(url).status_code == 405


def test_anonymous_marking_goes_to_sign_in(client):
    response = client.post(reverse("notifications:notification_read_all"))
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_takes_the_same_queries_however_many_it_shows(
    client, post, student, count, django_assert_max_num_queries
):
    award = factories.AwardFactory(course=post.course)
    factories.NotificationFactory.create_batch(count, post=post)
    grant = factories.AwardGrantFactory(award=award, post=post)
    factories.NotificationFactory(post=post, kind="award_received", comment=None, grant=grant)
    client.force_login(student)
    # session, user, the bell, the count for the pages, the page itself
    with django_assert_max_num_queries(5):
        assert client.get(LIST_URL).status_code == 200


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("page", ["home", "post", "author's posts"])
def test_the_bell_adds_one_query_to_a_signed_in_page_and_none_for_visitors(
    client, post, student, page
):
    """On the pages PageCacheMiddleware serves (home, course, post), the count comes
    with the reader's row (with_unread_count): no query of its own."""
    factories.NotificationFactory.create_batch(3, post=post)
    factories.CommentFactory.create_batch(3, post=post)
    url = {
        "post": post.get_absolute_url(),
        "home": "/",
        "author's posts": reverse(
            "blog:author_posts", args=[post.course.slug, post.author.username]
        ),
    }[page]

    def count(signed_in):
        client.logout()
        if signed_in:
            client.force_login(student)
        queries(client, url)  # warm caches (the Site, content types)
        return queries(client, url)

    with_bell = {"visitor": count(False), "member": count(True)}
    with hooks.SITE_BAR.override(keep=lambda part: part.template != BELL_TEMPLATE):
        bare = {"visitor": count(False), "member": count(True)}
    assert with_bell["member"] == bare["member"] + (page == "author's posts")
    assert with_bell["visitor"] == bare["visitor"]


def test_the_list_shows_a_comments_words_not_its_markdown(client, db):
    from tests import factories

    post = factories.PostFactory()
    comment = factories.CommentFactory(post=post, body="Read *Pravda* & compare.")
    Notification.objects.create(
        recipient=post.author, kind="comment_on_post", post=post, comment=comment
    )
    client.force_login(post.author)
    html = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Read Pravda &amp; compare." in html
    assert "*Pravda*" not in html
