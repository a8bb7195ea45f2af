import pytest

from tests import factories
from tests.helpers import forget_process_state

# The suite runs on every core (pytest-xdist: `make test`, .ci/run; docs/architecture.md).
# These tests each use one outside thing with a fixed name: the identity providers on
# ports 8151-8153 (and the OpenID one's database file), the S3 test server's buckets,
# Redis databases 1 and 5 that they empty. They all run on one worker, one after
# another, never beside each other.
ONE_WORKER = (
    "tests/sso/",
    "tests/storage/",
    "tests/accounts/test_rate_limits.py",
    "tests/operations/test_shared_state.py",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's scheduling by scope, where every test is a scope of its own but those of
    ONE_WORKER, which are one scope. (xdist's own `--dist loadgroup` does this by marks,
    but it renames the test ids to do so, which pytest 9.2's ids no longer allow.)"""
    from xdist.scheduler import LoadScopeScheduling

    class FixedResourcesOnOneWorker(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return "fixed-resources" if nodeid.startswith(ONE_WORKER) else nodeid

    return FixedResourcesOnOneWorker(config, log)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast password hashing, email in memory, uploads in a temporary folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    """The fetcher of things from the web (blog/fetcher.py) resolves only numeric
    addresses and localhost in tests: a test that would reach the internet fails."""
    import socket

    from blog import fetcher

    def offline(host, port):
        if host == "localhost":
            return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        try:
            flags = socket.AI_NUMERICHOST
            return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=flags)
        except socket.gaierror:
            raise socket.gaierror(f"tests have no internet: {host} was not looked up") from None

    monkeypatch.setattr(fetcher, "resolve", offline)


@pytest.fixture(autouse=True)
def _clear_cache():
    """The shared cache and each process's recent pages in front of it (pagecache), and
    the Redis circuit breakers (config.cache): no test inherits another's outage."""
    from django.core.cache import cache

    from config.cache import breakers
    from pagecache.store import recent_pages

    breakers.clear()
    cache.clear()
    recent_pages.clear()
    yield
    cache.clear()
    recent_pages.clear()
    breakers.clear()


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """What a process keeps from one request to the next, forgotten before each test
    (tests.helpers.forget_process_state), so that no test passes or fails by what ran
    before it."""
    forget_process_state()


@pytest.fixture
def stopped_clock(time_machine):
    """The clock stands still from here on: pages drawn at different moments of a test
    are the same page, even where they say "3 minutes ago"."""
    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def staff(db):
    return factories.UserFactory(is_staff=True, is_superuser=True, username="staffer")


@pytest.fixture
def course(db):
    return factories.CourseFactory(title="History 101", slug="history-101")


@pytest.fixture
def private_course(db):
    return factories.CourseFactory(title="Seminar", slug="seminar", visibility="members")


@pytest.fixture
def instructor(course):
    member = factories.MembershipFactory(
        course=course, role="instructor", user=factories.UserFactory(username="prof")
    )
    return member.user


@pytest.fixture
def student(course):
    return factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="stu")
    ).user


@pytest.fixture
def classmate(course):
    return factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="mate")
    ).user


@pytest.fixture
def outsider(db):
    """Signed in, but a member of no course."""
    return factories.UserFactory(username="outsider")


@pytest.fixture
def post(course, student):
    return factories.PostFactory(course=course, author=student, title="A published post")
