"""blog's events, for the apps above it (docs/style.md: signals only answer other apps'
events), sent inside the transaction that made the change, so a receiver's writes commit
or roll back with it."""

from django.dispatch import Signal

# A scheduled post went live (blog/scheduling.py): sent once per post, by the one worker
# whose UPDATE published it, inside that transaction. Arguments: post.
post_went_live = Signal()

# A published post was pinned as an announcement (it was not pinned before).
# Arguments: post, pinned_by (the instructor or staff member who pinned it).
post_pinned = Signal()
