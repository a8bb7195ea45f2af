"""End to end through the local cluster (make cluster): nginx on one port balancing two
app servers that share PostgreSQL, Redis and an S3 bucket. Plain HTTP, no browser.

Requests alternate between the two app servers (addressed directly) and nginx. Runs
when CLUSTER_E2E=1 (.ci/run starts the cluster, runs this, stops it); skipped otherwise.
"""

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    os.environ.get("CLUSTER_E2E") != "1", reason="needs the local cluster (CLUSTER_E2E=1)"
)
PASSWORD = "cluster-e2e-password-1"


def cluster_env():
    values = dict(os.environ)
    for line in (ROOT / ".cluster" / "env").read_text().splitlines():
        key, _, value = line.partition("=")
        values[key] = value
    return values


def manage_shell(code):
    """Run Python in the cluster's Django (same database, cache and bucket)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=cluster_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def cluster():
    env = cluster_env()
    web = [f"http://127.0.0.1:{port}" for port in env["CLUSTER_WEB_PORTS"].split(",")]
    nginx = f"http://127.0.0.1:{env['CLUSTER_NGINX_PORT']}"
    tag = uuid.uuid4().hex[:8]
    manage_shell(
        "from accounts.models import User; from blog.models import Course, Membership;"
        f"u = User.objects.create_user('writer{tag}', 'w{tag}@example.edu', '{PASSWORD}');"
        f"c = Course.objects.create(title='Cluster {tag}', slug='cluster-{tag}', term='2026');"
        "Membership.objects.create(course=c, user=u, role='student');"
        "from allauth.account.models import EmailAddress;"
        "EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True);"
        "print('ok')"
    )
    return {"web": web, "nginx": nginx, "user": f"writer{tag}", "course": f"cluster-{tag}"}


def csrf(session):
    return session.cookies.get("csrftoken")


def post_form(session, url, data, files=None):
    return session.post(
        url,
        data={"csrfmiddlewaretoken": csrf(session), **data},
        files=files,
        headers={"Referer": url},
        allow_redirects=False,
        timeout=30,
    )


def image_file():
    buffer = io.BytesIO()
    Image.new("RGB", (900, 500), "teal").save(buffer, format="JPEG")
    return ("photo.jpg", buffer.getvalue(), "image/jpeg")


def test_two_app_servers_agree(cluster):
    a, b = cluster["web"]
    nginx = cluster["nginx"]
    course = cluster["course"]
    s = requests.Session()

    # Sign in on one server; the session holds on the other and through nginx.
    s.get(f"{a}/accounts/login/", timeout=30)
    login = post_form(s, f"{a}/accounts/login/", {"login": cluster["user"], "password": PASSWORD})
    assert login.status_code == 302, login.text[:500]
    for base in (b, nginx):
        assert f"/u/{cluster['user']}/" in s.get(f"{base}/", timeout=30).text

    # Publish a post with an image through one server; it shows from both.
    s.get(f"{b}/c/{course}/write/", timeout=30)
    data = {
        "title": "Seen from both servers",
        "body": "Written through the cluster.",
        "image_alt": "A teal rectangle",
        "action": "publish",
    }
    created = post_form(s, f"{b}/c/{course}/write/", data, files={"image_upload": image_file()})
    assert created.status_code == 302, created.text[:1000]
    post_path = created.headers["Location"]
    pages = {base: s.get(f"{base}{post_path}", timeout=30).text for base in (a, b, nginx)}
    sources = {
        base: re.search(r'<img src="([^"]+)" srcset', html)[1] for base, html in pages.items()
    }
    assert len(set(sources.values())) == 1
    image = requests.get(next(iter(sources.values())).replace("&amp;", "&"), timeout=30)
    assert image.status_code == 200
    assert image.headers["Content-Type"] == "image/webp"

    # Anonymous readers warm each server's page cache before the change.
    anon = requests.Session()
    for base in (a, b):
        assert "A first thought" not in anon.get(f"{base}{post_path}", timeout=30).text

    # Comment through nginx, like through the other server: both show at once.
    comment = post_form(s, f"{nginx}{post_path}comments/", {"body": "A first thought"})
    assert comment.status_code == 302, comment.text[:500]
    like = post_form(s, f"{a}{post_path}like/", {})
    assert like.status_code == 302
    for base in (a, b, nginx):
        assert "A first thought" in anon.get(f"{base}{post_path}", timeout=30).text
        assert "Liked by 1 person" in s.get(f"{base}{post_path}", timeout=30).text

    # The comment flood limit holds across servers (it lives in Redis).
    for base in (a, b):
        again = post_form(s, f"{base}{post_path}comments/", {"body": "Too soon"})
        assert again.status_code == 400
        assert "commenting too quickly" in again.text


def test_stopping_an_app_server_loses_no_acknowledged_write(cluster):
    a, b = cluster["web"]
    nginx = cluster["nginx"]
    course = cluster["course"]
    s = requests.Session()
    s.get(f"{nginx}/accounts/login/", timeout=30)
    assert (
        post_form(
            s, f"{nginx}/accounts/login/", {"login": cluster["user"], "password": PASSWORD}
        ).status_code
        == 302
    )

    acknowledged, failed_writes, reads = [], [], []
    done = threading.Event()

    def traffic():
        for n in range(30):
            title = f"Draft {n} {uuid.uuid4().hex[:6]}"
            try:
                response = post_form(
                    s,
                    f"{nginx}/c/{course}/write/",
                    {"title": title, "body": "x", "action": "draft"},
                )
                (acknowledged if response.status_code == 302 else failed_writes).append(title)
            except requests.RequestException:
                failed_writes.append(title)
            reads.append(requests.get(f"{nginx}/c/{course}/", timeout=30).status_code)
        done.set()

    worker = threading.Thread(target=traffic)
    worker.start()
    while len(reads) < 5 and not done.is_set():
        time.sleep(0.1)
    port = b.rsplit(":", 1)[1]
    subprocess.run(["bash", "deploy/cluster.sh", "stop-web", port], cwd=ROOT, check=True)
    try:
        worker.join(timeout=300)
        assert done.is_set()
    finally:
        subprocess.run(["bash", "deploy/cluster.sh", "start-web", port], cwd=ROOT, check=True)

    stored = set(
        json.loads(
            manage_shell(
                "import json; from blog.models import Post;"
                f"print(json.dumps(list(Post.objects.filter(course__slug='{course}')"
                ".values_list('title', flat=True))))"
            )
        )
    )
    assert acknowledged, "no write was acknowledged"
    assert set(acknowledged) <= stored  # every acknowledged write is there
    assert reads.count(200) == len(reads)  # nginx retried reads on the other server
    assert len(acknowledged) >= 25, (len(acknowledged), failed_writes)


def set_database_open(env, open_):
    """Refuse (or allow again) new connections to the cluster's database and drop the
    open ones: for the app servers, the same as a PostgreSQL restart in progress, without
    touching the server other databases live on."""
    import psycopg

    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(open_).lower()}')
        if not open_:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )


def test_database_outage_gives_503_with_retry_after_on_every_server(cluster):
    env = cluster_env()
    bases = [*cluster["web"], cluster["nginx"]]
    set_database_open(env, False)
    try:
        for base in bases:
            response = requests.get(f"{base}/c/{cluster['course']}/", timeout=30)
            assert response.status_code == 503, (base, response.status_code)
            assert response.headers["Retry-After"] == "30"
            assert "Back in a moment" in response.text
            ready = requests.get(f"{base}/readyz", timeout=30)
            assert (ready.status_code, ready.text) == (503, "unavailable: database\n")
    finally:
        set_database_open(env, True)
    for base in bases:  # back at once: stale connections are checked before use
        assert requests.get(f"{base}/c/{cluster['course']}/", timeout=30).status_code == 200
