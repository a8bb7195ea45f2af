import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from blog.models import Membership, Role
from lti.models import Context, Identity
from tests import factories
from tests.lti.conftest import ASSISTANT, INSTRUCTOR, LEARNER, LTI

pytestmark = pytest.mark.django_db


def nothing_written():
    return not Identity.objects.exists() and not Membership.objects.exists()


@pytest.fixture
def linked_course(platform):
    course = factories.CourseFactory(title="Writing 101")
    Context.objects.create(platform=platform, context_id="ctx-1", course=course)
    return course


def test_learner_launch_signs_in_and_joins_the_linked_course(client, lms, linked_course):
    response = lms.launch(client, roles=LEARNER)
    assert response.status_code == 302
    assert response["Location"] == linked_course.get_absolute_url()
    identity = Identity.objects.get(platform=lms.platform, sub="user-1")
    assert identity.user.get_full_name() == "Ada Lovelace"
    assert Membership.objects.get(course=linked_course, user=identity.user).role == Role.STUDENT
    assert client.get(linked_course.get_absolute_url()).context["user"] == identity.user


def test_instructor_launch_makes_an_instructor(client, lms, linked_course):
    lms.launch(client, roles=INSTRUCTOR)
    assert Membership.objects.get(course=linked_course).role == Role.INSTRUCTOR


def test_teaching_assistant_launch_is_not_an_instructor(client, lms, linked_course):
    lms.launch(client, roles=ASSISTANT)
    membership = Membership.objects.get(course=linked_course)
    assert membership.role == Role.ASSISTANT
    assert linked_course.can_grade(membership.user)
    assert not linked_course.can_manage(membership.user)


def test_second_launch_finds_the_same_person_by_platform_and_sub(client, lms, linked_course):
    lms.launch(client, roles=LEARNER)
    lms.launch(client, roles=LEARNER, email="changed@lms.example.edu", given_name="Augusta")
    identity = Identity.objects.get()
    assert identity.user.first_name == "Augusta"
    assert Membership.objects.count() == 1


def test_same_email_is_not_linked_unless_the_platform_is_trusted(client, lms, linked_course):
    from allauth.account.models import EmailAddress

    existing = factories.UserFactory(email="user-1@lms.example.edu")
    EmailAddress.objects.create(user=existing, email=existing.email, verified=True, primary=True)
    lms.launch(client, roles=LEARNER)
    assert Identity.objects.get().user != existing


def test_trusted_platform_links_a_verified_email(client, lms, linked_course):
    from allauth.account.models import EmailAddress

    lms.platform.trusts_email = True
    lms.platform.save()
    existing = factories.UserFactory(email="user-1@lms.example.edu")
    EmailAddress.objects.create(user=existing, email=existing.email, verified=True, primary=True)
    lms.launch(client, roles=LEARNER)
    assert Identity.objects.get().user == existing


def test_trusted_platform_does_not_link_an_unverified_email(client, lms, linked_course):
    from allauth.account.models import EmailAddress

    lms.platform.trusts_email = True
    lms.platform.save()
    existing = factories.UserFactory(email="user-1@lms.example.edu")
    EmailAddress.objects.create(user=existing, email=existing.email, verified=False)
    lms.launch(client, roles=LEARNER)
    assert Identity.objects.get().user != existing


def test_launch_without_names_or_email_still_signs_in(client, lms, linked_course):
    response = lms.launch(client, roles=LEARNER, given_name=None, family_name=None, email=None)
    assert response.status_code == 302
    assert Identity.objects.get().user.email == ""


def test_framed_launch_offers_a_single_use_link_in_a_new_tab(client, lms, linked_course):
    response = lms.launch(
        client, roles=LEARNER, **{LTI + "launch_presentation": {"document_target": "iframe"}}
    )
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert 'target="_blank"' in response.content.decode()
    link = response.context["handoff"]
    url = reverse("lti:handoff_open", args=[link.token])
    assert client.get(url)["Location"] == linked_course.get_absolute_url()
    assert client.get(url).status_code == 400  # used once


# --- Refusals: a clear page with the request id, nothing written. ---


def refused(response, code, status=None):
    body = response.content.decode()
    assert f"lti-{code}" in body, body[:2000]
    assert response["X-Request-ID"] in body
    if status:
        assert response.status_code == status
    return True


def test_replayed_launch_is_refused(client, lms, linked_course):
    state, nonce = lms.login(client)
    token = lms.token(lms.claims(nonce, roles=LEARNER))
    first = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert first.status_code == 302
    Membership.objects.all().delete()
    Identity.objects.all().delete()
    again = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert refused(again, "expired_login", 400) and nothing_written()


def test_nonce_of_another_login_is_refused(client, lms, linked_course):
    state, _ = lms.login(client)
    _, other_nonce = lms.login(client)
    token = lms.token(lms.claims(other_nonce, roles=LEARNER))
    response = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert refused(response, "replayed", 400) and nothing_written()


