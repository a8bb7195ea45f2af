"""The site without the awards and notifications apps (blog's pages must not need them)."""

from config.settings import *  # noqa: F403

# imports builds on awards (a category may become an award), and badges on awards, so
# they go with them; privacy reads every app's rows, so it goes too.
WITHOUT = {"awards", "badges", "notifications", "imports", "privacy"}
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in WITHOUT]  # noqa: F405
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MIDDLEWARE = [m for m in MIDDLEWARE if m.split(".")[0] not in WITHOUT]  # noqa: F405
