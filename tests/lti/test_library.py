"""pylti1p3 (pylti1p3next) is what checks a launch and talks to the platform's
services, and our checks on top of it hold: the library's own steps run, an unknown
kid fetches the keyset once more (once), exp and iat have their leeway, the messages
the library takes but Commonplace doesn't are refused, the access token is shared
through the cache and renewed once on a 401 (docs/decisions.md, "LTI 1.3:
pylti1p3next, with our checks on top")."""

import json
import time
from urllib.parse import parse_qs

import jwt
import pytest
import responses
from django.core.cache import cache
from django.urls import reverse
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.deep_link import DeepLink
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.oidc_login import OIDCLogin

from blog.models import Membership
from lti import deep_linking, grades, keys, roster, tokens
from lti.errors import ServiceError
from lti.models import Context, Identity, LoginAttempt, Platform, ScoreSend
from tests import factories
from tests.lti import test_grades
from tests.lti.conftest import DEPLOYMENT, ISSUER, LEARNER, LTI
from tests.lti.test_grades import grade

pytestmark = pytest.mark.django_db
grades_setup = test_grades.setup  # the grade book on the lti1p3platform LMS


@pytest.fixture
def linked_course(platform):
    course = factories.CourseFactory(title="Writing 101")
    Context.objects.create(platform=platform, context_id="ctx-1", course=course)
    return course


@pytest.fixture
def spy(monkeypatch):
    """Counts the calls of library methods while still running them."""
    calls = {}

    def watch(cls, name):
        original = getattr(cls, name)

        def counted(*args, **kwargs):
            calls[f"{cls.__name__}.{name}"] = calls.get(f"{cls.__name__}.{name}", 0) + 1
            return original(*args, **kwargs)

        monkeypatch.setattr(cls, name, counted)

    spy.watch = watch
    spy.calls = calls
    return spy


def refused_as(response, code):
    body = response.content.decode()
    return f"lti-{code}" in body and response["X-Request-ID"] in body


def nothing_written():
    return not Identity.objects.exists() and not Membership.objects.exists()


def test_a_launch_runs_the_librarys_login_and_launch_steps(client, lms, linked_course, spy):
    spy.watch(OIDCLogin, "validate_oidc_login")
    for step in ("validate", "validate_registration", "validate_deployment", "validate_message"):
        spy.watch(MessageLaunch, step)
    spy.watch(MessageLaunch, "get_public_key")
    response = lms.launch(client, roles=LEARNER)
    assert response.status_code == 302
    assert spy.calls == {
        "OIDCLogin.validate_oidc_login": 1,
        "MessageLaunch.validate": 1,
        "MessageLaunch.validate_registration": 1,
        "MessageLaunch.validate_deployment": 1,
        "MessageLaunch.validate_message": 1,
        "MessageLaunch.get_public_key": 1,
    }


def test_the_login_keeps_the_librarys_state_and_nonce_in_a_login_attempt(client, lms):
    state, nonce = lms.login(client)
    attempt = LoginAttempt.objects.get()
    assert (attempt.state, attempt.nonce) == (state, nonce)
    assert len(nonce) >= 43 and state.startswith("state-")  # 256 random bits each


def test_an_unknown_kid_fetches_a_cached_keyset_once_more_then_refuses(client, lms, linked_course):
    lms.launch(client, roles=LEARNER)
    assert lms.jwks_calls == 1
    state, nonce = lms.login(client)
    token = lms.token(lms.claims(nonce, roles=LEARNER, sub="user-2"), kid="not-published")
    response = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert refused_as(response, "unknown_kid")
    assert lms.jwks_calls == 2  # one more fetch, not one per try
    assert not Identity.objects.filter(sub="user-2").exists()


def test_an_unknown_kid_with_a_fresh_keyset_is_not_fetched_twice(client, lms, linked_course):
    state, nonce = lms.login(client)
    token = lms.token(lms.claims(nonce, roles=LEARNER), kid="not-published")
    response = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert refused_as(response, "unknown_kid") and nothing_written()
    assert lms.jwks_calls == 1


