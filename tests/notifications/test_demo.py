"""The demo's notifications agree with what the demo's pages show."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from awards.models import AwardGrant
from comments.home import home_activity
from notifications.models import Notification


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


class _Request:
    def __init__(self, user):
        self.user = user


def test_every_reply_and_award_on_a_students_home_is_on_their_notifications_page(demo):
    anya = User.objects.get(username="anya")
    shown = home_activity(_Request(anya))["home_comments"]
    assert shown  # the demo gives her replies to read
    notified = set(
        Notification.objects.for_recipient(anya)
        .exclude(comment=None)
        .values_list("comment_id", flat=True)
    )
    assert {comment.pk for comment in shown} <= notified
    grants = set(AwardGrant.objects.filter(post__author=anya).values_list("pk", flat=True))
    assert grants
    awarded = Notification.objects.for_recipient(anya).filter(kind="award_received")
    assert set(awarded.values_list("grant_id", flat=True)) == grants
    client = Client()
    client.force_login(anya)
    content = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Nothing yet" not in content
    assert "award" in content and "replied to your comment" in content


def test_seeding_again_adds_no_notifications(demo):
    count = Notification.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Notification.objects.count() == count
