"""A student with something of everything: the person the export and erasure tests use."""

import io
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.images import clean_image_upload
from assignments import services as assignment_services
from blog import pending
from blog import services as blog_services
from notifications.models import GuestSubscription, Notification, NotificationPreference
from references.models import Reference
from tests import factories

NAME = ("Zephyrine", "Quillfeather")
USERNAME = "zquillfeather"
EMAIL = "Zephyrine.Q@uni.example"


def jpeg(colour="teal"):
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 700), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def image_upload(colour="teal"):
    return clean_image_upload(
        SimpleUploadedFile("zephyrine-photo.jpg", jpeg(colour), content_type="image/jpeg")
    )


@dataclass
class Person:
    user: object
    keep_course: object
    remove_course: object
    posts: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    stored: list = field(default_factory=list)  # storage names that are theirs
    kept_images: list = field(default_factory=list)  # images of posts kept on erasure


def featured_post(course, author, title, colour):
    post = factories.PostFactory(course=course, author=author, title=title)
    blog_services.set_featured_image(post, image_upload(colour))
    post.save()
    return post


@pytest.fixture
def person(db):
    """Zephyrine: a student in a "keep" course and a "remove" course, with posts (featured
    and body images), comments answered by others, likes, private feedback and a grade,
    references, notification settings, a follow-up by email, a social account, a
    calendar feed, an avatar and a pending upload."""
    user = factories.UserFactory(
        username=USERNAME, email=EMAIL, first_name=NAME[0], last_name=NAME[1],
        display_name=f"{NAME[0]} Q.", bio="I write about the Thaw.",
    )  # fmt: skip
    keep = factories.CourseFactory(title="History 101", erasure_policy="keep")
    remove = factories.CourseFactory(title="Poetry 202", erasure_policy="remove")
    instructor = factories.UserFactory(username="prof", display_name="Prof Ivanova")
    for course in (keep, remove):
        factories.MembershipFactory(course=course, user=user)
        factories.MembershipFactory(course=course, user=instructor, role="instructor")
    found = Person(user=user, keep_course=keep, remove_course=remove)

    user.avatar.save("avatar.jpg", ContentFile(jpeg("red")), save=True)
    found.stored.append(user.avatar.name)

    for course, colour in ((keep, "teal"), (remove, "navy")):
        post = featured_post(course, user, f"On samizdat in {course.title}", colour)
        body_image = blog_services.store_body_image(
            course=course, user=user, clean=image_upload("olive")
        )
        post.body = f"Look:\n\n![A leaflet](/media/{body_image.body_rendition['name']})\n"
        post.save()
        names = [post.image.name, *(r["name"] for r in post.image_renditions)]
        names += [r["name"] for r in body_image.renditions]
        (found.kept_images if course is keep else found.stored).extend(names)
        found.posts.append(post)
        Reference.objects.create(post=post, key="havel1978", title="The Power of the Powerless",
                                 authors=[{"family": "Havel", "given": "Václav"}])  # fmt: skip
    draft = factories.PostFactory(course=keep, author=user, status="draft", published_at=None)
    found.posts.append(draft)

    # A discussion on someone else's post: her comment has replies (its thread must keep
    # its shape); a guest comment she left before she had an account, by her address.
    other_post = factories.PostFactory(course=keep, title="Someone else's post")
    mine = factories.CommentFactory(post=other_post, author=user, body="My view, by Zephyrine")
    reply = factories.CommentFactory(post=other_post, parent=mine, body="A reply to her")
    factories.CommentFactory(post=other_post, parent=reply, body="A reply to the reply")
    on_own = factories.CommentFactory(post=found.posts[0], author=user, body="Thanks all")
    guest = factories.CommentFactory(
        post=other_post, author=None, guest_name="Zephyrine", guest_email=EMAIL.upper()
    )
    found.comments = [mine, on_own, guest]
    GuestSubscription.objects.create(email=EMAIL, post=other_post, comment=guest, root=guest)
    Notification.objects.create(recipient=other_post.author, kind="comment_on_post",
                                post=other_post, comment=mine, actor_name=user.name)  # fmt: skip
    factories.NotificationFactory(post=found.posts[0])

    factories.PostLikeFactory(post=other_post, user=user)
    factories.CommentLikeFactory(comment=reply, user=user)
    factories.CommentLikeFactory(comment=mine)  # someone likes her comment

    NotificationPreference.objects.create(user=user, email_comment_on_post=False)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="zq.second@mail.example", verified=False)
    SocialAccount.objects.create(user=user, provider="facebook", uid="z-1",
                                 extra_data={"name": f"{NAME[0]} {NAME[1]}"})  # fmt: skip
    assignment_services.calendar_feed(course=keep, user=user)
    kept = pending.keep(SimpleUploadedFile("draft.jpg", jpeg()), user=user)
    found.stored.append(kept.name)
    found.instructor = instructor
    return found


@pytest.fixture
def graded(person):
    """Her first post answers an assignment: submitted, with private feedback and a grade."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    assignment = assignment_services.create_assignment(
        course=person.keep_course, title="The Thaw in three documents", prompt="Answer.",
        opens_at=now - timedelta(days=2), due_at=now + timedelta(days=2), points=10,
    )  # fmt: skip
    post = person.posts[0]
    submission = assignment_services.submit(assignment=assignment, post=post)
    assignment_services.add_feedback(post=post, author=person.instructor, body="Good sources.")
    assignment_services.add_feedback(post=post, author=person.user, body="Thank you!")
    assignment_services.grade(submission=submission, grader=person.instructor, points=8)
    return submission
