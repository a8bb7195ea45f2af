"""Embeds (issue 26, item 5): a provider's link alone on its line becomes a click-to-load
placeholder, resolved at save time (oEmbed from a local fake provider), shown from our
records; without JavaScript a plain link; feeds and emails get the link."""

import pytest
from django.core import mail
from django.urls import reverse

from blog import embeds, fetcher
from blog.models import Embed, Post
from tests import factories
from tests.blog.test_views import editor_data
from tests.notifications.conftest import comment_on

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def publish(client, course, body, **extra):
    return client.post(
        reverse("blog:post_create", args=[course.slug]),
        editor_data(body=body, action="publish", **extra),
        follow=True,
    )


def test_a_youtube_link_alone_on_its_line_becomes_a_placeholder_with_oembed_details(
    client, course, student, fake_youtube
):
    client.force_login(student)
    publish(client, course, f"Watch this:\n\n{VIDEO}\n\nThen write.")
    post = Post.objects.get()
    embed = Embed.objects.get()
    assert (embed.course, embed.url, embed.provider) == (course, VIDEO, "youtube")
    assert embed.title == "Khrushchev's Secret Speech, explained"
    assert embed.author_name == "History Channel"
    html = post.body_html
    assert '<figure class="embed embed--youtube"' in html
    assert f'<a class="embed__link" href="{VIDEO.replace("&", "&amp;")}"' in html
    assert 'data-embed-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "Khrushchev&#x27;s Secret Speech, explained" in html
    assert "<iframe" not in html  # the player loads only when the reader asks
    # The thumbnail was fetched at save time and is served from our storage.
    assert embed.thumbnail["name"].startswith(f"courses/{course.pk}/embeds/")
    thumb = f'src="/media/{embed.thumbnail["name"]}"'
    assert thumb in html
    assert "127.0.0.1" not in html  # nothing of the provider's is shown from the provider
    assert fake_youtube.paths()[0].startswith("/oembed?url=https%3A%2F%2Fwww.youtube.com")


def test_a_page_view_asks_no_provider_anything(client, course, student, fake_youtube, monkeypatch):
    client.force_login(student)
    publish(client, course, VIDEO)
    post = Post.objects.get()
    asked = len(fake_youtube.requests)

    def no_fetching(*args, **kwargs):
        raise AssertionError("a page view fetched something")

    monkeypatch.setattr(fetcher, "fetch", no_fetching)
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert 'class="embed__link"' in response.content.decode()
    assert len(fake_youtube.requests) == asked


def test_a_failed_lookup_still_embeds_from_the_url_pattern_with_the_url_as_title(
    client, course, student, fake_youtube
):
    fake_youtube.route("/oembed", status=500, body=b"down")
    client.force_login(student)
    response = publish(client, course, "https://youtu.be/dQw4w9WgXcQ")
    html = Post.objects.get().body_html
    assert 'data-embed-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert '<span class="embed__title">https://youtu.be/dQw4w9WgXcQ</span>' in html
    assert not Embed.objects.exists()  # asked again at a later save
    assert "shows without its title: the server answered 500" in response.content.decode()


def test_a_provider_without_oembed_embeds_from_its_pattern_alone(client, course, student):
    client.force_login(student)
    url = "https://archive.org/details/night_of_the_living_dead"
    publish(client, course, url)
    html = Post.objects.get().body_html
    assert 'data-embed-player="https://archive.org/embed/night_of_the_living_dead"' in html
    assert Embed.objects.get().title == ""


def test_a_bare_link_that_is_no_providers_becomes_a_plain_link(client, course, student):
    client.force_login(student)
    publish(client, course, "Read:\n\nhttps://example.org/essay_on_thaw\n\nok")
    html = Post.objects.get().body_html
    assert (
        '<p><a href="https://example.org/essay_on_thaw" rel="nofollow ugc noopener">'
        "https://example.org/essay_on_thaw</a></p>"
    ) in html
    assert "embed" not in html


def test_a_providers_link_inside_a_sentence_or_with_words_stays_a_link(client, course, student):
    client.force_login(student)
    publish(client, course, f"See [this talk]({VIDEO}) and {VIDEO} too.\n\n    {VIDEO}")
    html = Post.objects.get().body_html
    assert "embed" not in html
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel=' in html
    assert "<pre><code>" in html  # an indented line is code, not a link


