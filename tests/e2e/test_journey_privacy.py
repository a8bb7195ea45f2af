"""Journey: a student downloads their data, then erases their account."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_student_downloads_their_data_then_erases_their_account(new_page):
    # The tests' settings run tasks at once (DJANGO_DEBUG=1): the zip is ready on return.
    keep = factories.CourseFactory(title="HIST 247: After Stalin", erasure_policy="keep")
    remove = factories.CourseFactory(title="POET 110: Samizdat verse", erasure_policy="remove")
    farid = factories.UserFactory(username="farid", display_name="Farid Haddad")
    for course in (keep, remove):
        factories.MembershipFactory(course=course, user=farid)
        factories.PostFactory(course=course, author=farid, title=f"Notes for {course.title}")
    page = new_page(user=farid)

    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Download my data").click()
    expect(page.get_by_role("heading", name="Download my data")).to_be_visible()
    page.get_by_role("button", name="Download my data").click()
    expect(page.get_by_role("link", name="Download the zip")).to_be_visible()
    assert_accessible(page, label="download my data")
    screenshot(page, "privacy-download")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the zip").click()
    assert download.value.suggested_filename.endswith(".zip")

    page.get_by_role("link", name="Delete account").click()
    expect(page.get_by_text("can't be undone")).to_be_visible()
    expect(page.locator(".erasure-courses")).to_contain_text("kept")
    expect(page.locator(".erasure-courses")).to_contain_text("removed")
    assert_accessible(page, label="delete account")
    screenshot(page, "privacy-erasure")
    page.get_by_label("Type the username to confirm").fill("farid")
    page.get_by_role("button", name="Erase my account for good").click()
    expect(page.get_by_text("Your account has been erased.")).to_be_visible()
