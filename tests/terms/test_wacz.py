"""The archive as a WACZ web archive (terms/wacz.py): WARC records of every file, an
index that finds them, a package whose hashes hold, the same bytes on a rebuild."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from terms.wacz import build_wacz

warcio = pytest.importorskip("warcio", reason="warcio (PyPI) is not installed")


@pytest.fixture
def wacz(small_course):
    return zipfile.ZipFile(io.BytesIO(build_wacz(small_course)))


def test_wacz_holds_the_warc_its_index_pages_and_package(wacz):
    assert wacz.namelist() == [
        "archive/data.warc.gz", "datapackage-digest.json", "datapackage.json",
        "indexes/index.cdx", "pages/pages.jsonl",
    ]  # fmt: skip


def test_every_post_page_is_a_response_record_the_index_finds(wacz, small_course):
    from warcio.archiveiterator import ArchiveIterator

    warc = wacz.read("archive/data.warc.gz")
    index = [line.split(" ", 2) for line in wacz.read("indexes/index.cdx").decode().splitlines()]
    found = {json.loads(entry)["url"]: json.loads(entry) for _, _, entry in index}
    for post in small_course.posts.published():
        url = f"https://testserver{post.get_absolute_url()}index.html"
        entry = found[url]
        record = next(ArchiveIterator(io.BytesIO(warc[entry["offset"] :])))
        assert record.rec_headers.get_header("WARC-Target-URI") == url
        assert post.title.encode() in record.content_stream().read()
    assert [surt for surt, _, _ in index] == sorted(surt for surt, _, _ in index)


def test_pages_list_names_each_page_with_its_title(wacz, small_course):
    lines = [json.loads(line) for line in wacz.read("pages/pages.jsonl").decode().splitlines()]
    assert lines[0]["format"] == "json-pages-1.0"
    titles = {line["title"] for line in lines[1:]}
    assert any(title.startswith("Essay 0") for title in titles)


def test_the_package_hashes_hold(wacz):
    package = json.loads(wacz.read("datapackage.json"))
    assert package["wacz_version"] == "1.1.1"
    for resource in package["resources"]:
        data = wacz.read(resource["path"])
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["bytes"] == len(data)
    digest = json.loads(wacz.read("datapackage-digest.json"))
    assert digest["hash"] == "sha256:" + hashlib.sha256(wacz.read("datapackage.json")).hexdigest()


def test_wacz_rebuilds_to_the_same_bytes(small_course):
    assert build_wacz(small_course) == build_wacz(small_course)


def test_command_writes_the_wacz_beside_the_zip(small_course, tmp_path):
    call_command("archive_course", small_course.slug, "--out", str(tmp_path), "--wacz")
    assert (tmp_path / f"{small_course.slug}-public-archive.zip").exists()
    assert zipfile.is_zipfile(tmp_path / f"{small_course.slug}-public-archive.wacz")
