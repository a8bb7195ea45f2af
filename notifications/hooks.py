"""What notifications adds to blog's pages: the header's bell; and to the account
settings' menu, its email settings (config/hooks.py)."""

from config import hooks
from config.hooks import AccountLink, Part
from notifications.display import nav_bell_context, with_unread_count

# Beside the phone's Menu button, not inside the menu: the count shows at once.
hooks.SITE_BAR.register(Part("notifications/_nav_bell.html", nav_bell_context))
hooks.READER_LOADERS.register(with_unread_count)
hooks.ACCOUNT_LINKS.register(
    AccountLink("notifications:preferences", "Notification emails", current=("preferences",)),
    order=5,
)
