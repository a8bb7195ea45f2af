"""Writes with side effects in accounts (docs/style.md, Where logic lives)."""

from functools import partial

from django.db import transaction

from accounts.signals import profile_changed


def delete_replaced_file(*, storage, old_name, new_name):
    """Delete a replaced or cleared upload once the change is committed.

    Never before: if the transaction rolls back, the row still points at the old file.
    """
    if old_name and old_name != new_name:
        transaction.on_commit(partial(storage.delete, old_name))


@transaction.atomic
def save_profile(*, user, **fields):
    """Give user these profile values (display_name, bio, website, avatar: a new image
    file, False to remove it, None to keep it); pages showing the person change."""
    avatar = fields.pop("avatar", None)
    for name, value in fields.items():
        setattr(user, name, value)
    if avatar is not None:
        type(user)._meta.get_field("avatar").save_form_data(user, avatar)
    user.save()
    profile_changed.send(sender=type(user), user=user)
    return user
