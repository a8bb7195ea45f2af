"""Images from the web (issue 26, item 6): fetched once at save time through the one
fetcher, checked like an upload, stored and served by us with their source; a failure
keeps the link and tells the author why. And the preview (item 7) shows them, and
embeds, exactly as saving stores them."""

import time

import pytest
from django.urls import reverse

from blog import embeds
from blog.models import BodyImage, Post
from tests.blog.fakeweb import Answer, image_bytes
from tests.blog.test_embeds import VIDEO, publish
from tests.blog.test_views import editor_data


def preview(client, course, body):
    return client.post(reverse("blog:post_preview", args=[course.slug]), {"body": body}).json()


def test_an_image_from_the_web_is_stored_and_served_from_our_storage_with_its_source(
    client, course, student, fake_web
):
    url = fake_web.image("/photos/thaw.png", image_bytes("PNG", size=(1200, 600)))
    client.force_login(student)
    publish(client, course, f"![Moscow in 1956]({url})")
    image = BodyImage.objects.get()
    assert (image.course, image.uploaded_by, image.source_url) == (course, student, url)
    rendition = image.body_rendition
    assert (rendition["width"], rendition["height"]) == (800, 400)
    assert rendition["name"].startswith(f"courses/{course.pk}/body/")
    assert rendition["name"].endswith(".webp")  # re-encoded, not the bytes fetched
    html = Post.objects.get().body_html
    assert (
        f'<img src="/media/{rendition["name"]}" alt="Moscow in 1956" width="800" height="400"'
    ) in html
    assert f'Source: <a href="{url}" rel="nofollow ugc noopener">127.0.0.1</a>' in html
    assert f'src="{url}"' not in html
    assert fake_web.paths() == ["/photos/thaw.png"]


def test_the_excerpt_has_the_words_of_the_post_not_the_image_s_source_credit(
    client, course, student, fake_web
):
    url = fake_web.image("/photos/thaw.png", image_bytes("PNG", size=(1200, 600)))
    client.force_login(student)
    publish(client, course, f"A poster from an archive.\n\n![Poster]({url})\n\nCompare it.")
    post = Post.objects.get()
    assert "Source:" in post.body_html
    assert post.summary == "A poster from an archive. Compare it."


def test_an_image_is_fetched_once_for_every_later_save_and_view(client, course, student, fake_web):
    url = fake_web.image("/a.png")
    client.force_login(student)
    publish(client, course, f"![A]({url})")
    post = Post.objects.get()
    client.post(
        reverse("blog:post_edit", args=[course.slug, post.slug]),
        editor_data(body=f"![A]({url})\n\nMore.", action="update"),
    )
    client.get(post.get_absolute_url())
    assert fake_web.paths() == ["/a.png"]
    assert BodyImage.objects.count() == 1


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (Answer(body=b"<html>hello</html>", content_type="text/html"), "It is not an image."),
        (
            Answer(body=b"%PDF-1.4 not a picture" * 50, content_type="image/png"),
            "not an image we can read",
        ),
        (
            Answer(body=image_bytes("BMP", size=(40, 40)), content_type="image/bmp"),
            "Only JPEG, PNG, WebP and GIF",
        ),
        (  # a decompression bomb: a small file claiming 10,000 x 10,000 pixels
            Answer(
                body=image_bytes("PNG", size=(10_000, 10_000), mode="1"), content_type="image/png"
            ),
            "40 megapixels",
        ),
        (Answer(body=b"x" * (10 * 1024 * 1024 + 1), content_type="image/png"), "larger than 10 MB"),
        (Answer(status=404, body=b"gone"), "the server answered 404"),
        (Answer(body=image_bytes("PNG")[:200], content_type="image/png"), "damaged or incomplete"),
    ],
)
def test_a_refused_image_stays_a_link_and_the_author_is_told_why(
    client, course, student, fake_web, answer, reason
):
    url = fake_web.route("/img", answer)
    client.force_login(student)
    response = publish(client, course, f"![The square]({url})")
    assert reason in response.content.decode()
    html = Post.objects.get().body_html
    assert (
        f'<a href="{url}" rel="nofollow ugc noopener">The square (image at 127.0.0.1)</a>' in html
    )
    assert "<img" not in html
    assert not BodyImage.objects.exists()


