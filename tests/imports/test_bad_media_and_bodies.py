"""What one bad part of an export costs: that part, reported; never the whole import."""

import io
import re
import struct
import tracemalloc
import zipfile

import pytest
from django.core.management import call_command

from blog.models import Post
from comments.models import Comment
from imports.media import MediaRefused, MediaSource
from imports.models import ImportRun
from imports.services import import_export
from tests.imports.conftest import BLOG, image_bytes

pytestmark = pytest.mark.django_db

ELEVEN_MB = 11 * 1024 * 1024


def zip_of(path, files):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def lying_zip(path, name, real, claimed):
    """A zip whose entry says it holds `claimed` bytes and inflates to `real` zeros."""
    zip_of(path, {name: b"\0" * real})
    data = bytearray(path.read_bytes())
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    data[local + 22 : local + 26] = struct.pack("<I", claimed)
    data[central + 24 : central + 28] = struct.pack("<I", claimed)
    path.write_bytes(bytes(data))
    return path


# --- item 9: an oversized or bad image is skipped and reported ---


@pytest.fixture
def bad_media(tmp_path):
    """poster.jpg fine; dove.png over 10 MB; a text file posing as an image."""
    return zip_of(
        tmp_path / "uploads.zip",
        {
            "uploads/2017/03/poster.jpg": image_bytes("JPEG"),
            "uploads/2017/04/dove.png": b"\x89PNG" + b"\0" * ELEVEN_MB,
            "uploads/2017/04/gone.jpg": b"not an image at all",
        },
    )


def test_an_oversized_or_bad_image_is_skipped_and_the_rest_imports(course, bad_media):
    run = ImportRun.objects.create(course=course)
    report = import_export(course=course, source=BLOG, media=bad_media, run=run)
    assert Post.objects.filter(course=course).count() == 5
    assert Comment.objects.count() == 9
    skipped = {entry["path"]: entry["reason"] for entry in report["media"]["skipped"]}
    assert skipped["2017/04/dove.png"] == "larger than 10 MB"
    assert "not an image we can read" in skipped["2017/04/gone.jpg"]
    assert Post.objects.get(title="Out with the old").image_renditions  # poster.jpg: fine


def test_the_command_reports_a_skipped_image_and_finishes_the_run(course, bad_media):
    out = io.StringIO()
    call_command("import_wordpress", str(BLOG), course=course.slug, media=str(bad_media),
                 stdout=out)  # fmt: skip
    assert "  - skipped: 2017/04/dove.png (larger than 10 MB)\n" in out.getvalue()
    assert ImportRun.objects.get().status == "done"


def test_a_command_that_fails_unexpectedly_leaves_no_run_running(course, monkeypatch):
    from imports import services

    def boom(self, items):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.Importer, "_grant_awards", boom)
    with pytest.raises(RuntimeError):
        call_command("import_wordpress", str(BLOG), course=course.slug, stdout=io.StringIO())
    assert ImportRun.objects.get().status == "failed"


# --- item 10: a zip entry whose size header lies is read with a counter ---


@pytest.mark.parametrize("claimed", [1000, 5 * 1024 * 1024])
def test_a_zip_entry_whose_size_header_lies_is_refused_without_inflating_it(tmp_path, claimed):
    archive = lying_zip(tmp_path / "bomb.zip", "uploads/2017/04/dove.png", 40 * 1024 * 1024,
                        claimed)  # fmt: skip
    assert archive.stat().st_size < 100 * 1024  # 40 MB of zeros in a small zip
    source = MediaSource(archive)
    tracemalloc.start()
    try:
        with pytest.raises(MediaRefused, match="damaged"):
            source.open("2017/04/dove.png")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        source.close()
    assert peak < 8 * 1024 * 1024  # never the 40 MB the entry really holds


def test_a_zip_entry_over_the_limit_is_refused_by_its_real_size(tmp_path):
    archive = zip_of(tmp_path / "big.zip", {"uploads/big.png": b"\0" * ELEVEN_MB})
    with pytest.raises(MediaRefused, match="larger than 10 MB"):
        MediaSource(archive).open("big.png")


def test_an_import_with_a_lying_zip_entry_imports_the_rest(course, tmp_path):
    archive = lying_zip(tmp_path / "bomb.zip", "uploads/2017/04/dove.png", 40 * 1024 * 1024,
                        1000)  # fmt: skip
    report = import_export(course=course, source=BLOG, media=archive)
    assert Post.objects.filter(course=course).count() == 5
    assert [entry["path"] for entry in report["media"]["skipped"]] == ["2017/04/dove.png"]


# --- item 11: HTML nested too deep is refused with a message; the rest imports ---


def test_deeply_nested_html_refuses_that_post_and_comment_only(course):
    deep = "<div>" * 5000 + "deep" + "</div>" * 5000
    text = (
        BLOG.read_text()
        .replace("By someone not in the authors list.", deep)
        .replace("Level four.", "<b>" * 5000 + "x")
    )
    report = import_export(course=course, source=io.BytesIO(text.encode()))
    refused = {entry["what"]: entry["reason"] for entry in report["refused"]}
    assert refused["Pending review"] == "its HTML is nested more than 100 elements deep"
    assert refused["comment 104 on Out with the old"].startswith("its HTML is nested")
    assert not Post.objects.filter(title="Pending review").exists()
    assert Post.objects.filter(course=course).count() == 4
    assert Comment.objects.count() == 8
    # The reply to the refused comment is kept, one level up.
    assert Comment.objects.get(body__startswith="Level five").parent.body.startswith("Level three")


def test_a_recursion_error_in_conversion_refuses_that_post_only(course, monkeypatch):
    """Behind the nesting check: whatever still recurses too deep refuses its post."""
    from imports import convert

    monkeypatch.setattr(convert, "MAX_NESTING", 10**6)  # let markdownify meet it
    deep = "<div>" * 5000 + "deep" + "</div>" * 5000
    text = BLOG.read_text().replace("By someone not in the authors list.", deep)
    report = import_export(course=course, source=io.BytesIO(text.encode()))
    assert report["refused"] == [
        {"what": "Pending review", "reason": "it is nested too deep to convert"}
    ]
    assert Post.objects.filter(course=course).count() == 4


# --- issue 27 item 16: a missing image shows a placeholder, listed on the report ---


def test_a_missing_image_shows_an_image_not_imported_figure(client, course, imported):
    classic = Post.objects.get(title="Classic days")
    html = client.get(classic.get_absolute_url()).content.decode()
    assert '<figure class="image-missing"><p>Image not imported: Gone</p></figure>' in html
    assert not re.search(r"<img[^>]*gone\.jpg", html)  # no broken <img> to the old site
    assert imported.report["media"]["placeholders"] == {"Classic days": ["2017/04/gone.jpg"]}


def test_without_an_upload_every_image_is_a_placeholder_and_listed(course):
    report = import_export(course=course, source=BLOG)
    thaw = Post.objects.get(title="Out with the old")
    assert '<figure class="image-missing"><p>Image not imported: A poster</p>' in thaw.body_html
    assert not re.search(r"<img[^>]*wp-content", thaw.body_html)
    assert set(report["media"]["placeholders"]) == {"Out with the old", "Classic days"}
