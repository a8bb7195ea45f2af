"""Roster sync through the Names and Role Provisioning Service (docs/lti.md): every page
of the LMS course's members (following rel="next"), then one transaction that adds new
people, changes roles and turns those who left into inactive roster entries (their
membership goes, their posts and comments stay). Queries per sync are a fixed number
per page of members, not per member."""

import logging
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task

from blog import versions
from blog.models import Membership, Role
from lti import tokens
from lti.errors import ServiceError
from lti.models import Context, Identity, RosterEntry
from lti.roles import course_role

logger = logging.getLogger("commonplace.lti")
MAX_PAGES = 200  # a platform that links pages in a circle stops here
AUTO_SYNC_INTERVAL = timedelta(hours=1)


def fetch_members(context):
    """Every member, page by page: pylti1p3's Names and Roles service follows the
    rel="next" links; we stop at MAX_PAGES (the library's get_members would follow a
    circle of pages for ever)."""
    from pylti1p3.names_roles import NamesRolesProvisioningService

    service = NamesRolesProvisioningService(
        tokens.connector(context.platform),
        {"context_memberships_url": context.memberships_url},
    )
    members, url, pages = [], context.memberships_url, 0
    while url and pages < MAX_PAGES:
        try:
            page, url = service.get_members_page(url)
        except AttributeError as error:  # a body that isn't a membership container
            raise ServiceError("The LMS's roster was not JSON.") from error
        if not isinstance(page, list):
            raise ServiceError("The LMS's roster was not JSON.")
        members.extend(member for member in page if isinstance(member, dict))
        pages += 1
    return members


def _is_active(member):
    return member.get("status", "Active") == "Active"


def _new_user(member):
    given, family = member.get("given_name") or "", member.get("family_name") or ""
    base = slugify(given or member.get("name") or "")[:20] or "lms-user"
    User = get_user_model()
    user = User(
        username=f"{base}-{secrets.token_hex(3)}",
        first_name=str(given)[:150],
        last_name=str(family)[:150],
        display_name="" if given or family else str(member.get("name") or "")[:100],
    )
    user.set_unusable_password()
    return user


@transaction.atomic
def apply_roster(*, context, members):
    """Bring the course's memberships in line with the LMS's `members`; returns counts."""
    context = (
        Context.objects.select_for_update(of=("self",))
        .select_related("course", "platform")
        .get(pk=context.pk)
    )
    course = context.course
    wanted = {}  # sub -> role, for active members with a role
    for member in members:
        sub = member.get("user_id")
        role = course_role(member.get("roles") or [])
        if isinstance(sub, str) and sub and role and _is_active(member):
            wanted[sub] = (role, member)
    known = dict(
        Identity.objects.filter(platform=context.platform, sub__in=list(wanted)).values_list(
            "sub", "user_id"
        )
    )
    new_subs = [sub for sub in wanted if sub not in known]
    made = get_user_model().objects.bulk_create([_new_user(wanted[s][1]) for s in new_subs])
    Identity.objects.bulk_create(
        Identity(platform=context.platform, sub=sub, user=user)
        for sub, user in zip(new_subs, made, strict=True)
    )
    known.update({sub: user.pk for sub, user in zip(new_subs, made, strict=True)})
    role_of_user = {known[sub]: role for sub, (role, _) in wanted.items()}

    memberships = {m.user_id: m for m in Membership.objects.filter(course=course)}
    added = [
        Membership(course=course, user_id=user_id, role=role)
        for user_id, role in role_of_user.items()
        if user_id not in memberships
    ]
    Membership.objects.bulk_create(added)
    instructors = {u for u, m in memberships.items() if m.role == Role.INSTRUCTOR}
    instructors |= {u for u, r in role_of_user.items() if r == Role.INSTRUCTOR}
    changed = []
    for user_id, role in role_of_user.items():
        membership = memberships.get(user_id)
        if membership is None or membership.role == role:
            continue
        if membership.role == Role.INSTRUCTOR and instructors == {user_id}:
            continue  # the LMS does not take away the last instructor
        instructors.discard(user_id)
        membership.role = role
        changed.append(membership)
    Membership.objects.bulk_update(changed, ["role"])

    # Those the last sync saw and the LMS no longer lists (or lists as inactive).
    leaving = set(
        RosterEntry.objects.filter(context=context, is_active=True)
        .exclude(user_id__in=list(role_of_user))
        .values_list("user_id", flat=True)
    )
    leaving -= instructors if len(instructors) <= 1 else set()
    Membership.objects.filter(course=course, user_id__in=leaving).delete()
    now = timezone.now()
    RosterEntry.objects.filter(context=context, user_id__in=leaving).update(
        is_active=False, synced_at=now
    )
    RosterEntry.objects.bulk_create(
        [
            RosterEntry(context=context, user_id=u, role=r, is_active=True, synced_at=now)
            for u, r in role_of_user.items()
        ],
        update_conflicts=True,
        unique_fields=["context", "user"],
        update_fields=["role", "is_active", "synced_at"],
    )
    context.roster_synced_at = now
    context.roster_error = ""
    context.save(update_fields=["roster_synced_at", "roster_error"])
    if added or changed or leaving:
        versions.changed(course=course)
    return {"added": len(added), "changed": len(changed), "left": len(leaving)}


def sync_roster(*, context):
    """Fetch and apply; a platform that fails leaves the roster as it was and its
    reason on the context (the LMS page shows it)."""
    if context.course_id is None or not context.memberships_url:
        raise ServiceError("This LMS course offers no roster service.")
    try:
        members = fetch_members(context)
    except ServiceError as error:
        Context.objects.filter(pk=context.pk).update(roster_error=str(error)[:300])
        raise
    return apply_roster(context=context, members=members)


@task()
def sync_roster_task(context_id):
    context = Context.objects.select_related("platform").filter(pk=context_id).first()
    if context is None:
        return "gone"
    try:
        counts = sync_roster(context=context)
    except ServiceError as error:
        logger.warning("Roster sync of context %s failed: %s", context_id, error)
        return "failed"
    return f"added {counts['added']}, changed {counts['changed']}, left {counts['left']}"


def sync_soon(context):
    """After an instructor's launch: a background sync, at most hourly per context."""
    if not context.memberships_url or context.course_id is None:
        return
    # The shared cache says whether any app server asked within the hour.
    if not cache.add(f"lti:roster-sync:{context.pk}", 1, AUTO_SYNC_INTERVAL.total_seconds()):
        return
    transaction.on_commit(lambda: sync_roster_task.enqueue(context_id=context.pk))
