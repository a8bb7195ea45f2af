"""The site without the awards and notifications apps (blog's pages must not need them)."""

from config.settings import *  # noqa: F403

WITHOUT = {"awards", "notifications"}
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in WITHOUT]  # noqa: F405
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
