"""The static archive of a course (terms/archive.py): what it holds, what it never holds,
links that work from a disk, and the same bytes on a rebuild."""

import io
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from blog.models import Membership, Post
from terms.archive import build_archive, file_of

URL_ATTRIBUTES = ("href", "src")


def unzip(data):
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def pages_of(files):
    return {name: data.decode() for name, data in files.items() if name.endswith(".html")}


def course_file(course, page=1):
    return file_of(f"/c/{course.slug}/", page)


def post_file(post):
    return file_of(post.get_absolute_url())


@pytest.fixture
def public_files(archived_course):
    return unzip(build_archive(archived_course))


@pytest.fixture
def small_files(small_course):
    return unzip(build_archive(small_course))


def test_public_archive_has_no_form_script_csrf_token_or_sign_in_link(public_files):
    for name, html in pages_of(public_files).items():
        assert "<form" not in html, name
        assert "<script" not in html, name
        assert "csrfmiddlewaretoken" not in html, name
        assert "<button" not in html and "<input" not in html, name
        assert "/accounts/" not in html and "Sign in" not in html and "Sign up" not in html, name


def test_public_archive_has_no_per_viewer_parts(small_files, small_course):
    post = small_course.posts.published().earliest("published_at")
    html = small_files[post_file(post)].decode()
    assert "Leave a reply" not in html  # the reply form's section
    assert 'class="respond' not in html and "/reply/" not in html and "Reply to" not in html
    assert "like-button" not in html and "data-like-step" not in html


def test_parts_marked_for_the_live_site_only_are_left_out(members_course):
    files = unzip(build_archive(members_course, members=True))
    html = files[course_file(members_course)].decode()
    assert "Add to your calendar" not in html and "data-archive" not in html


def test_public_archive_holds_every_published_post_with_its_thread(public_files, archived_course):
    posts = archived_course.posts.published()
    assert posts.count() == 30
    for post in posts:
        html = public_files[post_file(post)].decode()
        assert post.title in html
        for comment in post.comments.filter(status="approved"):
            assert f'id="comment-{comment.pk}"' in html
    assert sum('class="comment"' in html for html in pages_of(public_files).values()) == 30


def test_public_archive_holds_no_draft_and_no_held_comment(small_files):
    everything = "".join(pages_of(small_files).values())
    assert "Secret draft" not in everything
    assert "Held back" not in everything
    assert not any("secret-draft" in name for name in small_files)


def test_course_page_is_paginated_into_files_that_link_each_other(public_files, archived_course):
    first = public_files[course_file(archived_course)].decode()
    assert 'href="index-2.html"' in first
    third = public_files[course_file(archived_course, 3)].decode()
    assert 'href="index-2.html"' in third
    assert course_file(archived_course, 4) not in public_files  # 30 posts, 10 a page


def test_topics_months_authors_awards_and_bibliography_are_archived(small_files, small_course):
    slug = small_course.slug
    for name in (
        f"c/{slug}/topics/week-1/index.html",
        f"c/{slug}/archive/2027/02/index.html",
        f"c/{slug}/people/s0-public/index.html",
        f"c/{slug}/bibliography/index.html",
        f"awards/{slug}/index.html",
        f"awards/{slug}/best-essay/index.html",
        "static/css/main.css",
        "static/img/favicon.svg",
        f"media/courses/{small_course.pk}/posts/p-400.webp",
    ):
        assert name in small_files, name
    assert any(name.startswith("static/fonts/") for name in small_files)


def test_every_internal_link_is_relative_and_leads_to_a_file_of_the_archive(public_files):
    for name, html in pages_of(public_files).items():
        doc = lxml.html.document_fromstring(html)
        for element in doc.iter():
            for attribute in URL_ATTRIBUTES:
                value = element.get(attribute)
                if not value or value.startswith("#"):
                    continue
                parts = urlsplit(value)
                if parts.scheme in ("http", "https", "mailto"):
                    assert parts.netloc != "testserver", (name, value)
                    continue
                assert not value.startswith("/"), (name, value)
                assert parts.path.endswith((".html", ".css", ".svg", ".webp", ".woff2")), value
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path))
                assert target in public_files, (name, value)
    for name, data in public_files.items():
        if name.endswith(".css"):
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", data.decode()):
                if not url.startswith("data:"):
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), url))
                    assert target in public_files, (name, url)


def test_external_links_are_untouched(small_files, small_course):
    post = small_course.posts.published().earliest("published_at")
    html = small_files[post_file(post)].decode()
    assert 'href="https://www.djangoproject.com/"' in html
    assert 'href="../index.html">the course</a>' in html  # an internal link in a body


def test_the_front_door_leads_to_the_course_page_without_script(small_files, small_course):
    door = small_files["index.html"].decode()
    assert f'url={course_file(small_course)}"' in door
    assert "<script" not in door


def test_rebuilding_from_the_same_data_gives_the_same_bytes(archived_course):
    assert build_archive(archived_course) == build_archive(archived_course)


