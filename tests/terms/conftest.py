from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests import factories

START = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)


def make_course(*, posts, comments_per_post, visibility="public"):
    """A course with topics, an award, a featured image, threaded comments, a draft and
    a held comment: what an archive has to get right. Dates are fixed."""
    instructor = factories.UserFactory(username=f"prof-{visibility}")
    course = factories.CourseFactory(title="Thaw & After", visibility=visibility)
    factories.MembershipFactory(course=course, user=instructor, role="instructor")
    topics = [factories.TopicFactory(course=course, name=f"Week {n}") for n in (1, 2)]
    students = [factories.UserFactory(username=f"s{n}-{visibility}") for n in range(3)]
    name = f"courses/{course.pk}/posts/p-400.webp"
    default_storage.save(name, ContentFile(b"RIFF0000WEBPVP8 "))
    made = []
    for n in range(posts):
        post = factories.PostFactory(
            course=course,
            author=students[n % 3],
            title=f"Essay {n}",
            published_at=START + timedelta(days=9 * n),
            body=f"Essay {n}. See [the course](/c/{course.slug}/) and [Django](https://www.djangoproject.com/).",
        )
        post.topics.add(topics[n % 2])
        parent = None
        for c in range(comments_per_post):
            parent = factories.CommentFactory(
                post=post, author=students[(n + c + 1) % 3], parent=parent if c % 3 else None
            )
        made.append(post)
    made[0].image_renditions = [{"width": 400, "height": 225, "name": name}]
    made[0].image_alt = "A crowd"
    made[0].save()
    factories.CommentFactory(post=made[0], author=students[1], body="Held back", status="pending")
    factories.PostFactory(course=course, author=students[0], title="Secret draft", status="draft",
                          published_at=None)  # fmt: skip
    award = factories.AwardFactory(course=course, name="Best essay")
    factories.AwardGrantFactory(award=award, post=made[0], granted_by=instructor, citation="Bold.")
    # Only a closed course is archived (terms.archive.can_be_archived); a fixed date.
    course.closed_at = START + timedelta(days=400)
    course.save(update_fields=["closed_at"])
    return course


@pytest.fixture
def archived_course(db):
    return make_course(posts=30, comments_per_post=10)


@pytest.fixture
def small_course(db):
    return make_course(posts=3, comments_per_post=3)


@pytest.fixture
def members_course(db):
    return make_course(posts=3, comments_per_post=2, visibility="members")
