"""Requests about a person's data: a copy of it, and its erasure (docs/privacy.md)."""

import logging
from functools import partial
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assignments.models import (
    CalendarFeed,
    DueReminder,
    Extension,
    Feedback,
    PostSnapshot,
    Submission,
)
from blog import versions
from blog.models import AnnouncementSeen, BodyImage, Course, Post, PostLike
from blog.pending import FOLDER as PENDING_FOLDER
from comments.models import Comment, CommentLike
from imports.models import ImportedItem, ImportRun, Placeholder
from notifications.models import GuestSubscription, Notification, NotificationPreference
from privacy.models import DataExport, Erasure

logger = logging.getLogger(__name__)

FORMER_NAME = "Former student"


def former_username(user_id):
    return f"former-student-{user_id}"


def is_erased(user):
    return user.username == former_username(user.pk) and not user.is_active


# --- Download my data ---


@transaction.atomic
def request_export(*, user, by):
    """Queue a zip of everything held about user; by is the person or a staff member (a
    subject access request). The row is the log of who asked and when. While one of the
    person's exports is still waiting or being built, asking again queues nothing: that
    one is returned."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one at a time
    waiting = DataExport.objects.for_user(user).unfinished().first()
    if waiting is not None:
        return waiting
    export = DataExport.objects.create(user=user, requested_by=by)
    from privacy.tasks import build_export

    transaction.on_commit(partial(build_export.enqueue, export_id=export.pk))
    return export


def delete_expired_exports(*, now=None):
    """Delete the files of exports past their time; returns how many. The rows stay (the log)."""
    expired = DataExport.objects.filter(expires__lte=now or timezone.now()).exclude(file="")
    names = list(expired.values_list("file", flat=True))
    expired.update(file="")
    for name in names:
        default_storage.delete(name)
    return len(names)


# --- Erasure ---


def erasure_courses(user):
    """The courses the person is in, each with its erasure policy (shown before they confirm)."""
    return (
        Course.objects.filter(Q(memberships__user=user) | Q(posts__author=user))
        .distinct()
        .order_by("title")
    )


@transaction.atomic
def erase_person(*, user, by):
    """Erase user: one transaction, then the stored files once it has committed.

    The user row stays, anonymised to an inert "former-student-<id>" account (no names,
    no email, no password, inactive), because posts kept under a course's "keep" policy
    need an author and comments keep their place in threads. by is the staff member who
    erased it, or the person themself. Returns the Erasure log row."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    addresses = [user.email, *user.emailaddress_set.values_list("email", flat=True)]
    placeholder = Placeholder.objects.filter(user=user).first()
    if placeholder is not None:
        addresses.append(placeholder.email)
    emails = {address.lower() for address in addresses if address}
    names = {n for n in [user.username, user.name, user.get_full_name(), user.display_name] if n}
    files = []  # stored names to delete once committed

    # Their comments, and guest comments left under one of their addresses.
    theirs = Q(author=user)
    for email in emails:  # addresses are compared without case
        theirs |= Q(author=None, guest_email__iexact=email)
    comment_ids = list(Comment.objects.filter(theirs).values_list("pk", flat=True))

    # Every course whose pages show the person: bump them all, before rows go.
    touched = Course.objects.filter(
        Q(memberships__user=user)
        | Q(posts__author=user)
        | Q(posts__comments__in=comment_ids)
        | Q(posts__likes__user=user)
        | Q(posts__comments__likes__user=user)
        | Q(pages__comments__in=comment_ids)
        | Q(pages__comments__likes__user=user)
    ).distinct()
    touched_ids = list(touched.values_list("pk", flat=True))
    versions.changed(courses=Course.objects.filter(pk__in=touched_ids))

    # Their Open Badge credentials: revoked on the status list, then no longer theirs.
    if apps.is_installed("badges"):
        import_module("badges.services").revoke_credentials_of(user=user)

    # Their LMS links (the lti app): who they are at each platform, their roster rows,
    # open hand-offs and the record of grades sent for them.
    if apps.is_installed("lti"):
        for model in ("Identity", "RosterEntry", "Handoff", "ScoreSend"):
            apps.get_model("lti", model).objects.filter(user=user).delete()

    # Posts: each course's policy.
    posts = Post.objects.filter(author=user).select_related("course")
    removed = [p for p in posts if p.course.erasure_policy == Course.ErasurePolicy.REMOVE]
    kept_ids = [p.pk for p in posts if p.course.erasure_policy != Course.ErasurePolicy.REMOVE]
    removed_course_ids = {p.course_id for p in removed}
    for post in removed:
        files += [r["name"] for r in post.image_renditions]
        if post.image:
            files.append(post.image.name)
    for image in BodyImage.objects.filter(uploaded_by=user, course_id__in=removed_course_ids):
        files += [r["name"] for r in image.renditions]
    BodyImage.objects.filter(uploaded_by=user, course_id__in=removed_course_ids).delete()
    # The private record about them: submissions (their grades go with them), snapshots,
    # the feedback threads on their posts, extensions and reminders.
    Submission.objects.filter(student=user).delete()
    PostSnapshot.objects.filter(post__author=user).delete()
    Feedback.objects.filter(post__author=user).delete()
    Extension.objects.filter(student=user).delete()
    DueReminder.objects.filter(student=user).delete()
    Post.objects.filter(pk__in=[p.pk for p in removed]).delete()

    # Comments: their words go, their place stays ("Comment removed"), parents unchanged
    # (those on posts just removed went with them).
    Comment.objects.filter(pk__in=comment_ids).update(
        status=Comment.Status.REMOVED,
        body="",
        body_html="",
        guest_name="",
        guest_email="",
        guest_website="",
    )

    # Notifications about them to others go (they quote them); theirs go too.
    Notification.objects.filter(
        Q(recipient=user) | Q(comment_id__in=comment_ids) | Q(feedback__author=user)
        | Q(actor_name__in=names)
    ).delete()  # fmt: skip
    NotificationPreference.objects.filter(user=user).delete()
    followed = Q(pk__in=[])
    for email in emails:
        followed |= Q(email__iexact=email)
    GuestSubscription.objects.filter(followed).delete()
    PostLike.objects.filter(user=user).delete()
    AnnouncementSeen.objects.filter(user=user).delete()  # which announcements they opened
    CommentLike.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Placeholder.objects.filter(user=user).delete()
    ImportedItem.objects.filter(kind=ImportedItem.Kind.USER, object_id=user.pk).delete()
    forget_in_import_reports(names)
    forget_in_task_results(emails=emails, names=names)
    user.memberships.all().delete()
    # The admin's history of their account, and of anything it names them in.
    logged = Q(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk))
    for word in names | emails:
        logged |= Q(object_repr__icontains=word) | Q(change_message__icontains=word)
    LogEntry.objects.filter(logged).delete()
    for export in DataExport.objects.filter(user=user).exclude(file=""):
        files.append(export.file.name)
    DataExport.objects.filter(user=user).update(file="", size=0)
    if user.avatar:
        files.append(user.avatar.name)

    # The account itself: inert, nameless.
    user.username = former_username(user.pk)
    user.first_name = user.last_name = user.email = ""
    user.display_name = FORMER_NAME
    user.bio = user.website = ""
    user.avatar = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    erasure = Erasure.objects.create(
        user=user,
        user_number=user.pk,
        by=None if by is None or by.pk == user.pk else by,
        by_self=by is not None and by.pk == user.pk,
        summary={
            "posts_removed": len(removed),
            "posts_kept": len(kept_ids),
            "comments_removed": len(comment_ids),
            "courses": touched_ids,
        },
    )
    transaction.on_commit(partial(delete_sessions_of, user.pk))
    transaction.on_commit(partial(delete_files, files, user_id=user.pk))
    return erasure


