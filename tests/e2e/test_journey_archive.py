"""A course's static archive with Django stopped: opened from a disk (file://) and served
by nginx from a folder, a reader goes from the front door to a post and reads its
thread, then follows a topic and an author (issue 32)."""

import io
import os
import shutil
import socket
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from terms.archive import build_archive
from tests.terms.conftest import make_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PORT = int(os.environ.get("ARCHIVE_NGINX_PORT", "8311"))
NGINX_CONF = """
daemon off;
worker_processes 1;
error_log {folder}/error.log;
pid {folder}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {folder}/tmp;
    proxy_temp_path {folder}/tmp;
    fastcgi_temp_path {folder}/tmp;
    uwsgi_temp_path {folder}/tmp;
    scgi_temp_path {folder}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {folder}/site;
    }}
}}
"""


@pytest.fixture
def unzipped():
    """The public archive of a course, unzipped into a folder anyone may read (nginx's
    workers and Chromium may run as another user)."""
    course = make_course(posts=12, comments_per_post=4)
    data = build_archive(course)
    post = course.posts.published().get(title="Essay 1")
    first = post.comments.filter(status="approved", parent=None).earliest("pk")
    seen = {"course": course.title, "comment": (first.pk, first.body.split(",")[0])}
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)  # noqa: S103
        site = Path(folder, "site")
        site.mkdir(mode=0o755)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(site)
        for path in site.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)  # noqa: S103
        yield seen, Path(folder)


@pytest.fixture
def nginx(unzipped):
    _, folder = unzipped
    (folder / "tmp").mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(folder=folder, port=PORT))
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed")
    process = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(folder)])
    try:
        for _ in range(50):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{PORT}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def page(browser):
    """A page of the suite's one browser (tests/e2e/conftest.py), JavaScript off: the
    archive needs none. A second sync_playwright would clash with that browser's loop."""
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def read_a_post_and_its_thread(page, front_door, seen):
    page.goto(front_door)
    page.wait_for_url("**/index.html")  # the front door leads to the course page
    assert page.locator("h1").inner_text() == seen["course"]
    page.get_by_role("link", name="Older").click()  # the list's second page
    page.get_by_role("link", name="Essay 1", exact=True).click()
    assert page.locator("h1").inner_text() == "Essay 1"
    assert page.locator("#comments-title").inner_text() == "4 thoughts on “Essay 1”"
    comment_id, words = seen["comment"]
    assert words in page.locator(f"#comment-{comment_id}").inner_text()
    assert page.locator("form, script, button").count() == 0
    page.locator(".article__meta").get_by_role("link", name="Week 2").click()
    assert "Week 2" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Essay 1", exact=True).click()
    page.locator(".article__meta a").first.click()  # the author's page
    assert page.get_by_role("link", name="Essay 1", exact=True).count() == 1


def test_archive_opened_from_a_disk_reads_a_post_and_its_thread(unzipped, page):
    seen, folder = unzipped
    read_a_post_and_its_thread(page, (folder / "site" / "index.html").as_uri(), seen)


def test_archive_served_by_nginx_reads_a_post_and_its_thread(unzipped, nginx, page):
    seen, _ = unzipped
    read_a_post_and_its_thread(page, nginx + "index.html", seen)