def test_an_image_on_a_private_address_is_never_fetched(client, course, student, fake_web):
    client.force_login(student)
    response = publish(client, course, "![Cloud](http://169.254.169.254/latest/meta-data/x.png)")
    assert "is not a public address on the internet" in response.content.decode()
    assert "<img" not in Post.objects.get().body_html


def test_a_redirect_to_a_private_address_is_refused_for_an_image(client, course, student, fake_web):
    url = fake_web.redirect("/img", "http://10.0.0.7/inside.png")
    client.force_login(student)
    json = preview(client, course, f"![x]({url})")
    assert any("not a public address" in problem for problem in json["problems"])
    assert "<img" not in json["html"]


def test_the_live_preview_fetches_and_shows_the_image_and_the_embed_as_saving_will(
    client, course, student, fake_youtube
):
    url = fake_youtube.image("/p.png")
    body = f"Intro\n\n{VIDEO}\n\n![Square]({url})"
    client.force_login(student)
    json = preview(client, course, body)
    assert json["problems"] == []
    assert 'class="embed embed--youtube"' in json["html"] and "Khrushchev" in json["html"]
    assert 'class="web-image"' in json["html"]
    publish(client, course, body)
    assert Post.objects.get().body_html == json["html"]
    assert len(fake_youtube.requests) == 3  # oEmbed, thumbnail, image: each once


def test_the_preview_without_javascript_shows_them_and_the_problems(
    client, course, student, fake_youtube
):
    ok = fake_youtube.image("/ok.png")
    bad = fake_youtube.route("/bad", body=b"nope", content_type="text/plain")
    body = f"{VIDEO}\n\n![Fine]({ok})\n\n![Broken]({bad})"
    client.force_login(student)
    response = client.post(
        reverse("blog:post_create", args=[course.slug]), editor_data(body=body, action="preview")
    )
    page = response.content.decode()
    assert 'class="embed embed--youtube"' in page and 'class="web-image"' in page
    assert f"The image {bad} was refused: It is not an image." in page
    assert "Broken (image at 127.0.0.1)" in page
    assert not Post.objects.exists()
    publish(client, course, body)
    stored = Post.objects.get().body_html
    assert stored in page  # the preview showed exactly what was stored


def test_a_failed_image_is_not_asked_again_by_every_keystroke_of_the_preview(
    client, course, student, fake_web
):
    url = fake_web.route("/slowly-broken", status=503, body=b"busy")
    client.force_login(student)
    for words in ("a", "ab", "abc"):
        json = preview(client, course, f"![x]({url})\n\n{words}")
        assert "the server answered 503" in json["problems"][0]
    assert fake_web.paths() == ["/slowly-broken"]


def test_an_image_of_the_site_itself_is_left_alone(course, student):
    html = '<p><img alt="x" src="/media/courses/1/body/a.webp"></p>'
    assert embeds.fetch_body_media(course=course, user=student, html=html) == []
    assert embeds.show_media(html, course_id=course.pk) == html


def test_slow_addresses_hold_a_save_for_the_time_budget_at_most(
    course, student, fake_web, monkeypatch
):
    monkeypatch.setattr(embeds, "TIME_BUDGET", 0.8)
    first = fake_web.route(
        "/slow1", Answer(body=b"x" * 100, dribble=0.05, content_type="image/png")
    )
    second = fake_web.route("/slow2", Answer(body=b"x" * 100, dribble=0.05))
    html = f'<p><img alt="" src="{first}"><img alt="" src="{second}"></p>'
    started = time.monotonic()
    problems = embeds.fetch_body_media(course=course, user=student, html=html)
    assert time.monotonic() - started < 2.0
    assert "the server was too slow" in problems[0]
    assert problems[1] == f"{second} was not fetched yet (too many at once); save again."
    assert fake_web.paths() == ["/slow1"]


def test_an_image_served_as_octet_stream_is_judged_by_its_bytes(course, student, fake_web):
    url = fake_web.image("/x", content_type="application/octet-stream")
    html = f'<p><img alt="" src="{url}"></p>'
    assert embeds.fetch_body_media(course=course, user=student, html=html) == []
    assert BodyImage.objects.get().source_url == url