@pytest.mark.parametrize(("claim", "seconds"), [("exp", -30), ("iat", 30)])
def test_exp_and_iat_have_a_leeway_for_clocks_a_little_apart(
    client, lms, linked_course, claim, seconds
):
    def shift(claims):
        return {**claims, claim: int(time.time()) + seconds}

    response = lms.launch(client, roles=LEARNER, claims_change=shift)
    assert response.status_code == 302


@pytest.mark.parametrize("message_type", ["DataPrivacyLaunchRequest", "LtiSubmissionReviewRequest"])
def test_messages_the_library_takes_but_commonplace_does_not_are_refused(
    client, lms, linked_course, message_type
):
    def change(claims):
        return {**claims, LTI + "message_type": message_type}

    response = lms.launch(client, roles=LEARNER, claims_change=change)
    assert refused_as(response, "bad_message") and nothing_written()


def test_a_body_that_is_not_an_object_is_refused_not_a_500(client, lms, linked_course):
    state, _ = lms.login(client)
    token = jwt.encode({"a": 1}, lms.pem(), algorithm="RS256", headers={"kid": lms.kid})
    header, _, signature = token.split(".")
    token = f"{header}.WzEsMl0.{signature}"  # [1,2]
    response = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert response.status_code == 400 and refused_as(response, "bad_message")


def test_the_library_nonce_store_is_not_what_decides(client, lms, linked_course):
    """The nonce is good once because the launch deletes its LoginAttempt: the same
    id_token with the state of a fresh login is a nonce of another login."""
    state, nonce = lms.login(client)
    token = lms.token(lms.claims(nonce, roles=LEARNER))
    first = client.post(reverse("lti:launch"), {"id_token": token, "state": state})
    assert first.status_code == 302
    Membership.objects.all().delete()
    Identity.objects.all().delete()
    fresh_state, _ = lms.login(client)
    again = client.post(reverse("lti:launch"), {"id_token": token, "state": fresh_state})
    assert refused_as(again, "replayed") and nothing_written()


# --- Services through the library. ---

TOKEN_URL = ISSUER + "/token"
MEMBERS_URL = ISSUER + "/memberships"


