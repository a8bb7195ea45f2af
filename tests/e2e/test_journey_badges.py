"""Journey: a student takes their award away as an Open Badge; anyone verifies it."""

import json
import re

import pytest
from playwright.sync_api import expect

from awards.services import grant_award
from badges.baking import extract
from tests import factories
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_student_downloads_their_open_badge_and_a_stranger_verifies_it(new_page, tmp_path):
    course = factories.CourseFactory(title="HIST 247", slug="hist-247", term="Spring 2027")
    instructor = factories.MembershipFactory(
        course=course, role="instructor", user=factories.UserFactory(username="prof")
    ).user
    student = factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="elena", display_name="Elena R")
    ).user
    post = factories.PostFactory(course=course, author=student, title="Samizdat as a network")
    award = factories.AwardFactory(
        course=course,
        name="Comrade's Corner",
        emoji="🤝",
        colour="#9b2226",
        criteria="The post starts a discussion and its author answers the commenters.",
    )
    grant_award(award=award, post=post, granted_by=instructor, citation="A real network.")

    page = new_page(user=student)
    page.goto(post.get_absolute_url())
    link = page.get_by_role(
        "link", name="Get your Open Badge credential for the Comrade's Corner award"
    )
    expect(link).to_be_visible()
    screenshot(page, "badges-post-banner")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your Open Badge credential: Comrade's Corner"
    )
    page.get_by_role("checkbox", name=re.compile("name my post as evidence", re.I)).check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("It names your post as evidence.")).to_be_visible()
    assert_accessible(page, label="credential page")
    screenshot(page, "badges-credential")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Badge image \(PNG\)")).click()
    baked = tmp_path / "badge.png"
    download.value.save_as(baked)

    stranger = new_page()
    stranger.goto("/badges/verify/")
    stranger.get_by_label("Or a credential file").set_input_files(str(baked))
    stranger.get_by_role("button", name="Verify").click()
    expect(stranger.get_by_text(re.compile("^Valid: this Open Badge credential"))).to_be_visible()
    assert_accessible(stranger, label="verify page")
    screenshot(stranger, "badges-verify-valid")

    tampered = tmp_path / "tampered.json"
    document = extract(baked.read_bytes())
    document["credentialSubject"]["achievement"]["name"] = "Best in Show"
    tampered.write_text(json.dumps(document))
    stranger.get_by_label("Or a credential file").set_input_files(str(tampered))
    stranger.get_by_role("button", name="Verify").click()
    expect(stranger.get_by_text(re.compile("^Not valid: the credential"))).to_be_visible()
    screenshot(stranger, "badges-verify-tampered")
