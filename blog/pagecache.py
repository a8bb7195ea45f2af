"""The page cache: whole pages for anonymous readers, keyed by versions in the database.

Every change that shows on a page bumps a version IN THE SAME TRANSACTION as the
change, with one call from the service that makes it:

    pagecache.changed(post=post)        # a comment, a like, an award, the post itself
    pagecache.changed(course=course)    # settings, topics, awards, members, names
    pagecache.changed(courses=queryset) # a profile shown in several courses

The versions are columns: ``Post.page_version`` (that post's page), and on Course
``pages_version`` (anything on any page of the course: its listings, cards, posts) and
``common_version`` (what every page of the course shows: its settings, topics, people's
names). A post page's key holds (common_version, page_version), the course page's
pages_version, the home page's sum of every course's pages_version with the number of
courses and the newest id. A reader asks the database for the versions (one query) and
then the shared cache for the page: a page rendered before a change was stored under
the old versions, so nobody reads it again. Several app servers share the versions
through the database, so a change shows from all of them at once, whatever the cache.

Only requests with no cookie but the CSRF one, and no query but ``page``, are served
from or stored in the cache: no session (so nobody signed in, no guest's held
comments), no flash messages, no remembered guest details. A page is stored only when
its response set no cookie and used no message or session. Per-request values in the
HTML (the CSRF token of the guest comment form, a CSP nonce) are stored as markers and
filled in for each reader, so every form's token stays valid.

The cache is an optimisation only: when it fails, the error is logged and the page
is rendered as if the cache were empty.
"""

import logging
import re
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, Sum
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

CSRF_MARKER = "\x00csrf\x00"
NONCE_MARKER = "\x00nonce\x00"
MARKERS = re.compile("\x00(csrf|nonce)\x00")
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
ALLOWED_QUERY = {"page"}
HEADER = "X-Page-Cache"


# --- Versions: bumped with the change ---


def changed(*, post=None, posts=None, course=None, courses=None):
    """Record that something shown on these pages changed; call it inside the change's
    transaction. A post's change (``post``, or ``posts``: a queryset or a list) shows on
    its page and on the lists of its course; a course's change (``course``, or
    ``courses``: a queryset) shows on every page of the course."""
    from blog.models import Course, Post

    post_ids = [post.pk] if post is not None else []
    if posts is not None:
        post_ids += (
            [p.pk for p in posts]
            if isinstance(posts, list)
            else list(posts.values_list("pk", flat=True))
        )
    if post_ids:
        Post.objects.filter(pk__in=post_ids).update(page_version=F("page_version") + 1)
        touched = Post.objects.filter(pk__in=post_ids).values("course_id")
        Course.objects.filter(pk__in=touched).update(pages_version=F("pages_version") + 1)
    if course is not None:
        courses = Course.objects.filter(pk=course.pk)
    if courses is not None:
        Course.objects.filter(pk__in=courses.values("pk")).update(
            pages_version=F("pages_version") + 1, common_version=F("common_version") + 1
        )


def person_changed(sender, user, **kwargs):
    """accounts' profile_changed: the courses where the person is a member or an author."""
    from blog.models import Course

    changed(courses=Course.objects.filter(Q(memberships__user=user) | Q(posts__author=user)))


def post_versions(request, course_slug, post_slug):
    from blog.models import Post

    row = (
        Post.objects.filter(course__slug=course_slug, slug=post_slug)
        .values_list("course__common_version", "page_version")
        .first()
    )
    return row


def course_versions(request, course_slug, **kwargs):
    from blog.models import Course

    row = Course.objects.filter(slug=course_slug).values_list("pages_version").first()
    return row


def site_versions(request, **kwargs):
    from blog.models import Course

    totals = Course.objects.aggregate(
        versions=Sum("pages_version"), courses=Count("pk"), newest=Max("pk")
    )
    return (totals["versions"], totals["courses"], totals["newest"])


class VersionedModel:
    """Mixin for models with version columns: ``save()`` of a loaded row never writes
    them back, so an edit can't undo a bump that a concurrent change made meanwhile."""

    version_fields = ()

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None and not args:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key
                and f.name not in self.version_fields
                and f.attname not in deferred
            ]
        super().save(*args, **kwargs)


class ChangesPagesAdmin:
    """ModelAdmin mixin: saving or deleting a row in the admin bumps the versions of the
    pages that show it. ``pages_of(obj)`` returns ``changed()``'s keywords."""

    def pages_of(self, obj):
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed(**self.pages_of(form.instance))

    def delete_model(self, request, obj):
        changed(**self.pages_of(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            changed(**self.pages_of(obj))
        super().delete_queryset(request, queryset)


# --- Whole pages for anonymous readers ---


def anonymous_page(versions):
    """Serve the view's page to anonymous readers from the shared cache, keyed by the
    path and ``versions(request, **kwargs)`` (a tuple, or None: don't cache)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not may_use_cache(request):
                return view(request, *args, **kwargs)
            found = versions(request, *args, **kwargs)
            if found is None:
                return view(request, *args, **kwargs)
            key = page_key(request, found)
            stored = cache_get(key)
            if stored is not None:
                return from_cache(request, stored)
            response = view(request, *args, **kwargs)
            if may_store(request, response):
                cache_set(key, to_cache(request, response))
                response[HEADER] = "miss"
            return response

        return wrapper

    return decorator


def may_use_cache(request):
    return (
        request.method == "GET"
        and settings.PAGE_CACHE_SECONDS > 0
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
        and set(request.GET) <= ALLOWED_QUERY
    )


def may_store(request, response):
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request.user, "is_authenticated", False)
        and not (messages is not None and messages.added_new)
        and not (session is not None and (session.modified or session.accessed and session.keys()))
    )


def page_key(request, versions):
    query = request.GET.get("page", "")
    return f"page:{request.path}:{query}:{'.'.join(str(v) for v in versions)}"


def to_cache(request, response):
    """(content type, parts): the page as bytes, split at its per-request values; the
    odd parts name them ("csrf", "nonce"). Stored once, joined per reader."""
    html = response.content.decode(response.charset)
    html = CSRF_INPUT.sub(rf"\g<1>{CSRF_MARKER}\g<2>", html)
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        html = html.replace(str(nonce), NONCE_MARKER)
    parts = MARKERS.split(html)
    parts[::2] = [text.encode(response.charset) for text in parts[::2]]
    return (response["Content-Type"], parts)


def from_cache(request, stored):
    content_type, parts = stored
    if len(parts) > 1:
        values = {}
        if "csrf" in parts[1::2]:
            values["csrf"] = get_token(request).encode()
        if "nonce" in parts[1::2]:
            values["nonce"] = str(getattr(request, "csp_nonce", "")).encode()
        parts = [values[part] if n % 2 else part for n, part in enumerate(parts)]
    response = HttpResponse(b"".join(parts), content_type=content_type)
    response[HEADER] = "hit"
    patch_vary_headers(response, ["Cookie"])
    return response


def cache_get(key):
    try:
        return cache.get(key)
    except Exception:
        logger.exception("Page cache unavailable (get); rendering the page")
        return None


def cache_set(key, value):
    try:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Page cache unavailable (set); the page was rendered")
