"""Old WordPress permalinks answer 301 to the imported post (or the course feed)."""

import pytest

from blog.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _old_domain(settings):
    """The old blog's domain now points at Commonplace."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "thaw.example.edu"]
    settings.SITE_DOMAIN = "blog.example.edu"


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/?p=10", "Out with the old"),
        ("/2017/03/26/out-with-the-old/", "Out with the old"),
        ("/2017/03/26/out-with-the-old", "Out with the old"),
        ("/classic-days/", "Classic days"),
        ("/?p=11", "Classic days"),
        ("/2017/03/26/out-with-the-old/poster/", "Out with the old"),  # attachment page
        ("/?attachment_id=22", "Classic days"),
    ],
)
def test_old_permalinks_redirect_to_the_post(client, course, imported, url, title):
    response = client.get(url, HTTP_HOST="thaw.example.edu")
    assert response.status_code == 301
    new = Post.objects.get(title=title).get_absolute_url()
    assert response["Location"] == f"https://blog.example.edu{new}"  # our own domain


@pytest.mark.parametrize("url", ["/feed/", "/?feed=rss2", "/comments/feed/", "/feed/rdf/"])
def test_old_feeds_redirect_to_the_course_feed(client, course, imported, url):
    response = client.get(url, HTTP_HOST="thaw.example.edu")
    assert response.status_code == 301
    assert response["Location"] == f"https://blog.example.edu/c/{course.slug}/feed/rss/"


def test_old_links_on_our_own_domain_stay_relative(client, course, imported):
    response = client.get("/?p=10")  # testserver: not the old blog's domain
    assert response.status_code == 301
    assert response["Location"] == Post.objects.get(title="Out with the old").get_absolute_url()


def test_unknown_paths_stay_404_and_pages_are_not_shadowed(client, course, imported):
    assert client.get("/2099/01/01/never/").status_code == 404
    assert client.get("/?p=99999").status_code == 200  # the home page, as before
    assert client.get(f"/c/{course.slug}/").status_code == 200


def test_normal_pages_cost_no_redirect_query(client, course, imported, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(f"/c/{course.slug}/")
    assert not [q for q in queries if "imports_oldlink" in q["sql"]]


def test_undo_removes_the_old_links(client, course, imported):
    from imports.services import undo_import

    undo_import(run=imported)
    assert client.get("/?p=10").status_code == 200
    assert client.get("/2017/03/26/out-with-the-old/").status_code == 404


def test_our_own_urls_win_over_old_links(client, course, imported):
    """The old /feed/atom/ is also our site feed's address: ours answers."""
    assert client.get("/feed/atom/").status_code == 200


def test_an_export_cannot_claim_addresses_of_this_site(client, course, instructor):
    """A crafted export whose post links name an address in another course (or any of our
    URL space) gets no redirect there: only the old blog's own paths redirect."""
    import io

    from imports.models import ImportRun
    from imports.services import import_export
    from tests import factories
    from tests.imports.conftest import BLOG

    other = factories.CourseFactory(slug="other-course")
    crafted = (
        BLOG.read_bytes()
        .replace(
            b"https://thaw.example.edu/2017/03/26/out-with-the-old/<",
            b"https://thaw.example.edu/c/other-course/does-not-exist/<",
        )
        .replace(
            b"https://thaw.example.edu/classic-days/<", b"https://elsewhere.example/somewhere/<"
        )
    )
    assert b"/c/other-course/does-not-exist/" in crafted
    run = ImportRun.objects.create(course=course)
    report = import_export(course=course, source=io.BytesIO(crafted), run=run)
    assert report["old_links_refused"] == ["/c/other-course/does-not-exist/"]
    assert client.get("/c/other-course/does-not-exist/").status_code == 404
    assert client.get(f"/c/{other.slug}/").status_code == 200
    assert client.get("/somewhere/").status_code == 404  # another host's link
    assert client.get("/?p=10").status_code == 301  # the blog's own links still work


def test_a_stored_old_link_inside_our_url_space_is_not_answered(client, course, imported):
    from imports.models import OldLink

    post = Post.objects.get(title="Out with the old")
    for path in ("/c/other-course/does-not-exist/", "/accounts/nothing-here/"):
        OldLink.objects.create(course=course, run=imported, host="", path=path, post=post)
        assert client.get(path).status_code == 404
