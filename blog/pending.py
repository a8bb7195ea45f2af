"""A featured image chosen in the editor, kept across a round trip that doesn't save.

Without JavaScript, Preview and Insert image submit the form, and a browser never sends
a chosen file twice: without help, the student's featured image would be lost. So a
valid upload that isn't saved yet is stored under ``pending/<user id>/`` and named by a
signed token, carried in a hidden field; Save or Publish uses it as if it had been
uploaded again. Tokens are bound to their user and expire; ``manage.py
clear_pending_images`` deletes files left behind by editors that were closed.
"""

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

SALT = "blog.pending-image"
FOLDER = "pending"
MAX_AGE = timedelta(days=2)


@dataclass(frozen=True)
class KeptImage:
    token: str
    name: str  # in storage
    filename: str  # as the student chose it


def keep(upload, *, user):
    """Store a validated upload for user; returns its KeptImage."""
    filename = os.path.basename(upload.name or "image")[:100]
    upload.seek(0)
    name = default_storage.save(f"{FOLDER}/{user.pk}/{secrets.token_hex(16)}", upload)
    token = signing.dumps({"name": name, "file": filename, "user": user.pk}, salt=SALT)
    return KeptImage(token=token, name=name, filename=filename)


def read(token, *, user):
    """The KeptImage a token names, if it is user's, recent and still stored; else None."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    name = data.get("name") if isinstance(data, dict) else None
    if (
        data.get("user") != user.pk
        or not isinstance(name, str)
        or not name.startswith(f"{FOLDER}/{user.pk}/")
        or not default_storage.exists(name)
    ):
        return None
    return KeptImage(token=token, name=name, filename=str(data.get("file") or "image"))


def open_file(kept):
    """The kept image as a file a form accepts in place of an upload."""
    return File(default_storage.open(kept.name), name=kept.filename)


def discard(kept):
    """Delete the kept file once the transaction that used it has committed."""
    transaction.on_commit(lambda: default_storage.delete(kept.name))


def clear_stale(*, older_than=MAX_AGE):
    """Delete kept files older than their tokens can be; returns how many."""
    cutoff = timezone.now() - older_than
    deleted = 0
    try:
        folders, _ = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    for folder in folders:
        _, files = default_storage.listdir(f"{FOLDER}/{folder}")
        for filename in files:
            name = f"{FOLDER}/{folder}/{filename}"
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                deleted += 1
    return deleted
