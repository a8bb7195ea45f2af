"""Events other apps may react to, sent inside the transaction that made the change."""

from django.dispatch import Signal

# Someone wrote in a post's private feedback thread. Argument: feedback (a Feedback).
feedback_added = Signal()