def test_a_link_written_as_html_iframe_is_still_stripped(client, course, student):
    client.force_login(student)
    publish(client, course, '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>')
    assert "iframe" not in Post.objects.get().body_html


def test_the_placeholder_escapes_what_the_provider_answered(course, student, fake_youtube):
    fake_youtube.json("/oembed", {"title": '"><script>alert(1)</script>'})
    embeds.fetch_body_media(
        course=course, user=student, html=f'<p><a href="{VIDEO}">{VIDEO}</a></p>'
    )
    html = embeds.show_media(f'<p><a href="{VIDEO}">{VIDEO}</a></p>', course_id=course.pk)
    assert "<script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html


def test_a_comment_with_a_providers_link_shows_the_placeholder(
    client, post, classmate, fake_youtube
):
    client.force_login(classmate)
    comment_on(client, post, f"Related:\n\n{VIDEO}")
    comment = post.comments.get()
    assert 'class="embed embed--youtube"' in comment.body_html
    assert "Khrushchev" in comment.body_html
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'data-embed-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page


def test_the_comment_email_gets_the_link_not_the_placeholder(
    client, post, classmate, fake_youtube, django_capture_on_commit_callbacks
):
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, VIDEO)
    [message] = mail.outbox
    assert VIDEO in message.body
    assert "Khrushchev" not in message.body
    [(html, _)] = message.alternatives
    assert "embed__link" not in html and "data-embed-player" not in html
    assert VIDEO.replace("&", "&amp;") in html


def test_the_feed_gets_the_link_not_the_placeholder(client, course, student, fake_youtube):
    client.force_login(student)
    publish(client, course, VIDEO)
    client.logout()
    feed = client.get(reverse("blog:course_feed_atom", args=[course.slug])).content.decode()
    assert "embed__link" not in feed and "data-embed-player" not in feed
    assert "youtube.com/watch?v=dQw4w9WgXcQ" in feed


def test_the_excerpt_skips_the_placeholder(client, course, student, fake_youtube):
    client.force_login(student)
    publish(client, course, f"{VIDEO}\n\nMy thoughts on the speech.")
    assert Post.objects.get().summary == "My thoughts on the speech."


def test_an_embed_in_a_members_only_course_is_recorded_for_that_course(
    client, private_course, fake_youtube
):
    member = factories.MembershipFactory(course=private_course, role="student").user
    client.force_login(member)
    publish(client, private_course, VIDEO)
    assert Embed.objects.get().thumbnail["name"].startswith(f"courses/{private_course.pk}/")


@pytest.mark.parametrize("n", [1, 5])
def test_rendering_embeds_costs_one_query_whatever_their_number(
    course, student, django_assert_num_queries, n
):
    links = "".join(
        f'<p><a href="https://youtu.be/dQw4w9WgXc{i}">https://youtu.be/dQw4w9WgXc{i}</a></p>'
        for i in range(n)
    )
    with django_assert_num_queries(1):
        html = embeds.show_media(links, course_id=course.pk)
    assert html.count('class="embed ') == n


def test_the_demo_seeds_a_video_and_an_image_from_the_web_without_network(
    settings, db, monkeypatch
):
    from io import StringIO

    from django.core.management import call_command

    from blog import demo

    def no_network(*args, **kwargs):
        raise AssertionError("the demo asked the network")

    monkeypatch.setattr(fetcher, "fetch", no_network)
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    video = Post.objects.get(title="The 1957 Youth Festival on film")
    assert 'data-embed-player="https://www.youtube-nocookie.com/embed/cP1957Fest0"' in (
        video.body_html
    )
    assert Embed.objects.get(url=demo.DEMO_VIDEO).thumbnail["name"]
    poster = Post.objects.get(title="A festival poster, from the web")
    assert 'class="web-image"' in poster.body_html
    assert "Source: <a" in poster.body_html and ">example.org</a>" in poster.body_html


def test_a_search_snippet_skips_the_placeholder(course, student):
    post = factories.PostFactory(
        course=course, author=student, body=f"{VIDEO}\n\nThe speech was read aloud."
    )
    assert "YouTube" not in post.search_snippet("speech")
    assert "<mark>speech</mark>" in post.search_snippet("speech")
