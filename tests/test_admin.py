"""The Django admin: every registered model's pages open, lists cost a fixed number of
queries, and the post and comment actions work."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import AnnouncementSeen, BodyImage, Embed, Invitation, Post
from comments.models import Comment
from config.admin import GROUPS as ADMIN_GROUPS
from notifications.models import GuestSubscription, Notification, NotificationPreference
from privacy.models import DataExport, Erasure
from tests import factories

OUR_APPS = {"accounts", "blog", "comments", "awards", "notifications"}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def one_of_everything(course, instructor, student, post, staff):
    """At least one row of every model of ours in the admin, and of allauth's."""
    parent = factories.CommentFactory(post=post, author=student)
    reply = factories.CommentFactory(post=post, author=instructor, parent=parent)
    factories.CommentLikeFactory(comment=reply, user=student)
    factories.PostLikeFactory(post=post, user=instructor)
    factories.TopicFactory(course=course)
    invitation = Invitation(course=course, email="new@example.edu", expires_at=timezone.now())
    invitation.new_token()
    invitation.save()
    factories.AwardGrantFactory(award=factories.AwardFactory(course=course), post=post)
    BodyImage.objects.create(
        course=course,
        uploaded_by=student,
        renditions=[{"name": "posts/body/x.webp", "width": 800, "height": 600}],
    )
    AnnouncementSeen.objects.create(post=post, user=student)
    Embed.objects.create(
        course=course,
        url="https://youtu.be/dQw4w9WgXcQ",
        provider="youtube",
        player_url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        title="A video",
    )
    Notification.objects.create(
        recipient=student, kind="reply_to_comment", post=post, comment=reply, actor_name="Prof"
    )
    NotificationPreference.objects.create(user=student)
    GuestSubscription.objects.create(
        email="guest@example.org", post=post, root=parent, comment=reply
    )
    EmailAddress.objects.create(user=student, email=student.email, verified=True, primary=True)
    app = SocialApp.objects.create(provider="facebook", name="Facebook", client_id="id")
    account = SocialAccount.objects.create(user=student, provider="facebook", uid="12345")
    SocialToken.objects.create(app=app, account=account, token="token")
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="example-u",
        name="Example University",
        client_id="cp",
        settings={"server_url": "https://login.example.edu"},
    )  # an institution (accounts.Institution)
    DataExport.objects.create(user=student, requested_by=staff)
    Erasure.objects.create(user_number=12345, by=staff, summary={"posts_kept": 1})


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_the_admin_is_titled(admin_client):
    assert "Commonplace administration" in admin_client.get(reverse("admin:index")).content.decode()


GROUPS = [
    ("Courses and people", ["Courses", "Memberships", "Invitations", "Topics", "Users", "Groups"]),
    (
        "Writing",
        [
            "Posts", "Course pages", "Comments", "Body images", "Embeds", "Post likes",
            "Comment likes", "Opened announcements",
        ],
    ),
    (
        "Coursework",
        [
            "Assignments", "Rubric criteria", "Submissions", "Post snapshots", "Extensions",
            "Feedback", "Grades",
        ],
    ),
    ("Recognition", ["Awards", "Award grants", "Credentials", "Signing keys"]),
    (
        "Mail and notifications",
        ["Notifications", "Notification preferences", "Guest subscriptions", "Task Results"],
    ),
    ("WordPress imports", ["Import runs", "Old links", "Placeholders"]),
    ("Privacy requests", ["Data exports", "Erasures"]),
    ("LMS connections", ["Platforms", "Contexts", "Identities", "Tool keys"]),
    (
        "Sign-in and the site",
        [
            "Institutions (single sign-on)", "Email addresses", "Social accounts",
            "Social applications", "Social application tokens", "Sites",
        ],
    ),
]  # fmt: skip


def groups_in(response, key="app_list"):
    return [(g["name"], [m["name"] for m in g["models"]]) for g in response.context[key]]


def test_the_admin_index_groups_models_by_the_jobs_of_the_people_using_it(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert groups_in(response) == GROUPS
    html = response.content.decode()
    captions = re.findall(r'<caption>\s*<span class="section">([^<]*)</span>', html)
    assert captions == [name for name, _ in GROUPS]


def test_every_registered_model_is_in_a_group():
    grouped = {label for _, labels in ADMIN_GROUPS for label in labels}
    assert {model._meta.label for model in REGISTERED} <= grouped


def test_the_sidebar_shows_the_same_groups_and_marks_the_current_one(admin_client):
    response = admin_client.get(admin_url(Comment, "changelist"))
    assert groups_in(response, "available_apps") == GROUPS
    html = response.content.decode()
    assert re.search(r'class="app-writing module current-app"', html)
    assert html.count("current-app") == 1


def test_a_staff_member_sees_only_the_models_they_may_view(client, db):
    from django.contrib.auth.models import Permission

    editor = factories.UserFactory(is_staff=True, username="editor")
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["view_post", "change_comment", "view_award"])
    )
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    assert groups_in(response) == [("Writing", ["Posts", "Comments"]), ("Recognition", ["Awards"])]
    assert client.get(admin_url(Post, "changelist")).status_code == 200
    assert client.get(admin_url(Comment, "changelist")).status_code == 200
    assert client.get(admin_url(BodyImage, "changelist")).status_code == 403
    assert client.get(reverse("admin:app_list", args=["assignments"])).status_code == 404