@pytest.mark.parametrize(
    ("change", "code", "status"),
    [
        ({"aud": "someone-else"}, "wrong_audience", 403),
        ({"aud": ["commonplace-client", "other"]}, "wrong_audience", 403),
        ({"aud": ["commonplace-client", "other"], "azp": "other"}, "wrong_audience", 403),
        ({"exp": -600}, "expired", 400),  # seconds from now, when the test runs
        ({"iat": 600}, "expired", 400),
        ({LTI + "deployment_id": "deployment-unknown"}, "unknown_deployment", 400),
        ({LTI + "message_type": "LtiSomethingElse"}, "bad_message", 400),
        ({LTI + "version": "1.1"}, "bad_message", 400),
        ({LTI + "roles": None}, "bad_message", 400),
        ({LTI + "resource_link": None}, "bad_message", 400),
        ({LTI + "context": None}, "bad_message", 400),
        ({"sub": None}, "bad_message", 400),
        ({"nonce": None}, "bad_message", 400),
        ({"iss": "https://other-lms.example.edu"}, "unknown_platform", 400),
    ],
)
def test_bad_claims_are_refused(client, lms, linked_course, change, code, status):
    def apply(claims):
        now = int(time.time())
        claims.update({k: now + v if k in ("exp", "iat") else v for k, v in change.items()})
        return {name: value for name, value in claims.items() if value is not None}

    response = lms.launch(client, roles=LEARNER, claims_change=apply)
    assert refused(response, code, status) and nothing_written()


def test_unknown_kid_fetches_the_keyset_again_then_refuses(client, lms, linked_course):
    state, nonce = lms.login(client)
    token = lms.token(lms.claims(nonce, roles=LEARNER), kid="not-published")
    response = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert refused(response, "unknown_kid", 400) and nothing_written()


def test_rotated_platform_key_is_found_by_fetching_again(client, lms, linked_course):
    lms.launch(client, roles=LEARNER)
    assert lms.jwks_calls == 1
    lms.launch(client, roles=LEARNER, sub="user-2")
    assert lms.jwks_calls == 1  # cached
    lms.key, lms.kid = rsa.generate_private_key(public_exponent=65537, key_size=2048), "lms-key-2"
    response = lms.launch(client, roles=LEARNER, sub="user-3")
    assert response.status_code == 302
    assert lms.jwks_calls == 2


def test_bad_signature_is_refused(client, lms, linked_course):
    state, nonce = lms.login(client)
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = lms.token(lms.claims(nonce, roles=LEARNER), key=forger)
    response = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert refused(response, "bad_signature", 403) and nothing_written()


def test_learner_claiming_instructor_in_a_forged_token_is_refused(client, lms, linked_course):
    state, nonce = lms.login(client)
    genuine = lms.token(lms.claims(nonce, roles=LEARNER))
    header, body, signature = genuine.split(".")
    forged_claims = lms.claims(nonce, roles=INSTRUCTOR)
    import base64
    import json

    forged_body = base64.urlsafe_b64encode(json.dumps(forged_claims).encode()).rstrip(b"=")
    token = f"{header}.{forged_body.decode()}.{signature}"
    response = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert refused(response, "bad_signature", 403) and nothing_written()


def test_unsigned_token_is_refused(client, lms, linked_course):
    state, nonce = lms.login(client)
    import jwt

    token = jwt.encode(lms.claims(nonce, roles=INSTRUCTOR), None, algorithm="none")
    response = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert refused(response, "bad_signature", 403) and nothing_written()


def test_platform_that_is_down_gives_a_clear_page(client, lms, linked_course):
    lms.mocked.replace("GET", lms.platform.jwks_url, status=503)
    response = lms.launch(client, roles=LEARNER)
    assert refused(response, "platform_down", 502) and nothing_written()


def test_unknown_platform_login_is_refused(client, platform):
    response = client.get(
        reverse("lti:login"), {"iss": "https://nobody.example", "login_hint": "x"}
    )
    assert refused(response, "unknown_platform", 400)


def test_launch_without_token_is_refused(client, db):
    assert refused(client.post(reverse("lti:launch"), {}), "bad_request", 400)


def test_other_roles_get_a_clear_page(client, lms, linked_course):
    mentor = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"]
    response = lms.launch(client, roles=mentor)
    assert refused(response, "no_role", 403) and nothing_written()


def test_institution_instructor_role_alone_gives_no_course_role(client, lms, linked_course):
    roles = ["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor"]
    response = lms.launch(client, roles=roles)
    assert refused(response, "no_role", 403) and nothing_written()


def test_link_into_another_course_is_refused(client, lms, linked_course):
    other = factories.CourseFactory()
    target = "http://testserver" + other.get_absolute_url()
    response = lms.launch(client, roles=LEARNER, **{LTI + "target_link_uri": target})
    assert refused(response, "linked_elsewhere", 403) and nothing_written()


