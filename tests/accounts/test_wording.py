"""One sign-in vocabulary, in sentence case: Sign in, Sign up, Sign out, Username or
email, Remember me, Or sign in with (ours and allauth's pages, through locale/en)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.translation import gettext, pgettext

from tests.factories import UserFactory

PO_FILE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
OLD_WORDS = [
    "Log in", "Log out", "Logged in", "Login", "Logout", "Sign In", "Sign Up", "Sign Out",
    "Signup", "Remember Me", "Or use a third-party", "Password Reset", "Reset My Password",
]  # fmt: skip


def visible_text(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def title(response):
    found = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    return re.sub(r"\s+", " ", found).strip()


def assert_no_old_words(text):
    for old in OLD_WORDS:
        assert not re.search(rf"\b{re.escape(old)}\b", text), old


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, page_title, words",
    [
        ("account_login", "Sign in", ["Username or email", "Remember me", "Or sign in with"]),
        ("account_signup", "Sign up", ["Or sign in with", "Sign in with WordPress.com"]),
        ("account_reset_password", "Password reset", ["Reset my password"]),
    ],
)
def test_sign_in_pages_speak_one_vocabulary(client, name, page_title, words):
    response = client.get(reverse(name))
    text = visible_text(response)
    assert title(response).startswith(page_title + " ·")
    for word in [*words, "Sign in", "Sign up"]:
        assert word in text
    assert_no_old_words(text)


@pytest.mark.django_db
def test_the_header_and_comment_form_say_sign_in_and_sign_out(client, post):
    text = visible_text(client.get(post.get_absolute_url()))
    assert "Sign in" in text and "Sign up" in text
    assert_no_old_words(text)
    client.force_login(UserFactory())
    for url in (reverse("home"), reverse("account_email"), reverse("account_change_password")):
        text = visible_text(client.get(url))
        assert "Sign out" in text
        assert_no_old_words(text)


def po_entries():
    text = PO_FILE.read_text()
    pattern = r'(?:msgctxt "(.*)"\n)?msgid "(.+)"\nmsgstr "(.+)"'
    return re.findall(pattern, text)


@pytest.mark.parametrize("context, msgid, msgstr", po_entries())
def test_the_compiled_catalogue_matches_the_po_file(context, msgid, msgstr):
    """locale/en/LC_MESSAGES/django.mo is committed: recompile it after editing the .po."""
    assert (pgettext(context, msgid) if context else gettext(msgid)) == msgstr
