import re

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories
from tests.notifications.mail import FailingEmailBackend


@pytest.fixture(autouse=True)
def _comment_freely(settings):
    settings.COMMENT_FLOOD_INTERVAL = 0


@pytest.fixture
def failing_mail(settings):
    """A mail server that refuses everything (FailingEmailBackend.reset(n) to heal it)."""
    settings.EMAIL_BACKEND = "tests.notifications.mail.FailingEmailBackend"
    FailingEmailBackend.reset()
    return FailingEmailBackend


@pytest.fixture
def other_instructor(db):
    """An instructor of another course: none of this course's business."""
    return factories.MembershipFactory(
        role="instructor", user=factories.UserFactory(username="elsewhere")
    ).user


@pytest.fixture
def guest():
    return {"guest_name": "Gwen Guest", "guest_email": "Gwen@Example.org"}


def comment_on(client, post, body="A reply worth reading.", parent=None, **extra):
    """Post a comment (or a reply to parent) through the form."""
    data = {"body": body, **extra}
    if parent is not None:
        data["parent"] = parent.pk
    url = reverse("comments:comment_create", args=[post.course.slug, post.slug])
    return client.post(url, data)


def moderate(client, comment_, action="approve"):
    return client.post(reverse("comments:comment_moderate", args=[comment_.pk]), {"action": action})


def recipients():
    """Who got email, in order."""
    return [address for message in mail.outbox for address in message.to]


def unsubscribe_path(message):
    """The path of the unsubscribe link in an email's body."""
    match = re.search(r"https?://[^/\s]+(/notifications/unsubscribe/\S+/)", message.body)
    assert match, message.body
    return match.group(1)
