"""The Django admin: lists, forms, search and the "grant an award" action on posts."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from awards.models import AwardGrant
from tests import factories


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def test_award_admin_pages(admin_client, award, post):
    grant = factories.AwardGrantFactory(award=award, post=post)
    for url in [
        reverse("admin:awards_award_changelist"),
        reverse("admin:awards_award_changelist") + "?q=sources",
        reverse("admin:awards_award_changelist") + "?retired_at__isempty=1",
        reverse("admin:awards_award_add"),
        reverse("admin:awards_award_change", args=[award.pk]),
        reverse("admin:awards_awardgrant_changelist"),
        reverse("admin:awards_awardgrant_changelist") + "?q=published",
        reverse("admin:awards_awardgrant_add"),
        reverse("admin:awards_awardgrant_change", args=[grant.pk]),
        reverse("admin:blog_post_changelist"),
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_award_changelist_query_count_is_constant(
    admin_client, course, django_assert_max_num_queries
):
    for _ in range(30):
        factories.AwardGrantFactory(award=factories.AwardFactory(course=course))
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:awards_award_changelist")).status_code == 200
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:awards_awardgrant_changelist")).status_code == 200


def test_admin_refuses_a_grant_to_a_draft(admin_client, award, course, staff):
    draft = factories.PostFactory(course=course, status="draft")
    response = admin_client.post(
        reverse("admin:awards_awardgrant_add"),
        {"award": award.pk, "post": draft.pk, "citation": ""},
    )
    assert response.status_code == 200
    assert "Only published posts can receive awards" in response.content.decode()
    assert not AwardGrant.objects.exists()


def test_admin_add_grant_emails_the_author(
    admin_client, award, post, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:awards_awardgrant_add"),
            {
                "award": award.pk,
                "post": post.pk,
                "citation": "From the admin.",
                "granted_at_0": "2027-03-01",
                "granted_at_1": "10:00:00",
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AwardGrant.objects.get().granted_by == staff
    assert len(mail.outbox) == 1


def action_data(posts, **extra):
    return {"action": "grant_award", ACTION_CHECKBOX_NAME: [p.pk for p in posts], **extra}


def test_grant_action_asks_which_award_first(admin_client, award, post):
    response = admin_client.post(reverse("admin:blog_post_changelist"), action_data([post]))
    assert response.status_code == 200
    assert "Grant the award" in response.content.decode()
    assert post.title in response.content.decode()
    assert not AwardGrant.objects.exists()


def test_grant_action_grants_to_eligible_posts_and_reports_refusals(
    admin_client, course, award, post, django_capture_on_commit_callbacks
):
    second = factories.PostFactory(course=course, title="Second post")
    draft = factories.PostFactory(course=course, title="A draft", status="draft")
    elsewhere = factories.PostFactory(title="Elsewhere post")
    holder = factories.PostFactory(course=course, title="Already holds it")
    factories.AwardGrantFactory(award=award, post=holder)
    posts = [post, second, draft, elsewhere, holder]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:blog_post_changelist"),
            action_data(posts, apply="1", award=award.pk, citation="Chosen by the committee."),
            follow=True,
        )
    assert response.status_code == 200
    granted = AwardGrant.objects.filter(award=award).exclude(post=holder)
    assert set(granted.values_list("post__title", flat=True)) == {post.title, "Second post"}
    assert set(granted.values_list("citation", flat=True)) == {"Chosen by the committee."}
    html = response.content.decode()
    assert "Granted “Best Use of Sources” to 2 post(s)." in html
    assert "“A draft” is a draft" in html
    assert "belongs to another course than “Elsewhere post”" in html
    assert "“Already holds it” already holds" in html
    assert len(mail.outbox) == 2


def test_grant_action_refuses_a_retired_award(admin_client, award, post):
    award.retire()
    award.save()
    response = admin_client.post(
        reverse("admin:blog_post_changelist"), action_data([post], apply="1", award=award.pk)
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Select a valid choice" in response.content.decode()
    assert not AwardGrant.objects.exists()
