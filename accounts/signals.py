"""Events of accounts that other apps react to (accounts imports none of them)."""

from django.dispatch import Signal

# Sent inside the transaction that changed what pages show of a person (name, avatar);
# arguments: user. blog and comments refresh the pages that show them.
profile_changed = Signal()
