import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assignments import services as assignment_services
from assignments.models import Feedback, Grade
from blog.models import Post, PostLike
from comments.models import Comment, CommentLike
from privacy import services
from privacy.export import write_export
from privacy.models import DataExport
from privacy.tasks import build_export
from references.models import Reference
from tests import factories

SITE_LINK = re.compile(r"https?://[^\"'\s)]*")


def built(person, by=None):
    export = services.request_export(user=person.user, by=by or person.user)
    build_export.call(export.pk)
    export.refresh_from_db()
    return export


def opened(export):
    with export.file.open("rb") as file:
        return zipfile.ZipFile(io.BytesIO(file.read()))


def test_export_holds_every_row_of_the_person(person, graded):
    export = built(person)
    assert export.status == "ready"
    archive = opened(export)
    manifest = json.loads(archive.read("manifest.json"))
    user = person.user

    assert {p["id"] for p in manifest["posts"]} == set(
        Post.objects.filter(author=user).values_list("pk", flat=True)
    )
    for entry in manifest["posts"]:
        post = Post.objects.get(pk=entry["id"])
        assert entry["title"] == post.title and entry["status"] == post.status
        assert post.body.split("](")[0] in archive.read(entry["markdown"]).decode()
        assert post.title in archive.read(entry["html"]).decode()
    assert {c["id"]: c["body"] for c in manifest["comments"]} == dict(
        Comment.objects.filter(author=user).values_list("pk", "body")
    )
    assert {like["id"] for like in manifest["likes"]["posts"]} == set(
        PostLike.objects.filter(user=user).values_list("pk", flat=True)
    )
    assert {like["id"] for like in manifest["likes"]["comments"]} == set(
        CommentLike.objects.filter(user=user).values_list("pk", flat=True)
    )
    assert {f["id"]: f["body"] for f in manifest["feedback"]} == dict(
        Feedback.objects.filter(post__author=user).values_list("pk", "body")
    )
    grades = Grade.objects.filter(submission__student=user)
    assert [(g["id"], g["points"]) for g in manifest["grades"]] == [
        (g.pk, str(g.points)) for g in grades
    ]
    assert {r["id"] for r in manifest["references"]} == set(
        Reference.objects.filter(post__author=user).values_list("pk", flat=True)
    )
    assert manifest["notification_settings"]["email_comment_on_post"] is False
    assert manifest["profile"]["email"] == user.email
    assert {a["email"] for a in manifest["profile"]["email_addresses"]} == set(
        user.emailaddress_set.values_list("email", flat=True)
    )


def test_export_holds_every_image_original_and_renditions(person):
    archive = opened(built(person))
    manifest = json.loads(archive.read("manifest.json"))
    names = set(archive.namelist())
    for entry in manifest["posts"]:
        post = Post.objects.get(pk=entry["id"])
        stored = ([post.image.name] if post.image else []) + [
            r["name"] for r in post.image_renditions
        ]
        paths = [i["path"] for i in entry["images"] if i["role"] in ("original", "rendition")]
        assert len(paths) == len(stored) and all(p in names for p in paths)
        if stored:  # the stored original, byte for byte
            with post.image.storage.open(stored[0]) as original:
                assert archive.read(paths[0]) == original.read()
    body_images = [i for e in manifest["posts"] for i in e["images"] if i["role"] == "body"]
    assert len(body_images) == 2
    assert manifest["profile"]["avatar"] in names


def test_export_links_are_relative_and_resolve_inside_the_zip(person, graded):
    archive = opened(built(person))
    names = set(archive.namelist())
    for name in names:
        if not name.endswith(".html"):
            continue
        text = archive.read(name).decode()
        for link in re.findall(r'(?:href|src)="([^"]+)"', text):
            assert not link.startswith("/"), (name, link)
            if SITE_LINK.match(link):
                continue  # an outside page (someone else's post), not an item of the zip
            target = zipfile.Path(archive, at=name).parent.joinpath(link)
            resolved = "/".join(p for p in str(target.at).split("/") if p)
            assert re.sub(r"[^/]+/\.\./", "", resolved) in names, (name, link)
    manifest = json.loads(archive.read("manifest.json"))
    own_posts = {p["id"] for p in manifest["posts"]}
    for comment in manifest["comments"]:
        if comment["post"]["id"] in own_posts:
            assert comment["post"]["path"] in names and "url" not in comment["post"]
        else:
            assert comment["post"]["title"]
    assert all(path in names for path in manifest["files"])


