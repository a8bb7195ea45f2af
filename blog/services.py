"""Writes that span models or have side effects (docs/style.md, Where logic lives)."""

from dataclasses import dataclass, field
from datetime import UTC, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.images import encode, save_renditions
from blog import media, scheduling, versions
from blog.models import (
    AnnouncementSeen,
    BodyImage,
    Course,
    Invitation,
    Membership,
    Post,
    PostLike,
    Role,
    Topic,
    course_zone_of,
    new_join_code,
)
from blog.signals import post_pinned
from config.mail import queue_email


@transaction.atomic
def create_course(*, instructor, **fields):
    """A new course with the given field values (title, term, description, visibility,
    guest_comments, thread_depth); its creator becomes its instructor."""
    course = Course.objects.create(**fields)
    Membership.objects.create(course=course, user=instructor, role=Role.INSTRUCTOR)
    versions.changed(course=course)
    course.forget_roles(instructor)
    return course


@transaction.atomic
def regenerate_join_code(*, course):
    """A new join code; the old one no longer works. Instructors see it on the course
    page, also when cached."""
    course.join_code = new_join_code()
    course.save(update_fields=["join_code"])
    versions.changed(course=course)


def join_course(*, course, user):
    """Make user a student of course (no change if they are already a member)."""
    try:
        with transaction.atomic():
            membership, created = Membership.objects.get_or_create(
                course=course, user=user, defaults={"role": Role.STUDENT}
            )
            versions.changed(course=course)
    except IntegrityError:  # a concurrent join won the race
        membership, created = Membership.objects.get(course=course, user=user), False
    course.forget_roles(user)
    return membership, created


# The post fields the editor (and the importer) set through save_post.
POST_FIELDS = frozenset(
    {
        "title", "body", "excerpt", "image_alt", "image_caption", "image_credit",
        "image_credit_url", "visibility",
    }
)  # fmt: skip
POST_ACTIONS = frozenset({"draft", "publish", "schedule", "update", "unpublish"})


@transaction.atomic
def save_post(
    *,
    post,
    action="draft",
    topics=(),
    new_topics=(),
    featured_image=None,
    remove_image=False,
    sections=(),
    publish_at=None,
    **fields,
):
    """Save `post` (new or not; its course and author are set) with the given values.

    `fields` are POST_FIELDS; `action` is "draft", "publish", "schedule" (to go live at
    `publish_at`, an aware datetime in the future), "update" or "unpublish" ("draft"
    also takes a scheduled post back to a draft);
    `topics` are the course's Topics, `new_topics` names of topics to find or create;
    `featured_image` a CleanImage (accounts.images) that replaces the current image,
    `remove_image` drops the current one. `sections` are the editor sections of other
    apps, as (save, cleaned_data) pairs: each ``save(post=..., cleaned_data=...)`` runs
    after the post is saved, in the same transaction.
    """
    if unknown := set(fields) - POST_FIELDS:
        raise TypeError(f"save_post() got unexpected fields: {', '.join(sorted(unknown))}")
    if action not in POST_ACTIONS:
        raise ValueError(f"Unknown action {action!r}.")
    for name, value in fields.items():
        setattr(post, name, value)
    if action == "publish":
        post.publish()
    elif action == "schedule":
        if post.is_published or publish_at is None or publish_at <= timezone.now():
            raise ValueError("Only a post not yet published is scheduled, for a later time.")
        post.schedule(publish_at)
    elif action == "unpublish" or (action == "draft" and post.is_scheduled):
        post.unpublish()
    if featured_image or remove_image:
        _drop_image(post)
    if featured_image:
        set_featured_image(post, featured_image)
    post.save()
    topics = list(topics)
    topics += [get_or_create_topic(course=post.course, name=name) for name in new_topics]
    post.topics.set(topics)
    for save, cleaned_data in sections:
        save(post=post, cleaned_data=cleaned_data)
    versions.changed(post=post)
    return post


def action_when_refused(*, action):
    """What an editor action becomes when another app's editor section refuses to let
    the post go live now (blog.extensions, ``refuse``): "publish" saves it as a draft
    (the writer is told why it didn't go live); any other action changes nothing (None:
    the writer is told why)."""
    return "draft" if action == "publish" else None


