"""Course images: where they are stored, who may read them, and their addresses.

A course's images (featured images, their renditions, images in post bodies) are
stored under ``courses/<course id>/``. Images of a public course are public and
long-cached. Images of a members-only course are never readable by outsiders:

- on S3 the objects are private and pages link short-lived presigned addresses;
- on the file system pages link the media view below with a signature that expires;
  behind nginx the view answers with X-Accel-Redirect, so nginx sends the bytes.

Signed addresses appear only on pages of members-only courses, which are never shown
to anonymous readers and so never enter the anonymous page cache. They do enter the
signed-in readers' page cache (a skeleton is kept up to PAGE_CACHE_SECONDS), so an
address is signed for at least that long plus ``SIGNED_URL_MARGIN``
(``signed_url_seconds``): a page served from the cache just before it expires still
shows images for a while after.
Avatars and award emblems are public; any other upload (an export being imported) is
never served.
"""

import mimetypes
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from blog.models import Course
from config.storage import PUBLIC_PREFIXES, signature_is_valid

COURSE_NAME = re.compile(r"^courses/(?P<course_id>\d+)/")
PUBLIC_CACHE = "public, max-age=31536000, immutable"


def course_folder(course_id, kind):
    """The storage folder for a course's images of one kind ("posts", "body", "originals")."""
    return f"courses/{course_id}/{kind}"


def course_id_of(name):
    match = COURSE_NAME.match(name or "")
    return int(match["course_id"]) if match else None


SIGNED_URL_MARGIN = 600  # how long a page served at the end of its cache life keeps images


def signed_url_seconds():
    """How long a signed address stays valid: MEDIA_SIGNED_URL_SECONDS, but never less
    than a cached page holding it lives, plus a margin for the reader still on it."""
    return max(settings.MEDIA_SIGNED_URL_SECONDS, settings.PAGE_CACHE_SECONDS + SIGNED_URL_MARGIN)


def image_url(name, course=None):
    """The address a page shows for a stored image of `course` (None: a public image)."""
    if not name:
        return ""
    if course is not None and course_id_of(name) == course.pk and not course.is_public:
        return default_storage.signed_url(name, seconds=signed_url_seconds())
    if course_id_of(name) is not None and not is_s3():
        return reverse("media_file", args=[name])
    return default_storage.url(name)


def stable_url(name):
    """An address that never expires, for Markdown stored in a post body: the media
    view checks the reader each time (and on S3 redirects to a short-lived address)."""
    return reverse("media_file", args=[name])


def is_s3():
    return hasattr(default_storage, "bucket_name")


def set_course_media_access(course, names):
    """Make stored images of `course` readable by anyone (public course) or not."""
    public = course.is_public
    for name in names:
        default_storage.set_public(name, public)


@require_safe
def media_file(request, name):
    """A stored file. Course images: anyone for a public course; for a members-only
    course a valid, unexpired signature or a reader who is a member; else 403."""
    if ".." in name.split("/") or name.startswith("/"):
        raise Http404
    course_id = course_id_of(name)
    if course_id is None:
        if not name.startswith(PUBLIC_PREFIXES):  # e.g. exports being imported
            raise Http404
        return _send(name, cache=PUBLIC_CACHE)
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise Http404
    if course.is_public:
        return _send(name, cache=PUBLIC_CACHE)
    signed = signature_is_valid(name, request.GET.get("expires"), request.GET.get("signature"))
    if not signed and not course.can_read(request.user):
        raise PermissionDenied
    return _send(name, cache="private, max-age=300", private=True)


def _send(name, *, cache, private=False):
    if is_s3():
        if private:
            target = default_storage.signed_url(name, seconds=60)
        else:
            target = default_storage.url(name)
        response = HttpResponseRedirect(target)
        response["Cache-Control"] = "private, max-age=30"
        return response
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=mimetypes.guess_type(name)[0] or "")
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + name
    else:
        try:
            response = FileResponse(default_storage.open(name))
        except (FileNotFoundError, SuspiciousFileOperation):
            raise Http404 from None
    response["Cache-Control"] = cache
    return response