def test_export_zip_opens_with_the_standard_library_and_tests_clean(person, tmp_path):
    target = tmp_path / "my-data.zip"
    write_export(person.user, target)
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert "index.html" in archive.namelist()


def test_person_gets_an_email_with_the_link_when_it_is_ready(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        built(person)
    (message,) = [m for m in mail.outbox if person.user.email in m.to]
    assert reverse("privacy:data_export") in message.body
    assert ".zip" not in message.body  # the page, never the file


def test_download_works_for_its_owner_only_until_it_expires(client, person, outsider, staff):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        export = built(person)
    url = reverse("privacy:data_export_download", args=[export.pk])
    for other in (outsider, staff):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(person.user)
    with time_machine.travel(now + timedelta(days=7) - timedelta(seconds=1), tick=False):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    with time_machine.travel(now + timedelta(days=7, seconds=1), tick=False):
        assert client.get(url).status_code == 404


def test_export_file_is_never_a_public_media_address(client, person):
    export = built(person)
    assert export.file.name.startswith("exports/")
    assert client.get(reverse("media_file", args=[export.file.name])).status_code == 404


ACCOUNT_PAGES = (
    "accounts:profile_edit",
    "account_email",
    "account_change_password",
    "socialaccount_connections",
    "notifications:preferences",
    "privacy:data_export",
    "privacy:account_delete",
)


@pytest.mark.parametrize("who", ["student", "instructor", "staff", "no password"])
def test_every_account_page_offers_download_my_data(client, course, who):
    user = factories.UserFactory(is_staff=who == "staff")
    if who in ("student", "instructor"):
        factories.MembershipFactory(course=course, user=user, role=who)
    if who == "no password":  # signed up through a connected account
        user.set_unusable_password()
        user.save()
    client.force_login(user)
    for page in ACCOUNT_PAGES:
        response = client.get(reverse(page), follow=True)
        assert response.status_code == 200, page
        content = response.content.decode()
        link = f'href="{reverse("privacy:data_export")}">Download my data</a>'
        assert link in content, page


def test_asking_from_the_page_queues_an_export_logged_as_by_the_person(client, user):
    client.force_login(user)
    response = client.post(reverse("privacy:data_export"))
    assert response.status_code == 302
    export = DataExport.objects.get()
    assert export.user == user and export.requested_by == user and not export.by_staff


def test_anonymous_is_sent_to_sign_in(client):
    for name in ("privacy:data_export", "privacy:account_delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("exports", [1, 6])
def test_data_export_page_query_budget(client, user, exports, django_assert_max_num_queries):
    for _ in range(exports):
        DataExport.objects.create(
            user=user,
            requested_by=user,
            status="ready",
            file="exports/x.zip",
            expires=timezone.now() + timedelta(days=1),
        )
    client.force_login(user)
    client.get(reverse("privacy:data_export"))
    with django_assert_max_num_queries(4):
        response = client.get(reverse("privacy:data_export"))
    assert response.content.decode().count("Download the zip") == exports


def test_staff_runs_a_subject_access_request_from_the_admin_and_it_is_logged(client, staff, person):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "export_data", "_selected_action": [person.user.pk]},
    )
    assert response.status_code == 302
    export = DataExport.objects.get(user=person.user)
    assert export.requested_by == staff and export.by_staff
    log = client.get(reverse("admin:privacy_dataexport_changelist")).content.decode()
    assert staff.name in log


def test_a_student_cannot_use_the_admin_action(client, person, user):
    client.force_login(user)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "export_data", "_selected_action": [person.user.pk]},
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert not DataExport.objects.exists()


def test_asking_again_while_one_is_being_built_queues_nothing(client, user):
    client.force_login(user)
    client.post(reverse("privacy:data_export"))
    client.post(reverse("privacy:data_export"))
    assert DataExport.objects.count() == 1


def test_expired_export_files_are_deleted_and_the_log_stays(person):
    export = built(person)
    name = export.file.name
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        call_command("clear_expired_exports", stdout=io.StringIO())
    export.refresh_from_db()
    assert export.file.name == "" and not default_storage.exists(name)
    assert export.requested_by == person.user