@transaction.atomic
def unpublish_post(*, post):
    """Make a published post a draft again (its author and the instructors still see it)."""
    post.unpublish()
    post.save()
    versions.changed(post=post)


@transaction.atomic
def save_course_settings(*, course, header_image=None, remove_header=False, **fields):
    """Give an existing course these field values: every page of the course changes.
    `header_image` (a CleanImage) replaces its header image; `remove_header` drops it."""
    for name, value in fields.items():
        setattr(course, name, value)
    if header_image is not None:
        set_course_header(course=course, clean=header_image)
    elif remove_header:
        drop_course_header(course=course)
    course.save()
    versions.changed(course=course)
    return course


HEADER_WIDTHS = (800, 1600)  # a header spans the page: a phone's 390 px at 2x, a laptop


def set_course_header(*, course, clean):
    """Give the course a header image (a CleanImage, accounts.images), replacing its
    old one; call inside save_course_settings' transaction (it saves the course)."""
    drop_course_header(course=course)
    course.header_renditions = save_renditions(
        clean, folder=media.course_folder(course.pk, "header"), widths=HEADER_WIDTHS
    )
    media.set_course_media_access(course, [r["name"] for r in course.header_renditions])


def drop_course_header(*, course):
    """Forget the header image; its files go once the transaction has committed."""
    names = [r["name"] for r in course.header_renditions]
    course.header_renditions = []
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


# --- Announcements: a pinned post at the top of the course page and home ---


@transaction.atomic
def pin_post(*, post, by, until=None):
    """Pin a published post as an announcement until `until` (None: until unpinned), or
    change the time a pinned one expires. Newly pinned, its course's members hear of it
    (``post_pinned``: notifications) and see it as new until they open it; not the one
    who pinned it, nor its author: each knows it already."""
    newly = not post.is_pinned
    if newly:
        post.pinned_at = timezone.now()
        AnnouncementSeen.objects.filter(post=post).delete()  # pinned again: new again
        AnnouncementSeen.objects.bulk_create(
            [AnnouncementSeen(post=post, user_id=pk) for pk in {by.pk, post.author_id} if pk],
            ignore_conflicts=True,
        )
    post.pinned_until = until
    # An update, not save(): saving renders the body again (and its embeds).
    Post.objects.filter(pk=post.pk).update(pinned_at=post.pinned_at, pinned_until=until)
    versions.changed(post=post)
    if newly:
        post_pinned.send(sender=Post, post=post, pinned_by=by)
    return post


@transaction.atomic
def unpin_post(*, post):
    post.pinned_at = post.pinned_until = None
    Post.objects.filter(pk=post.pk).update(pinned_at=None, pinned_until=None)
    versions.changed(post=post)


def record_announcement_seen(*, post, user):
    """`user` opened the pinned `post`: its "new" mark is gone for them. One INSERT
    that a second opening, or two at once, leaves as it is (the unique constraint)."""
    AnnouncementSeen.objects.bulk_create(
        [AnnouncementSeen(post=post, user=user)], ignore_conflicts=True
    )


def get_or_create_topic(*, course, name):
    slug = slugify(name)[:80] or "topic"
    topic, _ = Topic.objects.get_or_create(course=course, slug=slug, defaults={"name": name})
    return topic


def set_featured_image(post, clean):
    """Store the cleaned original (privately) and its public renditions on post."""
    content, _, _ = encode(clean.image)
    post.image.save("original.webp", content, save=False)
    post.image_renditions = save_renditions(
        clean, folder=media.course_folder(post.course_id, "posts")
    )
    media.set_course_media_access(post.course, [r["name"] for r in post.image_renditions])


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
    renditions = save_renditions(
        clean, folder=media.course_folder(course.pk, "body"), widths=(800, 1600)
    )
    media.set_course_media_access(course, [r["name"] for r in renditions])
    return BodyImage.objects.create(course=course, uploaded_by=user, renditions=renditions)


@transaction.atomic
def delete_post(*, post):
    versions.changed(post=post)
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


@transaction.atomic
def like_post(*, post, user, liked=True):
    versions.changed(post=post)
    return set_like(model=PostLike, user=user, liked=liked, post=post)


