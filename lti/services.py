"""What a checked launch writes, all in one transaction: the person (found by platform
and sub, linked by a trusted email, or new), the LMS course (context) and the
membership with the role the LMS gives. A refusal raised inside rolls everything back,
so a refused launch leaves no half-made account (docs/lti.md)."""

import secrets
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve
from django.utils.text import slugify

from blog import versions
from blog.models import Course, Membership, Role
from blog.services import create_course
from lti import deep_linking
from lti.errors import LaunchRefused
from lti.launch import AGS, LTI, NRPS
from lti.models import Context, Identity, RosterEntry
from lti.roles import course_role


def _new_username(claims):
    base = slugify(claims.get("given_name") or claims.get("name") or "")[:20] or "lms-user"
    return f"{base}-{secrets.token_hex(3)}"


def _names(claims):
    fields = {}
    for claim, field in (("given_name", "first_name"), ("family_name", "last_name")):
        value = claims.get(claim)
        if isinstance(value, str) and value.strip():
            fields[field] = value.strip()[:150]
    if not fields and isinstance(claims.get("name"), str) and claims["name"].strip():
        fields["display_name"] = claims["name"].strip()[:100]
    return fields


def find_or_make_person(*, platform, claims):
    """The user behind (platform, sub): linked before, linked now by a verified email
    the platform is trusted for, or new. Names and email follow the claims."""
    identity = (
        Identity.objects.select_related("user").filter(platform=platform, sub=claims["sub"]).first()
    )
    email = claims.get("email") if isinstance(claims.get("email"), str) else ""
    email = email.strip().lower()
    names = _names(claims)
    if identity is not None:
        user = identity.user
    else:
        user = None
        if platform.trusts_email and email:
            address = (
                EmailAddress.objects.select_related("user")
                .filter(email__iexact=email, verified=True)
                .first()
            )
            user = address.user if address else None
        if user is None:
            User = get_user_model()
            taken = email and (
                EmailAddress.objects.filter(email__iexact=email).exists()
                or User.objects.filter(email__iexact=email).exists()
            )
            user = User(username=_new_username(claims), email="" if taken else email, **names)
            user.set_unusable_password()
            user.save()
        try:
            with transaction.atomic():
                Identity.objects.create(platform=platform, sub=claims["sub"], user=user)
        except IntegrityError as error:  # a launch of the same person at the same moment
            raise LaunchRefused("account_conflict", "identity made concurrently") from error
    changed = [field for field, value in names.items() if getattr(user, field) != value]
    if changed:
        for field in changed:
            setattr(user, field, names[field])
        user.save(update_fields=changed)
    return user


def link_context(*, platform, claims):
    """The Context row for the launch's LMS course, its title and services brought up
    to date (the platform says which roster and grade services it offers)."""
    given = claims[LTI + "context"]
    context, _ = Context.objects.select_for_update().get_or_create(
        platform=platform, context_id=str(given["id"])[:255]
    )
    context.title = str(given.get("title") or context.title)[:300]
    context.label = str(given.get("label") or context.label)[:200]
    nrps = claims.get(NRPS + "namesroleservice") or {}
    ags = claims.get(AGS + "endpoint") or {}
    context.memberships_url = nrps.get("context_memberships_url") or context.memberships_url
    context.lineitems_url = ags.get("lineitems") or context.lineitems_url
    context.save()
    return context


def target_in_course(target_link_uri, course):
    """The path the launch asks for, if it lies in `course`; the course page if it names
    no course. A path in another course is refused: a context reaches only its course."""
    path = urlsplit(target_link_uri or "").path
    try:
        match = resolve(path)
    except Resolver404:
        return course.get_absolute_url()
    slug = match.kwargs.get("course_slug")
    if slug is None:
        return course.get_absolute_url()
    if slug != course.slug:
        raise LaunchRefused("linked_elsewhere", f"{path} is not in {course.slug}")
    return path


def set_membership(*, course, user, role):
    """Make `user` a member with `role`, as the LMS says. The LMS does not take away a
    course's last instructor: that change waits until it has another."""
    membership = Membership.objects.filter(course=course, user=user).first()
    if membership is None:
        Membership.objects.create(course=course, user=user, role=role)
    elif membership.role != role:
        if membership.is_last_instructor():
            return
        membership.role = role
        membership.save(update_fields=["role"])
    else:
        return
    versions.changed(course=course)
    course.forget_roles(user)


@transaction.atomic
def enter(*, launch):
    """Sign-in data for a checked resource-link launch: (user, next_url, setup_context).
    `setup_context` is the unlinked context an instructor may now set up."""
    role = course_role(launch.roles)
    if role is None:
        raise LaunchRefused("no_role", f"roles {launch.roles!r}")
    context = link_context(platform=launch.platform, claims=launch.claims)
    if context.course_id is None and role != Role.INSTRUCTOR:
        raise LaunchRefused("not_set_up", f"context {context.context_id!r}")
    user = find_or_make_person(platform=launch.platform, claims=launch.claims)
    if context.course_id is None:
        return user, None, context
    course = context.course
    next_url = target_in_course(launch.target_link_uri, course)
    deep_linking.record_line_item(launch=launch, context=context, next_url=next_url)
    set_membership(course=course, user=user, role=role)
    RosterEntry.objects.update_or_create(
        context=context, user=user, defaults={"role": role, "is_active": True}
    )
    if role == Role.INSTRUCTOR:
        from lti.roster import sync_soon  # the roster module builds on this one

        sync_soon(context)
    return user, next_url, None


@transaction.atomic
def create_course_for(*, context, instructor):
    """ "Create a course for this LMS course": title and slug from the context."""
    context = Context.objects.select_for_update().get(pk=context.pk)
    if context.course_id is not None:
        return context.course
    course = create_course(instructor=instructor, title=context.title or context.label or "Course")
    context.course = course
    context.save(update_fields=["course"])
    return course


@transaction.atomic
def link_course(*, context, course, instructor):
    """ "Link a course you teach": only a course the instructor manages, and only a
    context not linked yet."""
    context = Context.objects.select_for_update().get(pk=context.pk)
    if context.course_id is not None:
        return context.course
    if not course.can_manage(instructor):
        raise LaunchRefused("linked_elsewhere", "not a course this instructor manages")
    context.course = course
    context.save(update_fields=["course"])
    return course


def courses_to_link(user):
    """The courses the instructor may link: those they teach as instructor."""
    return Course.objects.filter(
        memberships__user=user, memberships__role=Role.INSTRUCTOR
    ).order_by("title")


def picker_for(*, launch):
    """A deep linking launch: the instructor and the linked course to choose from."""
    if course_role(launch.roles) != Role.INSTRUCTOR:
        raise LaunchRefused("picker_not_instructor", f"roles {launch.roles!r}")
    context = (
        Context.objects.select_related("course")
        .filter(platform=launch.platform, context_id=str(launch.context["id"])[:255])
        .first()
    )
    if context is None or context.course_id is None:
        raise LaunchRefused("picker_not_set_up", "deep linking from an unlinked context")
    identity = (
        Identity.objects.select_related("user")
        .filter(platform=launch.platform, sub=launch.sub)
        .first()
    )
    if identity is None or not context.course.can_manage(identity.user):
        raise LaunchRefused("picker_not_instructor", "not an instructor of the linked course")
    return identity.user, context
