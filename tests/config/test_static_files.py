"""Production static files: our CSS minified, every file hashed, compressed and served
as immutable; the style sheets small; fonts self-hosted with their licences."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

STATIC = Path(settings.BASE_DIR) / "static"
PRODUCTION_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "config.staticfiles.StaticStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage

        staticfiles_storage._setup()
        names = {
            name: staticfiles_storage.stored_name(name) for name in ("css/main.css", "css/base.css")
        }
    return root, names


def test_main_css_is_minified_hashed_and_compressed(collected):
    root, names = collected
    hashed = root / names["css/main.css"]
    assert hashed.name != "main.css"
    text = hashed.read_text()
    assert "/*" not in text and "\n  " not in text
    assert ".site-header{" in text.replace(" {", "{")
    assert (root / (names["css/main.css"] + ".gz")).exists()
    assert (root / (names["css/main.css"] + ".br")).exists()


def test_css_sent_to_the_browser_stays_small(collected):
    root, names = collected
    total = sum((root / name).stat().st_size for name in names.values())
    # Issue 13 set 60 KB (61,440 bytes) before compression; the course site, privacy,
    # terms and badges raised it to 64 KB (65,536). What it weighs now, and why, is in
    # docs/decisions.md (CSS: 68 KB, then under 60, then 64).
    assert total <= 65_536, f"{total} bytes of CSS"


def test_base_css_has_no_byte_order_mark_before_its_first_selector():
    # Dart Sass starts output that has a non-ASCII character with U+FEFF; after the
    # font faces it made ":root" a selector that matched nothing (no Bootstrap
    # variables in the dark scheme).
    assert "\ufeff" not in (STATIC / "css" / "base.css").read_text(encoding="utf-8")


def test_hashed_static_files_are_served_compressed_and_immutable(collected):
    root, names = collected
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES, DEBUG=False):
        response = Client().get(
            "/static/" + names["css/base.css"],
            HTTP_ACCEPT_ENCODING="br, gzip",
        )
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] in ("br", "gzip")


@pytest.mark.django_db
def test_pages_load_self_hosted_fonts_and_no_bootstrap_script(client):
    html = client.get("/").content.decode()
    assert 'rel="preload"' in html and "source-serif-4-latin-600-normal.woff2" in html
    assert "css/base.css" in html and "js/theme.js" in html
    assert "bootstrap.bundle" not in html
    assert "fonts.googleapis" not in html


def test_fonts_are_woff2_with_their_licences_and_the_css_names_only_those():
    fonts = {path.name for path in (STATIC / "fonts").iterdir()}
    assert {"source-serif-4-LICENSE.txt", "source-sans-3-LICENSE.txt"} <= fonts
    assert "Open Font License" in (STATIC / "fonts" / "source-serif-4-LICENSE.txt").read_text()
    base = (STATIC / "css" / "base.css").read_text()
    for subset in ("latin", "latin-ext", "cyrillic"):
        assert f"source-serif-4-{subset}-400-normal.woff2" in base
    assert base.count("font-display:swap") == base.count("@font-face")
    for name in fonts - {"source-serif-4-LICENSE.txt", "source-sans-3-LICENSE.txt"}:
        assert name.endswith(".woff2") and name in base


def test_fonts_one_page_of_latin_text_downloads_are_at_most_150_kb():
    # Every face a page can use, in the Latin subset, plus the Cyrillic of the body text.
    faces = list((STATIC / "fonts").glob("*-latin-[46]00-*.woff2"))
    faces += list((STATIC / "fonts").glob("source-serif-4-cyrillic-400-*.woff2"))
    assert sum(path.stat().st_size for path in faces) <= 150 * 1024


def test_the_table_of_static_files_is_built_on_the_first_request_for_one(collected, rf):
    # Built at start, in gunicorn's master, it is 1.2 MiB in every worker, which behind
    # nginx (it serves /static/) never serves a static file.
    from config.middleware import StaticFilesMiddleware

    assert "config.middleware.StaticFilesMiddleware" in settings.MIDDLEWARE
    assert "whitenoise.middleware.WhiteNoiseMiddleware" not in settings.MIDDLEWARE
    root, names = collected
    production = {"STATIC_ROOT": root, "STORAGES": PRODUCTION_STORAGES, "DEBUG": False}
    with override_settings(**production, WHITENOISE_AUTOREFRESH=False):
        middleware = StaticFilesMiddleware(lambda request: "from the app")
        assert middleware.files == {}
        assert middleware(rf.get("/c/some-course/")) == "from the app"
        assert middleware.files == {}

        response = middleware(rf.get("/static/" + names["css/main.css"]))
        assert response.status_code == 200
        assert "immutable" in response["Cache-Control"]
        assert "/static/" + names["css/base.css"] in middleware.files
        assert middleware(rf.get("/static/no-such-file.css")) == "from the app"


def test_with_autorefresh_static_files_are_looked_up_on_disk_as_before(collected, rf):
    from config.middleware import StaticFilesMiddleware

    root, names = collected
    with override_settings(STATIC_ROOT=root, DEBUG=True, WHITENOISE_AUTOREFRESH=True):
        middleware = StaticFilesMiddleware(lambda request: "from the app")
        assert middleware(rf.get("/static/" + names["css/main.css"])).status_code == 200
        assert middleware(rf.get("/c/some-course/")) == "from the app"
