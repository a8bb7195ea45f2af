"""Helpers that tests in more than one module use: pictures, the post editor's form,
an image published through it, a stand-in social sign-in, a Redis cache setting,
forgetting what a process keeps between requests, and the psycopg cursors a call opens.

A test module never imports another test module (each one runs alone, and in any
order); what several modules share lives here, and shared fixtures in a conftest.py.
"""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

# --- Pictures ---


def image_bytes(fmt="JPEG", size=(1200, 800), mode="RGB", **save_kwargs):
    """A plain picture in the given format, as bytes."""
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, format=fmt, **save_kwargs)
    return buffer.getvalue()


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def jpeg_upload(name="photo.jpg", data=None):
    """A JPEG larger than the largest rendition, as an uploaded file."""
    return SimpleUploadedFile(name, data or image_bytes(size=(1800, 1000)), "image/jpeg")


def jpeg_with_gps_and_rotation():
    """A JPEG whose EXIF says where it was taken and that it is to be turned."""
    image = Image.new("RGB", (300, 100), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "CameraMaker"
    gps = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


# --- The post editor ---


def editor_data(**overrides):
    """What the post editor's form sends for a draft, with `overrides`."""
    data = {
        "title": "On the Thaw",
        "body": "> A quote\n\nText with a note.[^1]\n\n[^1]: A source, 2001.",
        "excerpt": "",
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
        "image_credit_url": "",
        "new_topics": "",
        "action": "draft",
    }
    data.update(overrides)
    return data


def publish_with_image(client, course, author, title="With a picture"):
    """Publish a post with a featured image through the editor, as `author`; the client
    ends signed out."""
    client.force_login(author)
    data = editor_data(title=title, action="publish", image_alt="A teal square")
    data["image_upload"] = jpeg_upload()
    response = client.post(reverse("blog:post_create", args=[course.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return course.posts.get(title=title)


def image_src(html):
    """The address of the first picture with renditions on a page."""
    return re.search(r'<img src="([^"]+)" srcset', html)[1].replace("&amp;", "&")


# --- Signing in through a provider's stand-in (accounts/social.py) ---


def stand_in_url(provider_id, **query):
    url = reverse("accounts:social_stub_login", args=[provider_id])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def sign_in(client, provider_id, name="Ann Lee", email="ann@example.com", **query):
    """A real allauth social sign-in through the provider's stand-in page."""
    return client.post(
        stand_in_url(provider_id, **query),
        {"name": name, "email": email, "email_verified": "on"},
    )


# --- Caches ---


def resilient_redis(url):
    """CACHES for production's cache class on `url`, quick to give up."""
    return {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


# --- What a process keeps between requests ---


def forget_process_state():
    """Forget what a process keeps from one request to the next, as a fresh process
    would start: the compiled queries (config.db.PreparedQuery), the page cache's URL
    matches (pagecache.pages.page_at), the session keys and reader loaders it read from
    settings (pagecache.readers), the compiled per-viewer blocks (blog_tags), the
    empty feedback form's HTML (assignments.parts) and the blank reply form's fields
    (comments.views).
    tests/conftest.py calls it before each test; the caches are emptied there too."""
    from assignments import parts
    from blog.templatetags import blog_tags
    from comments import views as comment_views
    from config.db import forget_prepared_queries
    from pagecache import pages, readers

    forget_prepared_queries()
    pages.page_at.cache_clear()
    readers._sign_in_keys.cache_clear()
    readers._reader_queryset.cache_clear()
    blog_tags.forget_compiled_blocks()
    parts._blank_feedback_form.cache_clear()
    comment_views.BLANK_FIELDS.clear()


# A served page's per-response values (the CSRF token, masked afresh; the CSP nonce),
# made alike so two drawings of one page compare equal.
TOKENS = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1TOKEN"),
    (re.compile(r'(nonce=")[^"]*'), r"\1NONCE"),
]


def normalised(html):
    for pattern, replacement in TOKENS:
        html = pattern.sub(replacement, html)
    return html


# --- Database ---


def cursors_opened(run):
    """run()'s answer, and how many psycopg cursors it opened on the default connection
    (counted at psycopg's connection: what bypasses Django's cursor wrappers, a health
    check or ``direct_rows``, opens none there either)."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    original, opened = raw.cursor, []

    def cursor(*args, **kwargs):
        opened.append(1)
        return original(*args, **kwargs)

    raw.cursor = cursor
    try:
        return run(), len(opened)
    finally:
        del raw.cursor