def test_asking_on_the_page_builds_the_zip_and_links_it_there(
    client, person, django_capture_on_commit_callbacks
):
    client.force_login(person.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:data_export"))
    export = DataExport.objects.get()
    assert export.status == "ready"
    page = client.get(reverse("privacy:data_export")).content.decode()
    assert reverse("privacy:data_export_download", args=[export.pk]) in page
    assert [m for m in mail.outbox if person.user.email in m.to]


def lms_rows(user, course, number):
    """A platform identity, a roster row and a grade sent, as an LMS launch leaves them."""
    from lti.models import Context, Identity, LineItem, Platform, RosterEntry, ScoreSend

    platform = Platform.objects.create(
        name=f"LMS {number}",
        issuer=f"https://lms{number}.example.edu",
        client_id="c",
        auth_url="https://lms.example.edu/auth",
        token_url="https://lms.example.edu/token",
        jwks_url="https://lms.example.edu/jwks",
    )
    Identity.objects.create(platform=platform, sub=f"sub-{number}", user=user)
    context = Context.objects.create(
        platform=platform, context_id=f"ctx-{number}", title="Writing 101", course=course
    )
    RosterEntry.objects.create(context=context, user=user, role="student")
    now = timezone.now()
    assignment = assignment_services.create_assignment(
        course=course, title=f"Essay {number}", prompt="Write.",
        opens_at=now - timedelta(days=1), due_at=now + timedelta(days=1), points=10,
    )  # fmt: skip
    line_item = LineItem.objects.create(
        assignment=assignment, context=context, url=f"https://lms{number}.example.edu/li/1"
    )
    ScoreSend.objects.create(line_item=line_item, user=user, status="failed", reason="HTTP 503")
    return platform


def test_export_holds_the_persons_lms_identities_rosters_and_grade_sends(person, tmp_path):
    lms_rows(person.user, person.keep_course, 1)
    manifest = write_export(person.user, tmp_path / "data.zip")
    archive = zipfile.ZipFile(tmp_path / "data.zip")
    lms = json.loads(archive.read("lms.json"))
    assert lms == manifest["lms"]
    assert [(i["issuer"], i["sub"]) for i in lms["identities"]] == [
        ("https://lms1.example.edu", "sub-1")
    ]
    assert [(r["lms_course"], r["role"], r["active"]) for r in lms["rosters"]] == [
        ("Writing 101", "student", True)
    ]
    assert [(g["assignment"], g["status"], g["reason"]) for g in lms["grade_sends"]] == [
        ("Essay 1", "failed", "HTTP 503")
    ]
    assert 'href="lms.json"' in archive.read("index.html").decode()


def test_export_holds_no_one_elses_lms_rows(person, user, tmp_path):
    lms_rows(user, person.keep_course, 1)
    manifest = write_export(person.user, tmp_path / "data.zip")
    assert manifest["lms"] == {"identities": [], "rosters": [], "grade_sends": []}


@pytest.mark.parametrize("posts", [1, 8])
def test_building_the_zip_costs_a_fixed_number_of_queries(
    user, course, posts, tmp_path, django_assert_max_num_queries
):
    factories.MembershipFactory(course=course, user=user)
    for number in range(posts):
        post = factories.PostFactory(course=course, author=user)
        factories.CommentFactory(post=post, author=user)
        factories.PostLikeFactory(post=post, user=user)
        Reference.objects.create(post=post, key="k", title="A book")
        lms_rows(user, course, number)
    # 13 before the LMS links; lms.json costs three (identities, rosters, grade sends)
    with django_assert_max_num_queries(16):
        manifest = write_export(user, tmp_path / "data.zip")
    assert len(manifest["posts"]) == posts and len(manifest["comments"]) == posts


def test_export_opens_on_another_machine_every_link_resolving_on_disk(person, graded, tmp_path):
    """Unzipped somewhere else (no site, no database): every link of every page and
    Markdown file, and every path the manifest names, is a file of the folder."""
    archive = opened(built(person))
    elsewhere = tmp_path / "another-machine"
    archive.extractall(elsewhere)
    links = 0
    for page in [*elsewhere.rglob("*.html"), *elsewhere.rglob("*.md")]:
        text = page.read_text()
        found = re.findall(r'(?:href|src)="([^"]+)"', text) + re.findall(r"\]\(([^)\s]+)", text)
        for link in found:
            if SITE_LINK.match(link):
                continue  # someone else's post, on the site
            assert not link.startswith("/"), (page, link)
            assert (page.parent / link).resolve().is_file(), (page, link)
            links += 1
    manifest = json.loads((elsewhere / "manifest.json").read_text())
    paths = [*manifest["files"], manifest["profile"]["avatar"]]
    for entry in manifest["posts"]:
        paths += [entry["markdown"], entry["html"], *(i["path"] for i in entry["images"])]
    assert all((elsewhere / path).is_file() for path in paths)
    assert links > 10 and len(paths) > 20
