"""Through the local cluster (make cluster), what issue 28 found behind the proxy and
under faults: per-client rate limits behind nginx, unknown Host headers, nginx's 413
page and the import limit, the drained rolling restart, and the task worker riding
out a database restart. Runs when CLUSTER_E2E=1, like test_through_nginx."""

import json
import random
import subprocess
import threading
import time
import uuid

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.cluster.test_through_nginx import (
    PASSWORD,
    ROOT,
    cluster,  # noqa: F401 (the module's fixture)
    cluster_env,
    manage_shell,
    post_form,
    set_database_open,
)

pytestmark = pytest.mark.skipif(
    __import__("os").environ.get("CLUSTER_E2E") != "1",
    reason="needs the local cluster (CLUSTER_E2E=1)",
)
CSRF = "c" * 32  # a CSRF cookie of our own choosing: Django accepts any well-formed one


class FromAddress(HTTPAdapter):
    """Connects from a given loopback address, so nginx's $remote_addr (and the
    X-Forwarded-For it writes) tells this client from others on the same machine."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(address):
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session


def random_loopback():
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


def test_failed_sign_ins_from_one_client_do_not_lock_out_another(cluster):  # noqa: F811
    nginx = cluster["nginx"]
    attacker, reader = client_from(random_loopback()), client_from(random_loopback())
    attacker.get(f"{nginx}/accounts/login/", timeout=30)
    answers = [
        post_form(
            attacker, f"{nginx}/accounts/login/", {"login": f"nobody{n}", "password": "wrong"}
        ).status_code
        for n in range(10)
    ]
    assert answers == [200] * 10
    refused = post_form(attacker, f"{nginx}/accounts/login/", {"login": "x", "password": "y"})
    assert refused.status_code == 429  # ten a minute from that client

    reader.get(f"{nginx}/accounts/login/", timeout=30)
    signed_in = post_form(
        reader, f"{nginx}/accounts/login/", {"login": cluster["user"], "password": PASSWORD}
    )
    assert signed_in.status_code == 302, signed_in.text[:300]


def new_post(names, title):
    """A published post in the cluster's course (`names`: the cluster fixture); its path."""
    return manage_shell(
        "from accounts.models import User; from blog.models import Course, Post;"
        f"u = User.objects.get(username='{names['user']}');"
        f"c = Course.objects.get(slug='{names['course']}');"
        f"p = Post.objects.create(course=c, author=u, title='{title}', body='Words',"
        " status='published');"
        "from django.utils import timezone; p.published_at = timezone.now(); p.save();"
        "print(p.get_absolute_url())"
    )


def test_an_unknown_host_never_gets_a_page_nor_poisons_one(cluster):  # noqa: F811
    nginx = cluster["nginx"]
    path = new_post(cluster, f"Host check {uuid.uuid4().hex[:6]}")
    for host in ("127.0.0.1:6666", "evil.example", "evil.example:8080"):
        with pytest.raises(requests.ConnectionError):  # 444: closed without an answer
            requests.get(f"{nginx}{path}", headers={"Host": host}, timeout=10)
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{nginx}/", headers={"Host": host}, timeout=10)

    member = requests.Session()
    member.get(f"{nginx}/accounts/login/", timeout=30)
    login = {"login": cluster["user"], "password": PASSWORD}
    assert post_form(member, f"{nginx}/accounts/login/", login).status_code == 302
    for session in (requests.Session(), requests.Session(), member, member):  # misses, hits
        for url in (f"{nginx}{path}", f"{nginx}/"):
            html = session.get(url, timeout=30).text
            # the forged host, not the bare port: a random hex name in the page may hold "6666"
            assert ":6666" not in html and "evil.example" not in html
    assert f'href="{nginx}{path}"' in requests.get(f"{nginx}{path}", timeout=30).text


def test_too_large_a_request_gets_nginx_s_page_with_the_limits(cluster):  # noqa: F811
    nginx = cluster["nginx"]
    body = b"x" * (13 * 1024 * 1024)  # over the 12 MB of an ordinary form
    response = requests.post(
        f"{nginx}/accounts/login/",
        files={"avatar": ("big.jpg", body, "image/jpeg")},
        timeout=60,
    )
    assert response.status_code == 413
    assert "text/html" in response.headers["Content-Type"]
    assert "That file is too large" in response.text
    assert "up to 100 MB" in response.text and "up to 1 GB" in response.text

    # The importer's form takes the export and its zip: the same size reaches the app,
    # which answers for itself (sign in first), not nginx's 413.
    imported = requests.post(
        f"{nginx}/c/{cluster['course']}/manage/import/",
        files={"export": ("big.xml", body, "text/xml")},
        allow_redirects=False,
        timeout=60,
    )
    assert imported.status_code != 413