# --- The roster ---

LAST_INSTRUCTOR_MESSAGE = (
    "%(name)s is the course's only instructor. Make someone else an instructor first."
)


@dataclass
class AddMembersResult:
    """What ``add_members`` did with each entry: nothing is dropped silently."""

    role: str = Role.STUDENT  # the role the added users got
    added: list = field(default_factory=list)  # users who joined
    already_members: list = field(default_factory=list)  # users already in the course
    unknown: list = field(default_factory=list)  # entries matching no account
    ambiguous: list = field(default_factory=list)  # emails shared by several accounts
    duplicates: list = field(default_factory=list)  # entries naming someone named before

    @property
    def not_added(self):
        """Entries that need the instructor's attention (no account, or several)."""
        return self.unknown + self.ambiguous


def _find_users(entries):
    """{lowercased entry: [users]} for entries that are a username or an email (any case)."""
    User = get_user_model()
    keys = {entry.lower() for entry in entries}
    found = {}
    candidates = User.objects.annotate(
        username_key=Lower("username"), email_key=Lower("email")
    ).filter(Q(username_key__in=keys) | Q(email_key__in=keys))
    for user in candidates.order_by("pk"):
        if user.username_key in keys:
            found.setdefault(user.username_key, []).insert(0, user)  # usernames win
        if user.email_key in keys and user.email_key != user.username_key:
            found.setdefault(user.email_key, []).append(user)
    return found


@transaction.atomic
def add_members(*, course, entries, role=Role.STUDENT):
    """Add the people named by `entries` (usernames or emails, any case) to `course`.

    Each entry lands in exactly one list of the returned AddMembersResult. A username
    is unique; an email shared by several accounts is ambiguous and adds nobody.
    """
    result = AddMembersResult(role=Role(role))
    found = _find_users(entries)
    members = set(course.memberships.values_list("user_id", flat=True))
    seen, new = set(), []
    for entry in entries:
        users = found.get(entry.lower(), [])
        if not users:
            result.unknown.append(entry)
        elif len(users) > 1 and users[0].username.lower() != entry.lower():
            result.ambiguous.append(entry)
        elif users[0].pk in seen:
            result.duplicates.append(entry)
        else:
            user = users[0]
            seen.add(user.pk)
            (result.already_members if user.pk in members else new).append(user)
    Membership.objects.bulk_create(
        [Membership(course=course, user=user, role=role) for user in new],
        ignore_conflicts=True,  # someone joining with the code at this moment is no error
    )
    result.added = new
    versions.changed(course=course)
    return result


def _guard_last_instructor(membership):
    if membership.is_last_instructor():
        raise ValidationError(
            LAST_INSTRUCTOR_MESSAGE, code="last_instructor", params={"name": membership.user.name}
        )