def test_link_into_the_linked_course_goes_there(client, lms, linked_course):
    target = "http://testserver" + reverse("blog:course_roster", args=[linked_course.slug])
    response = lms.launch(client, roles=INSTRUCTOR, **{LTI + "target_link_uri": target})
    assert response["Location"] == reverse("blog:course_roster", args=[linked_course.slug])


def test_launch_without_the_state_cookie_offers_a_new_tab(client, lms, linked_course):
    state, nonce = lms.login(client)
    client.cookies.clear()
    token = lms.token(lms.claims(nonce, roles=LEARNER))
    response = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert response.status_code == 200
    assert "Open Commonplace in a new tab" in response.content.decode()
    assert reverse("lti:login") in response.context["relaunch_url"]
    assert nothing_written()


# --- Unlinked LMS courses ---


def test_student_before_setup_sees_the_course_is_not_set_up(client, lms):
    response = lms.launch(client, roles=LEARNER)
    assert refused(response, "not_set_up", 409) and nothing_written()


def test_instructor_creates_a_course_for_the_lms_course(client, lms):
    response = lms.launch(client, roles=INSTRUCTOR)
    context = Context.objects.get()
    assert response["Location"] == reverse("lti:context_setup", args=[context.pk])
    page = client.get(response["Location"])
    assert "Create a course for this LMS course" in page.content.decode()
    created = client.post(response["Location"], {"action": "create"})
    context.refresh_from_db()
    assert context.course.title == "Writing 101"
    assert created["Location"] == context.course.get_absolute_url()
    user = Identity.objects.get().user
    assert context.course.role_of(user) == Role.INSTRUCTOR


def test_instructor_links_a_course_they_teach(client, lms):
    lms.launch(client, roles=INSTRUCTOR)
    context = Context.objects.get()
    user = Identity.objects.get().user
    mine = factories.CourseFactory()
    Membership.objects.create(course=mine, user=user, role=Role.INSTRUCTOR)
    not_mine = factories.CourseFactory()
    url = reverse("lti:context_setup", args=[context.pk])
    refused_link = client.post(url, {"action": "link", "course": not_mine.pk})
    assert refused_link.status_code == 400
    context.refresh_from_db()
    assert context.course is None
    client.post(url, {"action": "link", "course": mine.pk})
    context.refresh_from_db()
    assert context.course == mine


def test_setup_page_is_only_for_the_instructor_who_launched(client, lms, user):
    lms.launch(client, roles=INSTRUCTOR)
    context = Context.objects.get()
    client.force_login(user)
    assert client.get(reverse("lti:context_setup", args=[context.pk])).status_code == 404


def test_relaunch_in_a_new_tab_signs_in_at_once(client, lms, linked_course):
    state, nonce = lms.login(client, new_tab="1")
    claims = lms.claims(nonce, roles=LEARNER)
    claims[LTI + "launch_presentation"] = {"document_target": "iframe"}
    response = client.post(reverse("lti:launch"), {"id_token": lms.token(claims), "state": state})
    assert response["Location"] == linked_course.get_absolute_url()


def storage_login(client, lms):
    from django.urls import reverse as url_of

    response = client.get(
        url_of("lti:login"),
        {
            "iss": lms.platform.issuer,
            "login_hint": "h",
            "client_id": lms.platform.client_id,
            "lti_storage_target": "_parent",
        },
    )
    assert response.status_code == 200  # the page that keeps the secret with the platform
    storage = response.context["storage"]
    assert storage["origin"] == "https://lms.example.edu" and storage["target"] == "_parent"
    from urllib.parse import parse_qs, urlsplit

    sent = parse_qs(urlsplit(storage["next"]).query)
    return sent["state"][0], sent["nonce"][0], storage["secret"]


def test_without_a_cookie_the_platform_storage_proves_the_browser(client, lms, linked_course):
    state, nonce, secret = storage_login(client, lms)
    client.cookies.clear()
    token = lms.token(lms.claims(nonce, roles=LEARNER))
    asked = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert asked.status_code == 200 and "lti.get_data" in asked.content.decode()
    assert nothing_written()
    proven = client.post(
        reverse("lti:launch"), {"id_token": token, "state": state, "storage_secret": secret}
    )
    assert proven["Location"] == linked_course.get_absolute_url()


def test_a_wrong_storage_secret_is_not_accepted(client, lms, linked_course):
    state, nonce, secret = storage_login(client, lms)
    client.cookies.clear()
    token = lms.token(lms.claims(nonce, roles=LEARNER))
    response = client.post(
        reverse("lti:launch"), {"id_token": token, "state": state, "storage_secret": "guess"}
    )
    assert "Open Commonplace in a new tab" in response.content.decode()
    assert nothing_written()
