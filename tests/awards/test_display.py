"""Where awards show: the post page banner, cards, the course awards page, the hall
of fame and the author's profile."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests import factories


def test_post_page_shows_a_banner_for_each_award(client, post, award, instructor):
    second = factories.AwardFactory(course=post.course, name="Comrade's Corner", emoji="🤝")
    factories.AwardGrantFactory(
        award=award, post=post, granted_by=instructor, citation="Every claim has a page number."
    )
    factories.AwardGrantFactory(award=second, post=post, granted_by=instructor)
    html = client.get(post.get_absolute_url()).content.decode()
    assert html.count('<section class="award-banner') == 2
    assert "This post received the" in html
    assert "Best Use of Sources</a> award" in html
    assert "Comrade&#x27;s Corner</a> award" in html
    assert "Every claim has a page number." in html
    assert f"Granted by {instructor.name}" in html
    assert "📜" in html and "🤝" in html
    assert 'data-award-colour="#1f5c4d"' in html
    assert html.index("award-banner") < html.index('class="prose"')  # above the body


def test_readers_see_banners_but_not_the_instructor_controls(client, post, award, student):
    grant = factories.AwardGrantFactory(award=award, post=post)
    client.force_login(student)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "This post received the" in html
    assert "Grant an award" not in html
    assert reverse("awards:grant_revoke", args=[post.course.slug, grant.pk]) not in html


def test_instructors_see_grant_and_revoke_on_the_post_page(client, post, award, instructor):
    grant = factories.AwardGrantFactory(award=award, post=post)
    client.force_login(instructor)
    html = client.get(post.get_absolute_url()).content.decode()
    assert reverse("awards:grant_create", args=[post.course.slug, post.slug]) in html
    assert reverse("awards:grant_revoke", args=[post.course.slug, grant.pk]) in html


def test_no_grant_link_on_a_draft(client, course, student, instructor):
    draft = factories.PostFactory(course=course, author=student, status="draft")
    client.force_login(instructor)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Grant an award" not in html


def test_retired_award_stays_on_the_post(client, post, award):
    factories.AwardGrantFactory(award=award, post=post)
    award.retire()
    award.save()
    assert "Best Use of Sources</a> award" in client.get(post.get_absolute_url()).content.decode()


def test_a_colour_that_slipped_past_validation_never_reaches_the_page(client, post, award):
    type(award).objects.filter(pk=award.pk).update(colour="red;}a{")  # fits max_length
    factories.AwardGrantFactory(award=award, post=post)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "red;}" not in html
    assert 'data-award-colour="#9a6b00"' in html


def test_cards_show_a_badge_per_award(client, course, post, award):
    factories.AwardGrantFactory(award=award, post=post)
    factories.AwardGrantFactory(
        award=factories.AwardFactory(course=course, name="Comrade's Corner"), post=post
    )
    html = client.get(course.get_absolute_url()).content.decode()
    assert html.count('class="award-badge"') == 2
    assert reverse("awards:award_detail", args=[course.slug, award.slug]) in html


def test_course_awards_page_lists_awards_with_descriptions_and_counts(client, course, award):
    quiet = factories.AwardFactory(course=course, name="Quiet Prize", description="Not yet given.")
    for _ in range(2):
        factories.AwardGrantFactory(award=award)
    draft = factories.PostFactory(course=course, status="draft")
    factories.AwardGrantFactory(award=award, post=draft)  # unpublished since: not counted
    response = client.get(reverse("awards:award_list", args=[course.slug]))
    html = response.content.decode()
    assert "For a post that quotes its sources fairly." in html
    assert "Held by 2 posts" in html
    assert quiet.description in html and "Not granted yet" in html


def test_course_awards_page_hides_retired_awards_nobody_holds(client, course, award):
    award.retire()
    award.save()
    html = client.get(reverse("awards:award_list", args=[course.slug])).content.decode()
    assert "Best Use of Sources" not in html
    factories.AwardGrantFactory(award=award)
    html = client.get(reverse("awards:award_list", args=[course.slug])).content.decode()
    assert "Best Use of Sources" in html and "Retired" in html


def test_hall_of_fame_lists_holders_newest_first_ten_per_page(client, course, award):
    now = timezone.now()
    for n in range(12):
        factories.AwardGrantFactory(
            award=award,
            post=factories.PostFactory(course=course, title=f"Holder {n:02d}"),
            granted_at=now - timedelta(days=n),
            citation=f"Citation {n:02d}",
        )
    factories.PostFactory(course=course, title="Not a holder")
    url = reverse("awards:award_detail", args=[course.slug, award.slug])
    first = client.get(url)
    titles = [post.title for post in first.context["page_obj"].object_list]
    assert titles == [f"Holder {n:02d}" for n in range(10)]
    assert "Citation 00" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert [p.title for p in second.context["page_obj"].object_list] == ["Holder 10", "Holder 11"]
    assert "Not a holder" not in first.content.decode() + second.content.decode()


def test_hall_of_fame_leaves_out_posts_unpublished_since(client, course, award):
    grant = factories.AwardGrantFactory(award=award)
    grant.post.unpublish()
    grant.post.save()
    url = reverse("awards:award_detail", args=[course.slug, award.slug])
    assert grant.post.title not in client.get(url).content.decode()


def test_profile_lists_the_awards_the_author_received(client, post, award):
    factories.AwardGrantFactory(award=award, post=post)
    html = client.get(post.author.get_absolute_url()).content.decode()
    assert "Awards" in html
    assert "Best Use of Sources" in html
    assert post.get_absolute_url() in html


def test_profile_hides_awards_on_posts_the_viewer_may_not_read(
    client, private_course, student, outsider
):
    factories.MembershipFactory(course=private_course, user=student)
    secret = factories.PostFactory(course=private_course, author=student, title="Seminar draft")
    factories.AwardGrantFactory(
        award=factories.AwardFactory(course=private_course, name="Seminar Star"), post=secret
    )
    client.force_login(outsider)
    html = client.get(student.get_absolute_url()).content.decode()
    assert "Seminar Star" not in html
    client.force_login(student)
    assert "Seminar Star" in client.get(student.get_absolute_url()).content.decode()


def test_profile_without_awards_has_no_awards_section(client, post):
    html = client.get(post.author.get_absolute_url()).content.decode()
    assert "profile-awards" not in html


def test_course_page_links_instructors_to_award_management(client, course, instructor, student):
    url = reverse("awards:award_manage", args=[course.slug])
    client.force_login(instructor)
    assert url in client.get(course.get_absolute_url()).content.decode()
    client.force_login(student)
    assert url not in client.get(course.get_absolute_url()).content.decode()


def test_hall_of_fame_shows_a_post_holding_several_awards_once(client, course, award, post):
    other = factories.AwardFactory(course=course, name="Comrade's Corner")
    factories.AwardGrantFactory(award=other, post=post, citation="For the discussion.")
    factories.AwardGrantFactory(award=award, post=post, citation="For the footnotes.")
    response = client.get(reverse("awards:award_detail", args=[course.slug, award.slug]))
    [shown] = response.context["page_obj"].object_list
    assert shown.citation == "For the footnotes."
    assert "For the discussion." not in response.content.decode()
