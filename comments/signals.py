"""Events other apps may react to. Both are sent inside the transaction that made
the change, so a receiver's writes commit or roll back with it."""

from django.dispatch import Signal

# A comment was saved for the first time, approved or held for moderation.
# Arguments: comment, notify (the guest asked to be told of follow-up comments).
comment_posted = Signal()

# A comment held for moderation (pending or spam) was approved. Argument: comment.
comment_approved = Signal()
