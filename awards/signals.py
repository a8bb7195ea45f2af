"""Events other apps may react to, sent inside the transaction that made the change."""

from django.dispatch import Signal

# An award was granted to a post. Argument: grant (an AwardGrant).
award_granted = Signal()
