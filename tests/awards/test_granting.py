"""Granting and revoking through the pages, and every refusal."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from awards import services
from awards.models import Award, AwardGrant
from tests import factories
from tests.awards.conftest import confirm_grant


def test_instructor_reviews_the_banner_then_confirms(client, post, award, instructor, grant_url):
    client.force_login(instructor)
    review = client.post(
        grant_url, {"award": award.pk, "citation": "Sharp and fair.", "review": "1"}
    )
    assert review.status_code == 200
    assert "This post received the" in review.content.decode()
    assert "Confirm: grant the award" in review.content.decode()
    assert not AwardGrant.objects.exists()

    response = confirm_grant(client, post, award, "Sharp and fair.")
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url() + "#awards"
    grant = AwardGrant.objects.get()
    assert (grant.award, grant.post, grant.granted_by) == (award, post, instructor)
    assert grant.citation == "Sharp and fair."


def test_grant_form_offers_only_the_courses_current_awards(client, post, award, instructor):
    retired = factories.AwardFactory(
        course=post.course, name="Old Prize", retired_at="2027-01-01T00:00Z"
    )
    elsewhere = factories.AwardFactory(name="Another Course Prize")
    client.force_login(instructor)
    page = client.get(reverse("awards:grant_create", args=[post.course.slug, post.slug]))
    choices = list(page.context["form"].fields["award"].queryset)
    assert choices == [award]
    assert retired not in choices and elsewhere not in choices


def test_granting_to_a_draft_is_refused_with_a_message(client, course, student, award, instructor):
    draft = factories.PostFactory(course=course, author=student, status="draft", published_at=None)
    client.force_login(instructor)
    response = confirm_grant(client, draft, award)
    assert response.status_code == 200
    assert "Only published posts can receive awards" in response.content.decode()
    assert not AwardGrant.objects.exists()


def test_granting_another_courses_award_is_refused_with_a_message(client, post, award, instructor):
    elsewhere = factories.AwardFactory(name="Another Course Prize")
    client.force_login(instructor)
    response = confirm_grant(client, post, elsewhere)
    assert response.status_code == 200
    assert "Choose one of this course&#x27;s current awards." in response.content.decode()
    assert not AwardGrant.objects.exists()


def test_granting_twice_is_refused_with_a_message(client, post, award, instructor):
    factories.AwardGrantFactory(award=award, post=post)
    client.force_login(instructor)
    response = confirm_grant(client, post, award)
    assert response.status_code == 200
    assert "already holds the “Best Use of Sources” award" in response.content.decode()
    assert AwardGrant.objects.count() == 1


def test_granting_a_retired_award_is_refused_with_a_message(client, post, award, instructor):
    factories.AwardFactory(course=post.course, name="Still Current")
    award.retire()
    award.save()
    client.force_login(instructor)
    response = confirm_grant(client, post, award)
    assert response.status_code == 200
    assert "Choose one of this course&#x27;s current awards." in response.content.decode()
    assert not AwardGrant.objects.exists()


def test_a_post_may_hold_several_different_awards(client, post, award, instructor):
    second = factories.AwardFactory(course=post.course, name="Comrade's Corner")
    client.force_login(instructor)
    assert confirm_grant(client, post, award).status_code == 302
    assert confirm_grant(client, post, second).status_code == 302
    assert set(post.award_grants.values_list("award__name", flat=True)) == {
        "Best Use of Sources",
        "Comrade's Corner",
    }


def test_grant_page_without_awards_points_to_creating_one(client, post, instructor, grant_url):
    client.force_login(instructor)
    response = client.get(grant_url)
    assert "has no awards to grant yet" in response.content.decode()
    assert reverse("awards:award_create", args=[post.course.slug]) in response.content.decode()


def test_revoking_asks_for_confirmation_then_removes_the_grant(client, post, award, instructor):
    grant = factories.AwardGrantFactory(award=award, post=post)
    client.force_login(instructor)
    url = reverse("awards:grant_revoke", args=[post.course.slug, grant.pk])
    page = client.get(url)
    assert "Revoke “Best Use of Sources”?" in page.content.decode()
    assert AwardGrant.objects.filter(pk=grant.pk).exists()
    response = client.post(url)
    assert response["Location"] == post.get_absolute_url() + "#awards"
    assert not AwardGrant.objects.filter(pk=grant.pk).exists()


# --- The service, directly: every refusal has its code. ---


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("draft", "draft"),
        ("other_course", "other_course"),
        ("twice", "duplicate"),
        ("retired", "retired"),
    ],
)
def test_grant_award_refuses_with_a_code(case, code, course, post, award, instructor):
    if case == "draft":
        post.unpublish()
        post.save()
    elif case == "other_course":
        award = factories.AwardFactory()
    elif case == "twice":
        factories.AwardGrantFactory(award=award, post=post)
    elif case == "retired":
        award.retire()
        award.save()
    with pytest.raises(ValidationError) as refusal:
        services.grant_award(award=award, post=post, granted_by=instructor)
    assert refusal.value.code == code
    assert AwardGrant.objects.count() == (1 if case == "twice" else 0)


def test_grant_award_reports_a_lost_race_as_a_duplicate(post, award, instructor, monkeypatch):
    """Two instructors confirm at once: the database constraint decides, no 500."""
    factories.AwardGrantFactory(award=award, post=post)  # the other request's grant
    real_check = Award.check_grantable
    calls = []

    def check_before_the_other_grant_committed(self, post):
        calls.append(post)
        return None if len(calls) == 1 else real_check(self, post)

    monkeypatch.setattr(Award, "check_grantable", check_before_the_other_grant_committed)
    with pytest.raises(ValidationError) as refusal:
        services.grant_award(award=award, post=post, granted_by=instructor)
    assert refusal.value.code == "duplicate"
    assert AwardGrant.objects.count() == 1


def test_one_grant_per_award_and_post_is_a_database_constraint(post, award):
    factories.AwardGrantFactory(award=award, post=post)
    with pytest.raises(IntegrityError):
        AwardGrant.objects.create(award=award, post=post)
