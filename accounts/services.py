"""Writes with side effects in accounts (see STYLE.md)."""

from functools import partial

from django.db import transaction


def delete_replaced_file(*, storage, old_name, new_name):
    """Delete a replaced or cleared upload once the change is committed.

    Never before: if the transaction rolls back, the row still points at the old file.
    """
    if old_name and old_name != new_name:
        transaction.on_commit(partial(storage.delete, old_name))
