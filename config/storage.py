"""Where uploads live: the local file system by default, an S3-compatible bucket when
MEDIA_S3_BUCKET is set (config/s3storage.py, a module of its own so that a site on the
file system never loads boto3; settings name its class). Both speak Django's storage
API and add two things the course images need (see blog/media.py):

- ``signed_url(name, seconds=...)``: an address that works for a limited time, for
  images of members-only courses;
- ``set_public(name, public)``: whether the object may be read without a signature.

Nothing in the project reads a local path: files are opened, saved, deleted and
addressed through the storage only.
"""

import hashlib
import hmac
import math
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.crypto import constant_time_compare

SIGNATURE_SALT = b"commonplace.media"
# Uploads anyone may read at a plain address. Everything else (course images, which
# blog.media publishes for public courses; originals; WordPress exports being
# imported) is private.
PUBLIC_PREFIXES = ("avatars/", "awards/")


class StorageUnavailable(Exception):
    """The media storage refused or could not be reached while saving a file."""

    message = (
        "The image store can't be reached right now, so nothing was saved. "
        "Your text is kept below: choose the image again and retry in a minute."
    )
    retry_after = 30  # seconds: the Retry-After of the 503 that says so

    @classmethod
    def respond(cls, response):
        """The upload's answer when the store failed: 503 with Retry-After."""
        response.status_code = 503
        response["Retry-After"] = str(cls.retry_after)
        return response


def media_signature(name, expires):
    """HMAC (SHA-256, keyed by SECRET_KEY) of a stored name and its expiry time."""
    key = hashlib.sha256(SIGNATURE_SALT + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{name}\n{expires}".encode(), hashlib.sha256).hexdigest()


def signature_is_valid(name, expires, signature, *, now=None):
    """True for an unexpired signature made by media_signature for this name."""
    try:
        expires = int(expires)
    except (TypeError, ValueError):
        return False
    if expires < (time.time() if now is None else now):
        return False
    return constant_time_compare(media_signature(name, expires), signature or "")


class MediaFileSystemStorage(FileSystemStorage):
    """The default: files under MEDIA_ROOT. Signed addresses point at the app's
    permission-checking view (which answers with X-Accel-Redirect behind nginx)."""

    def save(self, name, content, max_length=None):
        try:
            return super().save(name, content, max_length=max_length)
        except OSError as error:
            raise StorageUnavailable(str(error)) from error

    def signed_url(self, name, *, seconds):
        # Rounded up to a whole window, so a page shows the same address for a while
        # (browsers cache it) and it stays valid at least `seconds`.
        now = time.time()
        expires = (math.ceil(now / seconds) + 1) * seconds
        query = urlencode({"expires": expires, "signature": media_signature(name, expires)})
        return f"{reverse('media_file', args=[name])}?{query}"

    def set_public(self, name, public):
        """The file system has no per-file access: the media view decides."""

    def ping(self):
        """Raise unless the media folder can be written (for /readyz)."""
        import os

        os.makedirs(self.location, exist_ok=True)
        if not os.access(self.location, os.W_OK):
            raise OSError(f"media folder {self.location} is missing or read-only")


def s3_origins(options):
    """Where pages load bucket images from (for the Content-Security-Policy): the custom
    domain, the endpoint, or AWS's own addresses for the bucket."""
    from urllib.parse import urlsplit

    origins = []
    if options.get("custom_domain"):
        origins.append(f"{options.get('url_protocol', 'https:')}//{options['custom_domain']}")
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        origins.append(f"{parts.scheme}://{parts.netloc}")
    else:
        bucket, region = options["bucket_name"], options["region_name"]
        origins += [
            f"https://{bucket}.s3.{region}.amazonaws.com",
            f"https://s3.{region}.amazonaws.com",
        ]
    return origins


def s3_options(env):
    """STORAGES["default"]["OPTIONS"] for the bucket described by the environment."""
    from botocore.config import Config

    endpoint = env("MEDIA_S3_ENDPOINT_URL", default="")
    path_style = env.bool("MEDIA_S3_PATH_STYLE", default=bool(endpoint))
    options = {
        "bucket_name": env("MEDIA_S3_BUCKET"),
        "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None) or None,
        "region_name": env("MEDIA_S3_REGION", default="us-east-1"),
        "access_key": env("MEDIA_S3_ACCESS_KEY_ID", default=None) or None,
        "secret_key": env("MEDIA_S3_SECRET_ACCESS_KEY", default=None) or None,
        "custom_domain": env("MEDIA_S3_CUSTOM_DOMAIN", default=None) or None,
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        "signature_version": "s3v4",
        # Every call is bounded, so a bucket that hangs can't hold the app's workers:
        # at most ATTEMPTS x (connect + read) seconds (2 x 5 s by default, against gunicorn's
        # and nginx's 30 s), then the upload form says so (503, Retry-After).
        # total_max_attempts counts the first try: 2 is one retry.
        "client_config": Config(
            connect_timeout=env.float("MEDIA_S3_CONNECT_TIMEOUT", default=2),
            read_timeout=env.float("MEDIA_S3_READ_TIMEOUT", default=3),
            retries={
                "total_max_attempts": env.int("MEDIA_S3_ATTEMPTS", default=2),
                "mode": "standard",
            },
            signature_version="s3v4",
            s3={"addressing_style": "path"} if path_style else None,
        ),
    }
    if endpoint.startswith("http://"):
        options["url_protocol"] = "http:"
    if path_style:
        options["addressing_style"] = "path"
    return options
