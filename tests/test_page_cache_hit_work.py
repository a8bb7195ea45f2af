"""What a page cache hit does once (pagecache.middleware, config.middleware): the host is
validated once (the keys take it from the middleware, ``PageCacheState.host``), and no
map of the request's headers is built (the request id is read from META)."""

import pytest
from django.core.cache import cache
from django.http.request import HttpHeaders, HttpRequest
from django.test import Client

from pagecache.store import recent_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    calls = {"get_host": 0, "headers": 0}
    get_host, headers_init = HttpRequest.get_host, HttpHeaders.__init__

    def counting_get_host(request):
        calls["get_host"] += 1
        return get_host(request)

    def counting_headers_init(self, environ):
        calls["headers"] += 1
        headers_init(self, environ)

    monkeypatch.setattr(HttpRequest, "get_host", counting_get_host)
    monkeypatch.setattr(HttpHeaders, "__init__", counting_headers_init)
    return calls


@pytest.mark.parametrize("signed_in", [True, False])
def test_a_hit_validates_the_host_once_and_builds_no_map_of_headers(
    course, student, counted, signed_in
):
    cache.clear()
    recent_pages.clear()
    client = Client()
    if signed_in:
        client.force_login(student)
    url = course.get_absolute_url()
    client.get(url)  # drawn
    client.get(url)  # a hit
    counted.update(get_host=0, headers=0)
    response = client.get(url, headers={"X-Request-ID": "lb-1234.abc"})
    assert response["X-Page-Cache"] == "hit"
    assert response["X-Request-ID"] == "lb-1234.abc"
    assert counted == {"get_host": 1, "headers": 0}
