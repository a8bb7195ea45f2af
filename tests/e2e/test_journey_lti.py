"""An LMS course page (tests/lti/lms.py, lti1p3platform, on 127.0.0.1) frames
Commonplace (live_server on localhost: another site) in a Chromium that blocks
third-party cookies: the launch offers a new tab, which signs the student in."""

import json

import pytest
from django.urls import reverse

from blog.models import Membership, Role
from lti.models import Context, Deployment, Identity, Platform
from tests import factories
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def profile_context(chromium, folder, *, block):
    """A Chromium profile of its own (not incognito, which blocks third-party cookies
    whatever it is told) whose settings block third-party cookies or allow them."""
    (folder / "Default").mkdir(parents=True)
    mode = 1 if block else 0
    prefs = {"profile": {"cookie_controls_mode": mode, "block_third_party_cookies": block}}
    (folder / "Default" / "Preferences").write_text(json.dumps(prefs))
    extra = ["--test-third-party-cookie-phaseout"] if block else []
    return chromium.launch_persistent_context(
        str(folder),
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, *extra],
        viewport={"width": 1280, "height": 900},
    )


@pytest.fixture
def blocking_context(browser, tmp_path):
    # The session's Playwright (tests/e2e/conftest.py): one per thread.
    context = profile_context(browser.browser_type, tmp_path / "blocking", block=True)
    yield context
    context.close()


@pytest.fixture
def allowing_context(browser, tmp_path):
    context = profile_context(browser.browser_type, tmp_path / "allowing", block=False)
    yield context
    context.close()


@pytest.fixture
def lms(live_server):
    from tests.lti.lms import DEPLOYMENT, Lms

    platform_lms = Lms(tool_base=live_server.url)
    urls = platform_lms.urls
    platform_lms.platform = Platform.objects.create(
        name="Test LMS",
        issuer=urls["issuer"],
        client_id=urls["client_id"],
        auth_url=urls["auth_url"],
        token_url=urls["token_url"],
        jwks_url=urls["jwks_url"],
    )
    Deployment.objects.create(platform=platform_lms.platform, deployment_id=DEPLOYMENT)
    yield platform_lms
    platform_lms.close()


def test_framed_launch_with_third_party_cookies_blocked_opens_a_new_tab(
    live_server, lms, blocking_context, tmp_path
):
    course = factories.CourseFactory(title="History 210")
    teacher = factories.UserFactory()
    Membership.objects.create(course=course, user=teacher, role=Role.INSTRUCTOR)
    Context.objects.create(platform=lms.platform, context_id="course-1", course=course)
    lms.people["student-1"] = "learner"
    page = blocking_context.new_page()
    page.goto(f"{lms.base}/course/student-1")
    frame = page.frame_locator("#tool")
    button = frame.get_by_role("link", name="Open Commonplace in a new tab")
    button.wait_for(timeout=15000)
    page.screenshot(path=str(SCREENSHOTS / "lti-framed-cookies-blocked-1280.png"))
    assert not Identity.objects.exists()  # nothing written while the frame had no cookie
    with blocking_context.expect_page() as opened:
        button.click()
    tab = opened.value
    tab.wait_for_url(f"{live_server.url}{course.get_absolute_url()}", timeout=15000)
    assert "History 210" in tab.title()
    student = Identity.objects.get(sub="student-1").user
    assert course.role_of(student) == Role.STUDENT
    tab.goto(live_server.url + reverse("lti:course_lms", args=[course.slug]))
    assert tab.get_by_role("heading", name="LMS").count() == 0  # a student: 403


def test_framed_launch_with_cookies_allowed_hands_off_to_a_tab(live_server, lms, allowing_context):
    """The same launch where the frame keeps cookies: checked in the frame, then one
    button opens the course in a tab of its own (the site itself is never framed)."""
    course = factories.CourseFactory(title="History 210")
    Context.objects.create(platform=lms.platform, context_id="course-1", course=course)
    lms.people["student-2"] = "learner"
    context = allowing_context
    page = context.new_page()
    page.goto(f"{lms.base}/course/student-2")
    button = page.frame_locator("#tool").get_by_role("link", name="Open Commonplace", exact=True)
    button.wait_for(timeout=15000)
    with context.expect_page() as opened:
        button.click()
    tab = opened.value
    tab.wait_for_url(f"{live_server.url}{course.get_absolute_url()}", timeout=15000)
    student = Identity.objects.get(sub="student-2").user
    assert course.role_of(student) == Role.STUDENT


def test_framed_launch_uses_the_platforms_postmessage_storage(live_server, lms, blocking_context):
    """Third-party cookies blocked, but the LMS offers postMessage storage: the launch is
    checked in the frame without a cookie, then one button opens the course in a tab."""
    course = factories.CourseFactory(title="History 210")
    Context.objects.create(platform=lms.platform, context_id="course-1", course=course)
    lms.people["student-3"] = "learner"
    page = blocking_context.new_page()
    page.goto(f"{lms.base}/course/student-3?storage=1")
    button = page.frame_locator("#tool").get_by_role("link", name="Open Commonplace", exact=True)
    button.wait_for(timeout=15000)
    page.screenshot(path=str(SCREENSHOTS / "lti-framed-storage-1280.png"))
    with blocking_context.expect_page() as opened:
        button.click()
    tab = opened.value
    tab.wait_for_url(f"{live_server.url}{course.get_absolute_url()}", timeout=15000)
    assert course.role_of(Identity.objects.get(sub="student-3").user) == Role.STUDENT
