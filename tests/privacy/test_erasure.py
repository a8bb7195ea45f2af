import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse

from assignments.models import CalendarFeed, Feedback, Grade, Submission
from blog.models import Course, Post, PostLike
from comments.models import Comment, CommentLike
from imports.models import Placeholder
from notifications.models import GuestSubscription, Notification, NotificationPreference
from privacy import services
from privacy.models import Erasure
from tests import factories
from tests.privacy.conftest import EMAIL, NAME, USERNAME
from tests.storage.conftest import bucket  # noqa: F401 (the S3 test server's fixture)

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def occurrences(*words):
    """Every row of every table whose text, char or JSON column holds one of words."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            for word in words:
                lookup = (
                    {f"{field.name}__icontains": word}
                    if not isinstance(field, models.JSONField)
                    else None
                )
                if lookup is None:  # JSON: compare the stored text
                    rows = model.objects.exclude(**{f"{field.name}__isnull": True})
                    hits = [
                        row.pk
                        for row in rows.only("pk", field.name)
                        if word.lower() in str(getattr(row, field.attname)).lower()
                    ]
                else:
                    hits = list(model.objects.filter(**lookup).values_list("pk", flat=True))
                found += [(model._meta.label, field.name, word, pk) for pk in hits]
    return found


PERSON_WORDS = (*NAME, USERNAME, EMAIL, "zq.second@mail.example")


def thread_shape():
    """{comment id: parent id} of every comment on a post that stays."""
    return dict(Comment.objects.values_list("pk", "parent_id"))


def erase(person, by, capture):
    with capture(execute=True):
        return services.erase_person(user=person.user, by=by)


def test_before_erasure_the_scan_finds_the_person(person, graded):
    assert occurrences(*PERSON_WORDS)  # the scan works: it finds them while they are here


def test_after_erasure_no_column_of_any_table_holds_their_name_username_or_email(
    person, graded, django_capture_on_commit_callbacks
):
    erase(person, person.user, django_capture_on_commit_callbacks)
    assert occurrences(*PERSON_WORDS) == []


def test_every_thread_keeps_its_shape(person, django_capture_on_commit_callbacks):
    removed_posts = [p.pk for p in person.posts if p.course == person.remove_course]
    before = {
        pk: parent
        for pk, parent in thread_shape().items()
        if not Comment.objects.filter(pk=pk, post_id__in=removed_posts).exists()
    }
    erase(person, person.user, django_capture_on_commit_callbacks)
    assert thread_shape() == before
    for comment in person.comments:
        comment.refresh_from_db()
        assert comment.is_removed and comment.body == "" and comment.guest_email == ""


def test_a_removed_comment_with_replies_shows_as_removed_and_its_replies_stay(
    client, person, django_capture_on_commit_callbacks
):
    mine = person.comments[0]
    erase(person, person.user, django_capture_on_commit_callbacks)
    page = client.get(mine.post.get_absolute_url()).content.decode()
    assert "removed" in page.lower()
    assert "A reply to her" in page and "A reply to the reply" in page
    assert "My view" not in page and NAME[0] not in page


def test_each_course_policy_decides_about_posts(person, django_capture_on_commit_callbacks):
    kept = [p.pk for p in person.posts if p.course == person.keep_course]
    removed = [p.pk for p in person.posts if p.course == person.remove_course]
    erasure = erase(person, person.user, django_capture_on_commit_callbacks)
    assert not Post.objects.filter(pk__in=removed).exists()
    assert Post.objects.filter(pk__in=kept).count() == len(kept)
    for post in Post.objects.filter(pk__in=kept).select_related("author"):
        assert post.author.name == "Former student"
    assert erasure.summary["posts_removed"] == len(removed)
    assert erasure.summary["posts_kept"] == len(kept)


def test_everything_else_of_theirs_is_deleted(person, graded, django_capture_on_commit_callbacks):
    user = person.user
    erase(person, user, django_capture_on_commit_callbacks)
    for model, lookup in [
        (PostLike, {"user": user}), (CommentLike, {"user": user}),
        (Notification, {"recipient": user}), (NotificationPreference, {"user": user}),
        (GuestSubscription, {"email__iexact": EMAIL}), (SocialAccount, {"user": user}),
        (EmailAddress, {"user": user}), (CalendarFeed, {"user": user}),
        (Submission, {"student": user}), (Grade, {"submission__student": user}),
        (Feedback, {"post__author": user}),
    ]:  # fmt: skip
        assert not model.objects.filter(**lookup).exists(), model
    assert not Notification.objects.filter(comment__in=person.comments).exists()
    user.refresh_from_db()
    assert user.username == f"former-student-{user.pk}"
    assert (user.email, user.first_name, user.last_name, user.bio) == ("", "", "", "")
    assert not user.is_active and not user.has_usable_password()
    assert not user.memberships.exists()


def test_their_sessions_end(client, person, django_capture_on_commit_callbacks):
    client.force_login(person.user)
    assert Session.objects.count() == 1
    erase(person, person.user, django_capture_on_commit_callbacks)
    assert Session.objects.count() == 0
    assert client.get(reverse("privacy:data_export")).status_code == 302  # signed out


def test_their_files_are_gone_from_the_file_system(person, django_capture_on_commit_callbacks):
    assert all(default_storage.exists(name) for name in person.stored)
    erase(person, person.user, django_capture_on_commit_callbacks)
    assert [name for name in person.stored if default_storage.exists(name)] == []
    # Images of the posts a "keep" course keeps stay with those posts.
    assert all(default_storage.exists(name) for name in person.kept_images)


def test_files_stay_until_the_erasure_commits(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.erase_person(user=person.user, by=person.user)
    assert all(default_storage.exists(name) for name in person.stored)
    for callback in callbacks:
        callback()
    assert not any(default_storage.exists(name) for name in person.stored)


@pytest.fixture
def s3_person(bucket, person):  # noqa: F811 (bucket first: the person's files go to S3)
    return bucket, person


def test_their_files_are_gone_from_the_s3_server(s3_person, django_capture_on_commit_callbacks):
    (client, name), person = s3_person
    keys = {item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])}
    assert set(person.stored) <= keys
    erase(person, person.user, django_capture_on_commit_callbacks)
    keys = {item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])}
    assert keys.isdisjoint(person.stored)
    assert set(person.kept_images) <= keys


def test_every_course_they_touched_gets_new_page_versions(
    person, django_capture_on_commit_callbacks
):
    courses = [person.keep_course, person.remove_course]
    before = {c.pk: (c.pages_version, c.common_version) for c in courses}
    erase(person, person.user, django_capture_on_commit_callbacks)
    for course in Course.objects.filter(pk__in=before):
        assert (course.pages_version, course.common_version) > before[course.pk]
        assert course.pages_version > before[course.pk][0]


def test_an_imported_placeholder_is_erased_the_same_way(
    staff, course, django_capture_on_commit_callbacks
):
    holder = factories.UserFactory(
        username="olga-wp", first_name="Olgerd", last_name="Vantablack", email="",
        is_active=False,
    )  # fmt: skip
    holder.set_unusable_password()
    holder.save()
    Placeholder.objects.create(user=holder, email="olgerd@old-blog.example")
    post = factories.PostFactory(course=course, author=holder)
    factories.CommentFactory(post=post, author=holder)
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_person(user=holder, by=staff)
    assert occurrences("Olgerd", "Vantablack", "olga-wp", "olgerd@old-blog.example") == []
    assert Post.objects.filter(pk=post.pk).exists()  # the course keeps posts by default


# --- The pages and the admin action ---


def test_delete_page_explains_and_shows_each_course_policy(client, person):
    client.force_login(person.user)
    page = client.get(reverse("privacy:account_delete")).content.decode()
    assert "can&#x27;t be undone" in page or "can't be undone" in page
    assert USERNAME in page
    for course, word in ((person.keep_course, "kept"), (person.remove_course, "removed")):
        assert course.title in page
        section = page.split(course.title, 1)[1].split("</li>", 1)[0]
        assert word in section


def test_a_wrong_username_erases_nothing_and_keeps_what_was_typed(client, person):
    client.force_login(person.user)
    response = client.post(reverse("privacy:account_delete"), {"username": "zquill"})
    assert response.status_code == 200
    assert "That is not the username" in response.content.decode()
    assert 'value="zquill"' in response.content.decode()
    person.user.refresh_from_db()
    assert person.user.username == USERNAME and not Erasure.objects.exists()


def test_the_person_erases_their_account_by_typing_their_username(client, person):
    client.force_login(person.user)
    response = client.post(reverse("privacy:account_delete"), {"username": USERNAME})
    assert response.status_code == 302
    erasure = Erasure.objects.get()
    assert erasure.by_self and erasure.by is None and erasure.user_number == person.user.pk
    assert client.get(reverse("privacy:account_delete")).status_code == 302  # signed out


def test_staff_erase_an_account_from_the_admin_with_the_same_confirmation(client, staff, person):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    url = reverse("admin:accounts_user_changelist")
    data = {"action": "erase_account", "_selected_action": [person.user.pk]}
    page = client.post(url, data)
    assert page.status_code == 200 and "can" in page.content.decode()
    assert person.keep_course.title in page.content.decode()
    wrong = client.post(url, {**data, "confirm": "1", "username": "nope"})
    assert wrong.status_code == 200 and not Erasure.objects.exists()
    done = client.post(url, {**data, "confirm": "1", "username": USERNAME})
    assert done.status_code == 302
    erasure = Erasure.objects.get()
    assert erasure.by == staff and not erasure.by_self
    log = client.get(reverse("admin:privacy_erasure_changelist")).content.decode()
    assert str(person.user.pk) in log


def test_only_the_person_erases_from_the_site(client, person, user):
    client.force_login(user)  # another student: the page is always about oneself
    client.post(reverse("privacy:account_delete"), {"username": USERNAME})
    person.user.refresh_from_db()
    assert person.user.is_active and not Erasure.objects.exists()


def test_a_student_cannot_run_the_admin_erasure(client, person, user):
    client.force_login(user)
    data = {"action": "erase_account", "_selected_action": [person.user.pk], "confirm": "1",
            "username": USERNAME}  # fmt: skip
    response = client.post(reverse("admin:accounts_user_changelist"), data)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Erasure.objects.exists()


@pytest.mark.parametrize("courses", [1, 5])
def test_delete_page_query_budget(client, user, courses, django_assert_max_num_queries):
    for _ in range(courses):
        factories.MembershipFactory(user=user)
    client.force_login(user)
    client.get(reverse("privacy:account_delete"))
    with django_assert_max_num_queries(4):
        response = client.get(reverse("privacy:account_delete"))
    assert response.content.decode().count("posts are <strong>") == courses


def test_queued_and_finished_tasks_that_hold_them_are_deleted(
    settings, person, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMessage
    from django_tasks_db.models import DBTaskResult

    from config.mail import message_values, send_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    to_her = send_email.enqueue(message=message_values(EmailMessage("Hi", "Hello", None, [EMAIL])))
    about_her = send_email.enqueue(
        message=message_values(EmailMessage("News", f"{NAME[0]} Q. replied", None, ["x@y.example"]))
    )
    DBTaskResult.objects.filter(pk=about_her.id).update(status="SUCCESSFUL")
    other = send_email.enqueue(message=message_values(EmailMessage("Hi", "Hi", None, ["o@x.ex"])))
    erase(person, person.user, django_capture_on_commit_callbacks)
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [str(other.id)]
    assert to_her.id and occurrences(*PERSON_WORDS) == []


def test_an_erased_account_is_not_erased_twice(client, staff, person):
    services.erase_person(user=person.user, by=staff)
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    data = {"action": "erase_account", "_selected_action": [person.user.pk], "confirm": "1",
            "username": f"former-student-{person.user.pk}"}  # fmt: skip
    client.post(reverse("admin:accounts_user_changelist"), data)
    assert Erasure.objects.count() == 1


def test_admin_history_naming_them_goes_and_the_rest_stays(
    staff, person, django_capture_on_commit_callbacks
):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from blog.models import Membership

    membership = Membership.objects.filter(user=person.user).first()
    kind = ContentType.objects.get_for_model(Membership)
    for repr_ in (str(membership), "Unrelated row"):
        LogEntry.objects.create(user=staff, content_type=kind, object_id="1",
                                object_repr=repr_, action_flag=CHANGE)  # fmt: skip
    erase(person, staff, django_capture_on_commit_callbacks)
    assert list(LogEntry.objects.values_list("object_repr", flat=True)) == ["Unrelated row"]


def test_a_guest_comment_under_their_address_bumps_its_course(
    person, django_capture_on_commit_callbacks
):
    elsewhere = factories.CourseFactory()
    post = factories.PostFactory(course=elsewhere)
    factories.CommentFactory(post=post, author=None, guest_name="Z", guest_email=EMAIL)
    before = elsewhere.pages_version
    erase(person, person.user, django_capture_on_commit_callbacks)
    elsewhere.refresh_from_db()
    assert elsewhere.pages_version > before


def test_erasure_revokes_the_persons_open_badge_credentials(course, student, instructor):
    """Issue 33: erasing the student under the privacy rules revokes their credentials."""
    from awards.services import grant_award
    from badges.models import Credential
    from privacy.services import erase_person
    from tests import factories

    post = factories.PostFactory(course=course, author=student)
    award = factories.AwardFactory(course=course)
    grant_award(award=award, post=post, granted_by=instructor)
    credential = Credential.objects.get()
    assert credential.revoked_at is None and credential.recipient_id == student.pk
    erase_person(user=student, by=student)
    credential.refresh_from_db()
    assert credential.revoked_at is not None
    assert credential.recipient_id is None


def test_their_lms_identities_and_roster_rows_are_deleted(
    person, django_capture_on_commit_callbacks
):
    """An LMS's id for them would tie the anonymised account back to the person."""
    from lti.models import Context, Identity, Platform, RosterEntry

    platform = Platform.objects.create(
        name="Campus LMS",
        issuer="https://lms.example.edu",
        client_id="commonplace",
        auth_url="https://lms.example.edu/auth",
        token_url="https://lms.example.edu/token",
        jwks_url="https://lms.example.edu/jwks",
    )
    context = Context.objects.create(platform=platform, context_id="HIST-247")
    Identity.objects.create(platform=platform, sub="lms-user-7781", user=person.user)
    RosterEntry.objects.create(context=context, user=person.user, role="student")
    erase(person, person.user, django_capture_on_commit_callbacks)
    assert not Identity.objects.filter(sub="lms-user-7781").exists()
    assert not RosterEntry.objects.filter(context=context).exists()