@pytest.mark.parametrize("app_label", sorted({model._meta.app_label for model in REGISTERED}))
def test_each_apps_own_index_page_still_lists_that_app(admin_client, app_label):
    response = admin_client.get(reverse("admin:app_list", args=[app_label]))
    assert response.status_code == 200
    [app] = response.context["app_list"]
    assert app["app_label"] == app_label
    models = {model._meta.model_name for model in REGISTERED if model._meta.app_label == app_label}
    assert {m["object_name"].lower() for m in app["models"]} == models
    # its own caption links to its page; the sidebar still shows the groups
    assert f'href="{app["app_url"]}" class="section"' in response.content.decode()
    assert [g["name"] for g in response.context["available_apps"]] == [n for n, _ in GROUPS]


@pytest.mark.parametrize(
    "names, welcome",
    [
        (("Site", "Admin", ""), "Site Admin"),
        (("Helen", "", "Dr Helen Marsh"), "Dr Helen Marsh"),
        (("", "", ""), "staffer"),
    ],
)
def test_the_admin_greets_people_by_the_name_shown_everywhere(client, staff, names, welcome):
    staff.first_name, staff.last_name, staff.display_name = names
    staff.save()
    client.force_login(staff)
    html = client.get(reverse("admin:index")).content.decode()
    assert re.search(r"Welcome,\s*<strong>([^<]*)</strong>", html).group(1) == welcome


