"""Events other apps may react to, sent inside the transaction that made the change,
so a receiver's writes commit or roll back with it."""

from django.dispatch import Signal

# A published post was pinned as an announcement (it was not pinned before).
# Arguments: post, pinned_by (the instructor or staff member who pinned it).
post_pinned = Signal()
