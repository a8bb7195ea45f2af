"""Writes that span models or have side effects (see STYLE.md)."""

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from accounts.images import encode, save_renditions
from blog.models import BodyImage, Membership, PostLike, Role, Topic


@transaction.atomic
def create_course(*, form, instructor):
    """Save a new course from a valid CourseForm; its creator becomes its instructor."""
    course = form.save()
    Membership.objects.create(course=course, user=instructor, role=Role.INSTRUCTOR)
    course.forget_roles(instructor)
    return course


def join_course(*, course, user):
    """Make user a student of course (no change if they are already a member)."""
    try:
        with transaction.atomic():
            membership, created = Membership.objects.get_or_create(
                course=course, user=user, defaults={"role": Role.STUDENT}
            )
    except IntegrityError:  # a concurrent join won the race
        membership, created = Membership.objects.get(course=course, user=user), False
    course.forget_roles(user)
    return membership, created


@transaction.atomic
def save_post(*, form, action):
    """Save a valid PostForm (its instance has course and author set).

    action is "draft", "publish", "update" or "unpublish".
    """
    post = form.save(commit=False)
    if action == "publish":
        post.publish()
    elif action == "unpublish":
        post.unpublish()
    if form.cleaned_data.get("remove_image") and not form.featured_image:
        _drop_image(post)
    if form.featured_image:
        _drop_image(post)
        set_featured_image(post, form.featured_image)
    post.save()
    topics = list(form.cleaned_data.get("topics") or [])
    topics += [
        get_or_create_topic(course=post.course, name=name)
        for name in form.cleaned_data.get("new_topics") or []
    ]
    post.topics.set(topics)
    return post


def get_or_create_topic(*, course, name):
    slug = slugify(name)[:80] or "topic"
    topic, _ = Topic.objects.get_or_create(course=course, slug=slug, defaults={"name": name})
    return topic


def set_featured_image(post, clean):
    """Store the cleaned original (privately) and its public renditions on post."""
    content, _, _ = encode(clean.image)
    post.image.save("original.webp", content, save=False)
    post.image_renditions = save_renditions(clean, folder="posts")


def _drop_image(post):
    """Forget the post's image; its files go once the transaction has committed."""
    names = [r["name"] for r in post.image_renditions]
    if post.image:
        names.append(post.image.name)
    post.image = ""
    post.image_renditions = []
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def store_body_image(*, course, user, clean):
    """Keep an image inserted into a post body; returns the BodyImage."""
    return BodyImage.objects.create(
        course=course,
        uploaded_by=user,
        renditions=save_renditions(clean, folder="posts/body", widths=(800, 1600)),
    )


@transaction.atomic
def delete_post(*, post):
    _drop_image(post)
    post.delete()


def set_like(*, model, user, liked, **target):
    """Make `user` like (or stop liking) the target row of a like model.

    `target` names the liked object, e.g. ``post=post``. The unique constraint is the
    guard: a double click or two racing requests end with one row, and a race lost
    on the insert is not an error. Returns the number of likes, counted from the rows.
    """
    rows = model.objects.filter(**target)
    if liked:
        try:
            with transaction.atomic():
                model.objects.create(user=user, **target)
        except IntegrityError:
            pass  # already liked: by an earlier click or a concurrent request
    else:
        rows.filter(user=user).delete()
    return rows.count()


def like_post(*, post, user, liked=True):
    return set_like(model=PostLike, user=user, liked=liked, post=post)
