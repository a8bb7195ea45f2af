import factory
from django.contrib.auth import get_user_model
from django.utils import timezone


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.edu")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pass-word-123")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "blog.Course"

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    term = "Spring 2027"
    visibility = "public"
    guest_comments = "moderated"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "blog.Membership"

    course = factory.SubFactory(CourseFactory)
    user = factory.SubFactory(UserFactory)
    role = "student"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "blog.Topic"

    course = factory.SubFactory(CourseFactory)
    name = factory.Sequence(lambda n: f"Topic {n}")


class PostFactory(factory.django.DjangoModelFactory):
    """A published post by a student member of its course."""

    class Meta:
        model = "blog.Post"
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Post number {n}")
    body = "Some *Markdown* text with a quote:\n\n> Quoted words."
    status = "published"
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def membership(post, create, extracted, **kwargs):
        if create:
            from blog.models import Membership

            Membership.objects.get_or_create(
                course=post.course, user=post.author, defaults={"role": "student"}
            )


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved comment by a signed-in user (pass author=None and guest_* for a guest)."""

    class Meta:
        model = "comments.Comment"

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment number {n}, with *emphasis*.")
    status = "approved"


class CommentLikeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "comments.CommentLike"

    comment = factory.SubFactory(CommentFactory)
    user = factory.SubFactory(UserFactory)


class PostLikeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "blog.PostLike"

    post = factory.SubFactory(PostFactory)
    user = factory.SubFactory(UserFactory)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "awards.Award"

    course = factory.SubFactory(CourseFactory)
    name = factory.Sequence(lambda n: f"Award {n}")
    description = "For a post that shows the way."
    emoji = "🏅"
    colour = "#9a6b00"


class AwardGrantFactory(factory.django.DjangoModelFactory):
    """A grant of an award to a published post of the award's course."""

    class Meta:
        model = "awards.AwardGrant"

    award = factory.SubFactory(AwardFactory)
    post = factory.SubFactory(PostFactory, course=factory.SelfAttribute("..award.course"))
    granted_by = factory.SubFactory(UserFactory)
    citation = ""


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread "new comment on your post" notification to the post's author."""

    class Meta:
        model = "notifications.Notification"

    post = factory.SubFactory(PostFactory)
    recipient = factory.SelfAttribute("post.author")
    kind = "comment_on_post"
    comment = factory.SubFactory(CommentFactory, post=factory.SelfAttribute("..post"))
    actor_name = "A classmate"


class GuestSubscriptionFactory(factory.django.DjangoModelFactory):
    """A guest following the thread of their own approved comment."""

    class Meta:
        model = "notifications.GuestSubscription"

    comment = factory.SubFactory(
        CommentFactory, author=None, guest_name="Gwen Guest", guest_email="gwen@example.org"
    )
    email = factory.SelfAttribute("comment.guest_email")
    post = factory.SelfAttribute("comment.post")
    root = factory.SelfAttribute("comment")


class PageFactory(factory.django.DjangoModelFactory):
    """A published course page (coursepages)."""

    class Meta:
        model = "coursepages.Page"

    course = factory.SubFactory(CourseFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Page number {n}")
    body = "The *course's* page, with a list:\n\n- one\n- two"
    status = "published"
    published_at = factory.LazyFunction(timezone.now)