def test_every_model_of_ours_is_registered():
    from django.apps import apps

    ours = [m for m in apps.get_models() if m._meta.app_label in OUR_APPS]
    missing = [m._meta.label for m in ours if not admin.site.is_registered(m)]
    assert missing == []


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_admin_page_opens_for_a_superuser(admin_client, staff, one_of_everything, model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = staff
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    searchable = admin_client.get(admin_url(model, "changelist"), {"q": "a"})
    assert searchable.status_code == 200
    if model_admin.has_add_permission(request):
        assert admin_client.get(admin_url(model, "add")).status_code == 200
    obj = model._default_manager.first()
    if model._meta.app_label in OUR_APPS or model._meta.app_label in {"account", "socialaccount"}:
        assert obj is not None, f"one_of_everything makes no {model._meta.label}"
    if obj is not None:
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


# --- Query budgets: a list of 100 rows costs what a list of 5 costs ---


def make_rows(course):
    """Row makers per model; each row gets its own related rows, so N+1 would show."""
    award = factories.AwardFactory(course=course)

    def comment():
        parent = factories.CommentFactory(post__course=course)
        return factories.CommentFactory(post=parent.post, parent=parent)

    return {
        "blog.Post": lambda: factories.PostLikeFactory(post__course=course).post,
        "blog.Course": lambda: factories.MembershipFactory().course,
        "blog.Membership": lambda: factories.MembershipFactory(course=course),
        "blog.Topic": lambda: factories.TopicFactory(),
        "blog.PostLike": lambda: factories.PostLikeFactory(post__course=course),
        "comments.Comment": comment,
        "comments.CommentLike": lambda: factories.CommentLikeFactory(comment__post__course=course),
        "awards.Award": lambda: factories.AwardGrantFactory().award,
        "awards.AwardGrant": lambda: factories.AwardGrantFactory(award=award),
        "accounts.User": lambda: factories.MembershipFactory().user,
    }


@pytest.mark.parametrize(
    "label",
    [
        "blog.Post",
        "blog.Course",
        "blog.Membership",
        "blog.Topic",
        "blog.PostLike",
        "comments.Comment",
        "comments.CommentLike",
        "awards.Award",
        "awards.AwardGrant",
        "accounts.User",
    ],
)
def test_changelist_queries_do_not_grow_with_rows(admin_client, course, label):
    from django.apps import apps

    model = apps.get_model(label)
    make = make_rows(course)[label]
    counts = []
    for total in (5, 100):
        while model._default_manager.count() < total:
            make()
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == min(model._default_manager.count(), 100)
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{label}: {counts[0]} queries for 5 rows, {counts[1]} for 100"
    assert counts[1] <= 14


# --- Columns and actions ---


def test_post_list_shows_comment_and_like_counts(admin_client, post, student, instructor):
    factories.CommentFactory(post=post, author=student)
    factories.CommentFactory(post=post, author=student, status="spam")
    factories.PostLikeFactory(post=post, user=student)
    factories.PostLikeFactory(post=post, user=instructor)
    response = admin_client.get(admin_url(Post, "changelist"))
    content = response.content.decode()
    assert '<td class="field-comment_count">1</td>' in content
    assert '<td class="field-like_count">2</td>' in content


def test_post_change_page_has_its_awards_inline(admin_client, post):
    grant = factories.AwardGrantFactory(
        award=factories.AwardFactory(course=post.course), post=post, citation="Fine work."
    )
    content = admin_client.get(admin_url(Post, "change", post.pk)).content.decode()
    assert 'id="award_grants-group"' in content
    assert "Fine work." in content
    assert f'value="{grant.pk}"' in content


def test_an_award_granted_inline_on_a_post_is_saved_and_announced(
    admin_client, post, staff, django_capture_on_commit_callbacks
):
    award = factories.AwardFactory(course=post.course)
    data = {
        "course": post.course.pk,
        "author": post.author.pk,
        "title": post.title,
        "slug": post.slug,
        "status": "published",
        "published_at_0": "2027-03-01",
        "published_at_1": "10:00:00",
        "body": post.body,
        "award_grants-TOTAL_FORMS": "1",
        "award_grants-INITIAL_FORMS": "0",
        "award_grants-0-award": award.pk,
        "award_grants-0-citation": "Given in the admin.",
        "award_grants-0-granted_at_0": "2027-03-02",
        "award_grants-0-granted_at_1": "09:00:00",
    }
    response = admin_client.post(admin_url(Post, "change", post.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    grant = post.award_grants.get()
    assert (grant.award, grant.granted_by, grant.citation) == (award, staff, "Given in the admin.")


def test_comment_list_shows_post_and_thread_parent(admin_client, post, student):
    parent = factories.CommentFactory(post=post, author=student)
    factories.CommentFactory(post=post, author=None, guest_name="Vera", parent=parent)
    content = admin_client.get(admin_url(Comment, "changelist")).content.decode()
    parent_url = admin_url(Comment, "change", parent.pk)
    assert f'<a href="{parent_url}">#{parent.pk} by {student.name}</a>' in content
    assert post.title in content


def test_comment_list_is_one_short_line_per_comment(admin_client, post, student):
    long_body = "Words upon words about the thaw. " * 40
    factories.CommentFactory(post=post, author=student, body=long_body)
    factories.CommentFactory(post=post, author=None, guest_name="Vera", body="Short.")
    content = admin_client.get(admin_url(Comment, "changelist")).content.decode()
    assert long_body.strip() not in content
    assert "Words upon words about the thaw. Words upon words about the…" in content
    assert f'<td class="field-who">{student.name}</td>' in content
    assert '<td class="field-who">Vera (guest)</td>' in content
    assert f'<td class="field-post_title">{post.title}</td>' in content
    cells = re.findall(r'<th class="field-excerpt"><a [^>]*>([^<]*)</a></th>', content)
    assert sorted(cells) == [
        "Short.",
        "Words upon words about the thaw. Words upon words about the…",
    ]


@pytest.mark.parametrize(
    "action, status", [("approve", "approved"), ("mark_spam", "spam"), ("remove", "removed")]
)
def test_comment_actions(admin_client, post, action, status):
    comments = [
        factories.CommentFactory(post=post, author=None, guest_name="G", status="pending")
        for _ in range(2)
    ]
    data = {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in comments]}
    response = admin_client.post(admin_url(Comment, "changelist"), data)
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {status}


def test_post_actions_publish_and_unpublish(admin_client, course, student):
    draft = factories.PostFactory(course=course, author=student, status="draft", published_at=None)
    live = factories.PostFactory(course=course, author=student)
    url = admin_url(Post, "changelist")
    admin_client.post(url, {"action": "publish", ACTION_CHECKBOX_NAME: [draft.pk]})
    admin_client.post(url, {"action": "unpublish", ACTION_CHECKBOX_NAME: [live.pk]})
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.is_published and draft.published_at is not None
    assert not live.is_published


def test_grant_action_is_still_on_the_post_list(admin_client, post):
    content = admin_client.get(admin_url(Post, "changelist")).content.decode()
    for action in ("publish", "unpublish", "grant_award"):
        assert f'<option value="{action}">' in content


def test_course_admin_has_memberships_inline(admin_client, course, instructor):
    content = admin_client.get(admin_url(type(course), "change", course.pk)).content.decode()
    assert 'id="memberships-group"' in content
