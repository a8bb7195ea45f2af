"""What badges adds to blog's and accounts' pages (config/hooks.py)."""

from badges import display
from config import hooks
from config.hooks import Part

# Under the award banners (awards' part, order 100), for the post's author only.
hooks.POST_BANNERS.register(
    Part("badges/_post_credentials.html", display.post_credentials, per_viewer=True), order=110
)
hooks.POST_PAGE_LOADERS.register(display.with_credential_flag)
hooks.PROFILE_SECTIONS.register(display.profile_credentials_section, order=6)
