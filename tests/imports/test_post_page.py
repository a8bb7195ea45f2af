"""The post page after an import: thread, count, award banner, image and credit."""

import re

import pytest

from blog.models import Post

pytestmark = pytest.mark.django_db


def test_imported_post_page(client, course, imported):
    thaw = Post.objects.get(title="Out with the old")
    response = client.get(thaw.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "6 thoughts on “Out with the old”" in html  # approved only; pingbacks skipped
    assert "This post received the" in html and "Comrade&#x27;s Corner" in html
    assert 'Image: <a href="https://archive.example.org/item/7"' in html
    assert "Photo: State Archive" in html and "Moscow, 1956" in html
    # Six levels in WordPress; the course nests five: the sixth hangs at level five.
    assert html.count("\n<ol>") == 4  # an item of the thread opens a list of replies
    assert "Level six, deeper than the course allows." in html
    # Nothing from the export runs.
    for vector in ("alert('script", "javascript:alert", "onerror=", "onclick=", "onmouseover="):
        assert vector not in html
    assert not re.search(r"<script>alert", html)