def test_members_archive_rebuilds_to_the_same_bytes(members_course):
    assert build_archive(members_course, members=True) == build_archive(
        members_course, members=True
    )


def test_zip_entries_are_sorted_and_dated_by_the_course_last_change(small_course):
    archive = zipfile.ZipFile(io.BytesIO(build_archive(small_course)))
    names = archive.namelist()
    assert names == sorted(names)
    latest = Post.objects.for_course(small_course).latest("updated").updated.timetuple()[:6]
    dos_time = (*latest[:5], latest[5] // 2 * 2)  # a zip keeps even seconds
    assert {info.date_time for info in archive.infolist()} == {dos_time}


def test_members_only_course_has_no_public_archive(members_course):
    with pytest.raises(ValueError, match="no public archive"):
        build_archive(members_course)


def test_members_archive_holds_the_members_only_posts(members_course):
    files = unzip(build_archive(members_course, members=True))
    for post in members_course.posts.published():
        assert post.title in files[post_file(post)].decode()
    everything = "".join(pages_of(files).values())
    assert "Secret draft" not in everything  # a student sees no one else's draft
    assert "Held back" not in everything
    assert "<form" not in everything and "<script" not in everything
    assert "Sign out" not in everything


def test_members_archive_leaves_no_reader_behind(members_course):
    users, memberships = get_user_model().objects.count(), Membership.objects.count()
    files = unzip(build_archive(members_course, members=True))
    assert (get_user_model().objects.count(), Membership.objects.count()) == (users, memberships)
    assert "archive-reader" not in "".join(pages_of(files).values())


def test_command_writes_the_zip_into_the_folder(small_course, tmp_path):
    out = io.StringIO()
    call_command("archive_course", small_course.slug, "--out", str(tmp_path / "out"), stdout=out)
    path = tmp_path / "out" / f"{small_course.slug}-public-archive.zip"
    assert path.read_bytes() == build_archive(small_course)
    assert "Wrote" in out.getvalue()


def test_command_writes_the_members_archive(members_course, tmp_path):
    call_command("archive_course", members_course.slug, "--out", str(tmp_path), "--members")
    assert (tmp_path / f"{members_course.slug}-members-archive.zip").exists()


def test_command_refuses_an_unknown_course_and_a_public_archive_of_a_members_course(
    members_course, tmp_path
):
    with pytest.raises(CommandError, match="No course"):
        call_command("archive_course", "nope", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="--members"):
        call_command("archive_course", members_course.slug, "--out", str(tmp_path))


def test_command_refuses_a_course_that_may_not_be_archived(small_course, tmp_path, monkeypatch):
    from terms.management.commands import archive_course

    monkeypatch.setattr(archive_course, "can_be_archived", lambda course: False)
    with pytest.raises(CommandError, match="closed"):
        call_command("archive_course", small_course.slug, "--out", str(tmp_path))


def linkchecker():
    found = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    return found if Path(found).exists() else None


@pytest.mark.skipif(linkchecker() is None, reason="linkchecker (PyPI) is not installed")
def test_linkchecker_finds_no_broken_link_in_the_unzipped_archive(public_files):
    # Readable by all: run as root, linkchecker drops its privileges to "nobody".
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)  # noqa: S103
        site = Path(folder)
        for name, data in public_files.items():
            path = site / name
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
            path.write_bytes(data)
            path.chmod(0o644)
        result = subprocess.run(
            [linkchecker(), "--no-status", "--no-warnings", "--ignore-url=^https?://",
             "--recursion-level=-1", (site / "index.html").as_uri()],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    assert re.search(r"\b0 errors found", result.stdout), result.stdout[-2000:]


def test_building_keeps_no_page_in_the_page_cache(members_course, monkeypatch):
    """The archive's reader, a synthetic student whose membership is rolled back, must
    leave no copy in the page cache that a real reader could later be given."""
    from pagecache import decorators

    stored = []
    monkeypatch.setattr(decorators, "cache_set", lambda key, value: stored.append(key))
    build_archive(members_course, members=True)
    members_course.visibility = "public"
    members_course.save()
    build_archive(members_course)
    assert stored == []


def test_images_on_the_media_storage_origin_are_copied_in(small_course, settings, monkeypatch):
    """On S3 (or behind a CDN) pages link images at the storage's own origin, signed or
    not: the archive copies them in and links them relatively, as on the file system."""
    from blog import media

    settings.MEDIA_URL = "https://media.example.test/bucket/"
    settings.MEDIA_ORIGIN = ["https://media.example.test"]
    monkeypatch.setattr(media, "is_s3", lambda: True)
    files = unzip(build_archive(small_course))
    post = small_course.posts.published().earliest("published_at")
    html = files[post_file(post)].decode()
    name = f"media/courses/{small_course.pk}/posts/p-400.webp"
    assert name in files
    assert f'src="../../../{name}"' in html
    assert "media.example.test" not in html