def forget_in_import_reports(names):
    """An import's report lists the authors it matched or made: name them no more."""
    for run in ImportRun.objects.only("report").iterator():
        users = run.report.get("users") if isinstance(run.report, dict) else None
        if not isinstance(users, dict):
            continue
        changed = False
        for key, listed in users.items():
            if isinstance(listed, list) and any(name in names for name in listed):
                users[key] = [FORMER_NAME if name in names else name for name in listed]
                changed = True
        if changed:
            run.save(update_fields=["report"])


def forget_in_task_results(*, emails, names):
    """Queued tasks keep their arguments (django_tasks_db): an email to the person, or one
    that names them, is such a row. Rows not running that hold one of their addresses go
    (nothing more is sent to them); finished rows that hold their name go too."""
    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    by_address = Q(pk__in=[])
    for email in emails:
        by_address |= Q(args_kwargs__icontains=email)
    by_name = Q(pk__in=[])
    for name in names:
        by_name |= Q(args_kwargs__icontains=name)
    finished = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    DBTaskResult.objects.exclude(status=TaskResultStatus.RUNNING).filter(
        by_address | (by_name & Q(status__in=finished))
    ).delete()


def delete_sessions_of(user_id):
    """Sign the person out everywhere: every session row (and its cached copy) that is theirs."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if str(data.get("_auth_user_id")) == str(user_id):
            store(session_key=session.session_key).delete()


def delete_files(names, *, user_id):
    """The stored files of an erased person, and the pending uploads of their editor."""
    folder = f"{PENDING_FOLDER}/{user_id}"
    try:
        _, pending = default_storage.listdir(folder)
    except (FileNotFoundError, OSError):
        pending = []
    for name in [*names, *(f"{folder}/{file}" for file in pending)]:
        try:
            default_storage.delete(name)
        except Exception:  # a file that can't go now is logged; the rows are already gone
            logger.exception("Could not delete %s of an erased account", name)
