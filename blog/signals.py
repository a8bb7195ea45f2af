"""blog's events, for the apps above it (docs/style.md: signals only answer other apps'
events)."""

from django.dispatch import Signal

# A scheduled post went live (blog/scheduling.py): sent once per post, by the one worker
# whose UPDATE published it, inside that transaction. Arguments: post.
post_went_live = Signal()
