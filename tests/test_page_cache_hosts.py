"""The page cache keeps Django's host guarantees (pagecache.keys, pagecache.middleware):
a hit is answered before CommonMiddleware, which is where Django checks ALLOWED_HOSTS,
so the cache checks the host itself (400 for a host not allowed, hit or miss), and a
copy is kept per scheme and host, since pages embed absolute addresses (the canonical
link, og:url): a page drawn for one host is never served to a reader of another.

CI runs this module with the local-memory cache and with Redis (REDIS_URL).
"""

import re

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


@pytest.fixture
def post(course, student):
    return factories.PostFactory(course=course, author=student, title="On the thaw")


@pytest.fixture
def hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def canonical(response):
    return CANONICAL.search(response.content.decode()).group(1)


@pytest.mark.parametrize("reader", ["anonymous", "signed in"])
def test_a_host_not_allowed_gets_400_from_a_cached_page_as_from_django(post, student, reader):
    client = Client() if reader == "anonymous" else signed_in(student)
    for url in ("/", post.course.get_absolute_url(), post.get_absolute_url()):
        assert client.get(url).status_code == 200
        assert client.get(url)["X-Page-Cache"] == "hit"
        response = client.get(url, headers={"host": "evil.example"})
        assert response.status_code == 400, url
        assert "X-Page-Cache" not in response


def test_a_host_not_allowed_stores_nothing(post):
    """The 400 comes first: nothing drawn for that host is kept for anyone."""
    url = post.get_absolute_url()
    assert Client().get(url, headers={"host": "evil.example"}).status_code == 400
    response = Client().get(url)
    assert response["X-Page-Cache"] == "miss"
    assert canonical(response) == f"http://testserver{url}"


@pytest.mark.parametrize("reader", ["anonymous", "signed in"])
def test_a_page_drawn_for_another_allowed_host_is_never_served_to_this_one(
    post, student, hosts, reader
):
    def client():
        return Client() if reader == "anonymous" else signed_in(student)

    url = post.get_absolute_url()
    for _ in range(2):  # drawn, then from the cache: the other host's canonical address
        other = client().get(url, headers={"host": "other.example"})
        assert canonical(other) == f"http://other.example{url}"
    assert other["X-Page-Cache"] == "hit"
    mine = client().get(url)
    assert mine["X-Page-Cache"] == "miss"  # its own copy, not the other host's
    assert canonical(mine) == f"http://testserver{url}"
    assert canonical(client().get(url)) == f"http://testserver{url}"


@pytest.mark.parametrize("reader", ["anonymous", "signed in"])
def test_a_page_drawn_over_https_is_never_served_over_http(post, student, reader):
    def client():
        return Client() if reader == "anonymous" else signed_in(student)

    url = post.get_absolute_url()
    for _ in range(2):
        secure = client().get(url, secure=True)
        assert canonical(secure) == f"https://testserver{url}"
    assert secure["X-Page-Cache"] == "hit"
    plain = client().get(url)
    assert plain["X-Page-Cache"] == "miss"
    assert canonical(plain) == f"http://testserver{url}"


# --- What the page cache hands the stack travels on one object ---

seen_requests = []


def recording_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        seen_requests.append(dict(vars(request)))
        return response

    return middleware


def test_a_miss_hands_the_stack_one_object_not_loose_request_attributes(post, student, settings):
    """The middleware's session, user and lookup, and the key, reach the session and auth
    middleware and the view on ``request.page_cache`` only (pagecache.request)."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_page_cache_hosts.recording_middleware"]
    seen_requests.clear()
    url = post.get_absolute_url()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    assert signed_in(student).get(url)["X-Page-Cache"] == "miss"
    anonymous, member = seen_requests
    loose = {"page_cache_key", "preloaded_session", "_cached_user", "member_found", "page_skeleton"}
    assert anonymous["page_cache"].key and not loose & set(anonymous) - {"_cached_user"}
    state = member["page_cache"]
    assert state.session is member["session"] and state.user is member["user"]
    assert state.found.pk == post.pk and state.skeleton is None
    assert not loose & set(member)
