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