@transaction.atomic
def change_role(*, membership, role):
    """Make a member a student, a teaching assistant or an instructor; a course always
    keeps an instructor."""
    list(Membership.objects.select_for_update().for_course(membership.course_id).instructors())
    if role != Role.INSTRUCTOR:
        _guard_last_instructor(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    versions.changed(courses=Course.objects.filter(pk=membership.course_id))
    membership.course.forget_roles(membership.user)
    return membership


@transaction.atomic
def remove_member(*, membership):
    """Take someone off the roster. Their posts, comments, likes and awards stay."""
    list(Membership.objects.select_for_update().for_course(membership.course_id).instructors())
    _guard_last_instructor(membership)
    membership.delete()
    versions.changed(courses=Course.objects.filter(pk=membership.course_id))
    membership.course.forget_roles(membership.user)


def apply_course_media_access(*, course):
    """After a change of visibility: the course's stored images follow it (on S3 their
    objects become public or private once the change has committed)."""
    names = [
        r["name"] for post in course.posts.only("image_renditions") for r in post.image_renditions
    ]
    for renditions in course.body_images.values_list("renditions", flat=True):
        names += [r["name"] for r in renditions]
    for thumbnail in course.embeds.values_list("thumbnail", flat=True):  # blog/embeds.py
        names += [thumbnail["name"]] if thumbnail else []
    names += [r["name"] for r in course.header_renditions]
    transaction.on_commit(lambda: media.set_course_media_access(course, names))


# --- Invitations: a sign-up link into a course, by email ---


@dataclass
class InviteResult:
    """What ``invite_people`` did with each address."""

    role: str = Role.STUDENT
    invited: list = field(default_factory=list)  # addresses sent a link (new or renewed)
    already_members: list = field(default_factory=list)  # addresses of members: no email


INVITATION_USED = "This invitation has already been used."
INVITATION_EXPIRED = "This invitation has expired."


@transaction.atomic
def invite_people(*, course, emails, role, invited_by, site_url):
    """Email each address a single-use link that makes whoever accepts it (after
    signing up or in) a member of ``course`` with ``role``, for Invitation.DAYS days.

    An address with an open invitation to this course gets a new link (the old one
    stops working); a member's address gets nothing. ``site_url`` ("https://host")
    starts the links. The emails leave after the commit (config.mail).
    """
    result = InviteResult(role=Role(role))
    member_emails = {
        e.lower() for e in course.memberships.values_list("user__email", flat=True) if e
    }
    now = timezone.now()
    for email in dict.fromkeys(e.strip().lower() for e in emails):
        if email in member_emails:
            result.already_members.append(email)
            continue
        invitation = (
            Invitation.objects.select_for_update()
            .filter(course=course, email=email, accepted_at__isnull=True)
            .first()
        ) or Invitation(course=course, email=email)
        invitation.role, invitation.invited_by = role, invited_by
        invitation.created, invitation.expires_at = now, now + timedelta(days=Invitation.DAYS)
        token = invitation.new_token()
        invitation.save()
        link = site_url.rstrip("/") + reverse("blog:invitation_accept", args=[token])
        queue_email(invitation_email(invitation, link))
        result.invited.append(email)
    return result


def invitation_email(invitation, link):
    context = {"invitation": invitation, "course": invitation.course, "link": link}
    subject = render_to_string("blog/email/invitation_subject.txt", context).strip()
    body = render_to_string("blog/email/invitation.txt", context)
    return EmailMultiAlternatives(subject=subject, body=body, to=[invitation.email])


@transaction.atomic
def accept_invitation(*, invitation, user):
    """Make ``user`` a member of the invitation's course with its role, and use it up.

    Raises ValidationError ("used", "expired"). Someone already a member stays as they
    are (the invitation is used all the same). Returns (membership, created).
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_used:
        raise ValidationError(INVITATION_USED, code="used")
    if invitation.is_expired():
        raise ValidationError(INVITATION_EXPIRED, code="expired")
    course = Course.objects.get(pk=invitation.course_id)
    membership, created = Membership.objects.get_or_create(
        course=course, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    versions.changed(course=course)
    course.forget_roles(user)
    return membership, created


@transaction.atomic
def close_course(*, course):
    """End the course: it becomes read-only (the predicates on Course, Post and Comment
    refuse every write but grading, feedback from instructors and moderation), and every
    page of it says so at once. Nothing new appears in a closed course: whatever waits
    to go live (its scheduled posts, and every other publisher's rows: pages) becomes a
    draft again (a publisher that listed one finds it no longer scheduled), and its
    pinned announcements end (nobody could unpin them any more)."""
    if course.closed_at is None:
        course.closed_at = timezone.now()
        course.save(update_fields=["closed_at"])
        scheduling.take_back_to_drafts(course)
        Post.objects.for_course(course).filter(pinned_at__isnull=False).update(
            pinned_at=None, pinned_until=None
        )
        versions.changed(course=course)
    return course


@transaction.atomic
def reopen_course(*, course):
    """Undo close_course: everything it refused works again."""
    if course.closed_at is not None:
        course.closed_at = None
        course.save(update_fields=["closed_at"])
        versions.changed(course=course)
    return course


# --- A course's copy for a new term (docs/terms.md) ---

# The Course fields a copy does not take from its original: what makes it another
# course (its names, join code, term, dates, closing) and the page cache's versions.
# Every other field (the settings) is copied, including fields added later.
NOT_COPIED = frozenset(
    {
        "id", "title", "slug", "term", "join_code", "term_start", "closed_at", "created",
        "pages_version", "common_version",
        # The header's files are the old course's (courses/<id>/): the new one gets its
        # own upload; its accent and focal point come along.
        "header_renditions",
    }
)  # fmt: skip
TOPICS = "topics"  # what copy_course's `include` names besides the COURSE_COPIERS' keys


@dataclass(frozen=True)
class TermShift:
    """Moves a time by whole days in a time zone, keeping its wall-clock time: 09:00
    local stays 09:00 local across a daylight-saving change (the UTC time moves by an
    hour). A time that falls in the gap of a spring change reads as the hour after."""

    days: int
    zone: object

    @classmethod
    def between(cls, course, old_start, new_start):
        return cls((new_start - old_start).days, course_zone_of(course))

    def __call__(self, moment):
        if moment is None:
            return None
        local = moment.astimezone(self.zone).replace(tzinfo=None) + timedelta(days=self.days)
        return local.replace(tzinfo=self.zone).astimezone(UTC)


@dataclass
class Copying:
    """What a COURSE_COPIERS' copy function is given (config/hooks.py)."""

    source: Course
    target: Course
    shift: TermShift
    by: object
    topics: dict = field(default_factory=dict)  # slug -> the new course's Topic

    def topic(self, topic):
        """The new course's topic standing for `topic` (made now if it isn't there)."""
        if topic is None:
            return None
        if topic.slug not in self.topics:
            self.topics[topic.slug] = Topic.objects.create(
                course=self.target, name=topic.name, slug=topic.slug
            )
        return self.topics[topic.slug]


def course_copiers():
    from config.hooks import COURSE_COPIERS

    return list(COURSE_COPIERS)


def suggested_start(course):
    """The old term's first day for the copy form: the course's term start, else the
    day of the earliest time another app knows (an assignment opening), else the day
    the course was made; the instructor may correct it."""
    if course.term_start:
        return course.term_start
    zone = course_zone_of(course)
    moments = [c.first_moment(course) for c in course_copiers() if c.first_moment]
    moments = [m for m in moments if m is not None]
    return timezone.localtime(min(moments, default=course.created), zone).date()


def instructor_posts(course):
    """The posts a copy may bring: those written by the course's instructors."""
    return (
        Post.objects.for_course(course).filter(author__in=course.instructors()).order_by("-created")
    )


@transaction.atomic
def copy_course(*, course, title, slug, start, by, old_start=None, term="", include=(), posts=()):
    """A new course for a new term, made from `course`: its settings (every field but
    NOT_COPIED), its instructors (as instructors), its topics when `include` names
    TOPICS, the chosen `posts` by its instructors (as drafts: their author's if still an
    instructor, else by `by`'s), and what each COURSE_COPIERS entry brings (always, or
    when `include` names its key: award types), with every date moved by the days
    between `old_start` (suggested_start by default) and `start`. No student's row."""
    include = set(include)
    fields = {
        f.name: getattr(course, f.name)
        for f in Course._meta.concrete_fields
        if f.name not in NOT_COPIED
    }
    target = Course.objects.create(title=title, slug=slug, term=term, term_start=start, **fields)
    instructors = list(course.instructors())
    Membership.objects.bulk_create(
        Membership(course=target, user=user, role=Role.INSTRUCTOR) for user in instructors
    )
    shift = TermShift.between(course, old_start or suggested_start(course), start)
    copying = Copying(source=course, target=target, shift=shift, by=by)
    if TOPICS in include:
        for topic in course.topics.all():
            copying.topic(topic)
    allowed = instructor_posts(course).filter(pk__in=[p.pk for p in posts])
    for post in allowed.select_related("author").prefetch_related("topics"):
        copy = Post(
            course=target,
            author=post.author if post.author in instructors else by,
            title=post.title,
            slug=post.slug,
            body=post.body,
            excerpt=post.excerpt,
            status=Post.Status.DRAFT,
        )
        copy.save()
        if TOPICS in include:
            copy.topics.set([copying.topic(topic) for topic in post.topics.all()])
    for copier in course_copiers():
        if not copier.label or copier.key in include:
            copier.copy(copying)
    versions.changed(course=target)
    for user in [*instructors, by]:
        target.forget_roles(user)
    return target
