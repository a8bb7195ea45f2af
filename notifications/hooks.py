"""What notifications adds to blog's pages: the header's bell (config/hooks.py)."""

from config import hooks
from config.hooks import Part
from notifications.display import nav_bell_context, with_unread_count

# Beside the phone's Menu button, not inside the menu: the count shows at once.
hooks.SITE_BAR.register(Part("notifications/_nav_bell.html", nav_bell_context))
hooks.READER_LOADERS.register(with_unread_count)