@pytest.fixture
def services(platform):
    cache.clear()
    context = Context.objects.create(
        platform=platform,
        context_id="ctx-1",
        course=factories.CourseFactory(),
        memberships_url=MEMBERS_URL,
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.token_calls = 0
        mocked.audiences = []

        def token(request):
            mocked.token_calls += 1
            form = parse_qs(request.body)
            assertion = jwt.decode(form["client_assertion"][0], options={"verify_signature": False})
            audience = Platform.objects.get(pk=platform.pk).token_audience or TOKEN_URL
            assert assertion["aud"] == audience and assertion["iss"] == platform.client_id
            mocked.audiences.append(assertion["aud"])
            kid = jwt.get_unverified_header(form["client_assertion"][0])["kid"]
            assert kid == keys.current_key().kid  # our JWKS's kid, not a thumbprint
            body = {"access_token": f"token-{mocked.token_calls}", "expires_in": 3600}
            return 200, {}, json.dumps(body)

        mocked.add_callback(responses.POST, TOKEN_URL, callback=token)
        yield mocked, context


def member(n):
    return {
        "user_id": f"m{n}",
        "roles": LEARNER,
        "status": "Active",
        "given_name": f"G{n}",
        "family_name": f"F{n}",
    }


def test_roster_pages_come_through_the_librarys_names_and_roles_service(services, spy):
    mocked, context = services
    spy.watch(NamesRolesProvisioningService, "get_members_page")
    second = MEMBERS_URL + "?page=2"
    mocked.add(
        responses.GET,
        MEMBERS_URL,
        json={"members": [member(1), member(2)]},
        headers={"Link": f'<{second}>; rel="next"'},
        match=[responses.matchers.query_string_matcher("")],
    )
    mocked.add(responses.GET, second, json={"members": [member(3)]})
    members = roster.fetch_members(context)
    assert [m["user_id"] for m in members] == ["m1", "m2", "m3"]
    assert spy.calls == {"NamesRolesProvisioningService.get_members_page": 2}
    assert mocked.token_calls == 1  # kept in the shared cache between pages
    assert tokens.access_token(context.platform, [roster_scope()]) == "token-1"


def roster_scope():
    return "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


def test_a_refused_token_is_renewed_once(services):
    mocked, context = services
    answers = iter([(401, {}, "{}"), (200, {}, json.dumps({"members": [member(1)]}))])
    seen = []

    def members(request):
        seen.append(request.headers["Authorization"])
        return next(answers)

    mocked.add_callback(responses.GET, MEMBERS_URL, callback=members)
    assert len(roster.fetch_members(context)) == 1
    assert seen == ["Bearer token-1", "Bearer token-2"]


def test_the_token_request_names_the_platforms_audience_when_it_has_one(services):
    """Brightspace wants https://api.brightspace.com/auth/token as the assertion's aud,
    not its token URL (the library's Registration auth_audience)."""
    mocked, context = services
    Platform.objects.filter(pk=context.platform_id).update(
        token_audience="https://api.brightspace.com/auth/token"
    )
    context.platform.refresh_from_db()
    tokens.access_token(context.platform, [roster_scope()])
    assert mocked.audiences == ["https://api.brightspace.com/auth/token"]


def test_a_platform_refusing_the_token_is_a_service_error(services):
    mocked, context = services
    mocked.replace(responses.POST, TOKEN_URL, status=400, json={"error": "invalid_client"})
    with pytest.raises(ServiceError, match=r"refused an access token \(HTTP 400\)"):
        roster.fetch_members(context)


def test_a_roster_that_is_not_json_is_a_service_error(services):
    mocked, context = services
    mocked.add(responses.GET, MEMBERS_URL, body="<html>", content_type="text/html")
    with pytest.raises(ServiceError):
        roster.fetch_members(context)


def test_the_deep_linking_response_is_the_librarys_signed_by_our_current_key(platform, spy):
    spy.watch(DeepLink, "get_message_jwt")
    items = [
        {
            "type": "ltiResourceLink",
            "title": "Essay",
            "url": "https://commonplace.test/a/",
            "lineItem": {
                "scoreMaximum": 20.0,
                "label": "Essay",
                "resourceId": "assignment-1",
                "tag": "commonplace",
            },
        }
    ]
    token = deep_linking.response_jwt(
        platform=platform, deployment_id=DEPLOYMENT, data=None, items=items
    )
    key = keys.current_key()
    assert jwt.get_unverified_header(token)["kid"] == key.kid
    claims = jwt.decode(
        token,
        jwt.PyJWK(key.public_jwk).key,
        algorithms=["RS256"],
        audience=ISSUER,
    )
    dl = "https://purl.imsglobal.org/spec/lti-dl/claim/"
    assert claims["iss"] == claims["azp"] == platform.client_id
    assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[LTI + "deployment_id"] == DEPLOYMENT
    assert dl + "data" not in claims  # none was sent, none comes back
    assert claims[dl + "content_items"][0]["lineItem"]["scoreMaximum"] == 20.0
    assert spy.calls == {"DeepLink.get_message_jwt": 1}


def test_line_items_and_scores_go_through_the_librarys_grade_service(
    grades_setup, spy, django_capture_on_commit_callbacks
):
    lms, context, course, teacher, assignment, student, submission = grades_setup
    spy.watch(AssignmentsGradesService, "create_lineitem")
    spy.watch(AssignmentsGradesService, "put_grade")
    grades.create_line_item(assignment=assignment, context=context)
    grade(submission, teacher, 15, django_capture_on_commit_callbacks)
    assert spy.calls == {
        "AssignmentsGradesService.create_lineitem": 1,
        "AssignmentsGradesService.put_grade": 1,
    }
    assert lms.scores["1"][-1]["scoreGiven"] == 15
    assert ScoreSend.objects.get().status == ScoreSend.Status.SENT