def member_sessions(names, count):
    """Signed-in sessions (their cookies' values) for `count` new members of the course."""
    tag = uuid.uuid4().hex[:6]
    return json.loads(
        manage_shell(
            "import json; from django.conf import settings;"
            "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY;"
            "from importlib import import_module; from accounts.models import User;"
            "from blog.models import Course, Membership;"
            f"c = Course.objects.get(slug='{names['course']}'); keys = [];"
            f"users = [User.objects.create_user('r{tag}' + str(n), 'r{tag}' + str(n) + '@x.edu')"
            f" for n in range({count})];"
            "Membership.objects.bulk_create([Membership(course=c, user=u, role='student')"
            " for u in users]);\n"
            "backend = settings.AUTHENTICATION_BACKENDS[0];\n"
            "for u in users:\n"
            "    s = import_module(settings.SESSION_ENGINE).SessionStore();"
            " s[SESSION_KEY] = str(u.pk); s[BACKEND_SESSION_KEY] = backend;"
            " s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create();"
            " keys.append(s.session_key)\n"
            "print(json.dumps(keys))"
        )
    )


def test_the_documented_rolling_restart_loses_no_request(cluster):  # noqa: F811
    nginx = cluster["nginx"]
    path = new_post(cluster, f"Restart {uuid.uuid4().hex[:6]}")
    sessions = member_sessions(cluster, 80)
    answers, acknowledged, failures = [], [], []
    stop = threading.Event()
    # One connection per request: a kept-alive connection that nginx closes on reload
    # just as a client sends on it is the client's to retry (browsers do); here we
    # count what nginx and the app servers answer.
    close = {"Connection": "close"}

    def writer():
        last_used = {}
        n = 0
        while not stop.is_set():
            key = sessions[n % len(sessions)]
            wait = last_used.get(key, 0) + 16 - time.monotonic()  # the comment flood limit
            if wait > 0 and stop.wait(wait):
                break
            body = f"Restart comment {n} {uuid.uuid4().hex[:8]}"
            try:
                response = requests.post(
                    f"{nginx}{path}comments/",
                    data={"csrfmiddlewaretoken": CSRF, "body": body},
                    cookies={"sessionid": key, "csrftoken": CSRF},
                    headers={"Referer": f"{nginx}{path}", **close},
                    allow_redirects=False,
                    timeout=30,
                )
            except requests.RequestException as error:
                failures.append(("POST", repr(error)))
            else:
                answers.append(("POST", response.status_code))
                if response.status_code == 302:
                    acknowledged.append(body)
            last_used[key] = time.monotonic()
            n += 1

    def reader():
        while not stop.is_set():
            for url in (f"{nginx}{path}", f"{nginx}/c/{cluster['course']}/", f"{nginx}/"):
                try:
                    status = requests.get(url, headers=close, timeout=30).status_code
                except requests.RequestException as error:
                    failures.append(("GET", repr(error)))
                else:
                    answers.append(("GET", status))

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        port = cluster_env()["CLUSTER_WEB_PORTS"].split(",")[-1]
        subprocess.run(
            ["bash", "deploy/cluster.sh", "restart-web", port],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=120,
        )
        time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    assert not failures, failures[:5]
    bad = [answer for answer in answers if not 200 <= answer[1] < 400]
    assert not bad, bad[:5]
    assert len([a for a in answers if a[0] == "POST"]) >= 20
    stored = set(
        json.loads(
            manage_shell(
                "import json; from comments.models import Comment;"
                "print(json.dumps(list(Comment.objects.filter(body__startswith='Restart comment')"
                ".values_list('body', flat=True))))"
            )
        )
    )
    assert set(acknowledged) <= stored


def queue_task(subject):
    return manage_shell(
        "from django.core.mail import EmailMessage; from config.mail import message_values,"
        " send_email;"
        f"r = send_email.enqueue(message=message_values(EmailMessage('{subject}', 'x',"
        " to=['a@b.c']))); print(r.id)"
    )


def task_done(task_id, seconds=60):
    """Whether the worker runs the task within `seconds` (asked in one shell)."""
    return (
        manage_shell(
            "import time; from django_tasks_db.models import DBTaskResult;"
            f"deadline = time.monotonic() + {seconds};"
            f"done = lambda: DBTaskResult.objects.get(id='{task_id}').status == 'SUCCESSFUL'\n"
            "while not done() and time.monotonic() < deadline: time.sleep(0.2)\n"
            "print(done())"
        )
        == "True"
    )


def test_the_task_worker_rides_out_a_database_restart_and_is_supervised(cluster):  # noqa: F811
    worker = ROOT / ".cluster" / "run" / "worker-child.pid"
    before = worker.read_text().strip()
    assert task_done(queue_task("Before"))

    env = cluster_env()
    set_database_open(env, False)  # what a PostgreSQL restart looks like to the worker
    time.sleep(3)
    set_database_open(env, True)
    assert task_done(queue_task("After the restart"))
    assert worker.read_text().strip() == before  # the same process: it reconnected

    subprocess.run(["kill", "-KILL", before], check=True)  # a crash: the loop restarts it
    assert task_done(queue_task("After a crash"))
    assert worker.read_text().strip() != before
