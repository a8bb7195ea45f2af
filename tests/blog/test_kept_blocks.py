"""Per-viewer blocks kept per reader by each process (ViewerContext.kept_by,
blog_tags.fill_block; docs/decisions.md): a kept block carries this response's CSRF
token and follows the reader's row."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import User
from pagecache.store import recent_pages

pytestmark = pytest.mark.django_db


def kept_header_blocks():
    return [key for key in recent_pages.entries if key.startswith("block1:includes/header")]


def logout_token(html):
    form = re.search(rf'action="{reverse("account_logout")}".*?</form>', html, re.S).group(0)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def test_a_kept_header_carries_this_responses_token_and_follows_the_readers_row(course, student):
    cache.clear()
    recent_pages.clear()
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    url = course.get_absolute_url()
    client.get(url)  # drawn
    client.get(url)  # a hit: the header drawn for this reader and kept
    assert kept_header_blocks()
    first = client.get(url)
    second = client.get(url)
    assert first["X-Page-Cache"] == second["X-Page-Cache"] == "hit"
    # Masked afresh for each response, as Django's get_token does
    assert logout_token(first.content.decode()) != logout_token(second.content.decode())

    User.objects.filter(pk=student.pk).update(first_name="Renamed", last_name="Reader")
    renamed = client.get(url).content.decode()
    assert "Renamed Reader" in renamed

    # The kept header's form is one the reader can send
    token = logout_token(second.content.decode())
    answer = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert answer.status_code == 302


def test_a_hit_digests_what_its_kept_blocks_are_kept_by_once_and_asks_the_language_once(
    course, student, monkeypatch
):
    """The header and its bar are both kept by the reader's row: one digest of it a hit,
    and one ``get_language()`` for all the blocks."""
    from blog.templatetags import blog_tags
    from pagecache import skeleton

    cache.clear()
    recent_pages.clear()
    client = Client()
    client.force_login(student)
    url = course.get_absolute_url()
    client.get(url)  # drawn
    client.get(url)  # a hit: the blocks kept

    digested, languages = [], []
    sha256, get_language = blog_tags.hashlib.sha256, skeleton.get_language

    class CountingHashlib:
        @staticmethod
        def sha256(data):
            digested.append(data)
            return sha256(data)

    def counting_get_language():
        languages.append(1)
        return get_language()

    monkeypatch.setattr(blog_tags, "hashlib", CountingHashlib)
    monkeypatch.setattr(skeleton, "get_language", counting_get_language)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert digested and len(digested) == len(set(digested))
    assert len(languages) == 1
