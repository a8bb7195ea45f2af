import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from blog.models import Course, Membership, Post
from tests import factories
from tests.helpers import editor_data, image_bytes, jpeg_upload, jpeg_with_gps_and_rotation


def h1_count(response):
    return len(re.findall(r"<h1[ >]", response.content.decode()))


# --- Writing ------------------------------------------------------------------


def test_student_saves_a_draft_then_publishes_it(client, course, student):
    client.force_login(student)
    url = reverse("blog:post_create", args=[course.slug])
    response = client.post(url, editor_data(new_topics="Week 4, Samizdat"))
    post = Post.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("blog:post_edit", args=[course.slug, post.slug])
    assert post.status == "draft" and post.published_at is None
    assert post.author == student
    assert "<blockquote>" in post.body_html and "footnote" in post.body_html
    assert sorted(t.name for t in post.topics.all()) == ["Samizdat", "Week 4"]

    edit_url = reverse("blog:post_edit", args=[course.slug, post.slug])
    response = client.post(edit_url, editor_data(action="publish", topics=[]))
    post.refresh_from_db()
    assert response.url == post.get_absolute_url()
    assert post.is_published and post.published_at is not None
    page = client.get(course.get_absolute_url()).content.decode()
    assert "On the Thaw" in page


def test_published_at_is_set_on_first_publish_only_and_slug_stays(client, course, student):
    post = factories.PostFactory(course=course, author=student, title="First title")
    first_published, slug = post.published_at, post.slug
    client.force_login(student)
    edit_url = reverse("blog:post_edit", args=[course.slug, post.slug])
    client.post(edit_url, editor_data(title="A new title", action="unpublish"))
    post.refresh_from_db()
    assert post.status == "draft" and post.slug == slug
    client.post(
        reverse("blog:post_edit", args=[course.slug, slug]),
        editor_data(title="A new title", action="publish"),
    )
    post.refresh_from_db()
    assert post.published_at == first_published
    assert post.slug == slug


def test_draft_slug_follows_its_title_until_published(course, student):
    post = factories.PostFactory(
        course=course, author=student, title="Working title", status="draft", published_at=None
    )
    post.title = "Final title"
    post.save()
    assert post.slug == "final-title"


def test_duplicate_title_gets_a_distinct_slug(course, student):
    first = factories.PostFactory(course=course, author=student, title="Same title")
    second = factories.PostFactory(course=course, author=student, title="Same title")
    other_course = factories.PostFactory(title="Same title")
    assert first.slug == "same-title"
    assert second.slug == "same-title-2"
    assert other_course.slug == "same-title"


def test_featured_image_is_stored_as_renditions_without_metadata(client, course, student):
    client.force_login(student)
    data = editor_data(
        action="publish",
        image_alt="A red square",
        image_caption="Red",
        image_credit="Me",
        image_credit_url="https://example.org/me",
    )
    data["image_upload"] = jpeg_upload(data=jpeg_with_gps_and_rotation())
    client.post(reverse("blog:post_create", args=[course.slug]), data)
    post = Post.objects.get()
    assert [r["width"] for r in post.image_renditions] == [100]  # never upscaled
    for name in [post.image.name] + [r["name"] for r in post.image_renditions]:
        with default_storage.open(name) as stored:
            image = Image.open(stored)
            assert len(image.getexif()) == 0
            assert image.size == (100, 300)
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'alt="A red square"' in page and 'width="100" height="300"' in page
    assert post.image.name not in page  # the original is never linked


def test_large_image_gets_three_renditions_in_srcset(client, course, student):
    client.force_login(student)
    data = editor_data(action="publish", image_alt="Teal")
    data["image_upload"] = jpeg_upload(data=image_bytes(size=(2400, 1200)))
    client.post(reverse("blog:post_create", args=[course.slug]), data)
    post = Post.objects.get()
    assert [r["width"] for r in post.image_renditions] == [400, 800, 1600]
    page = client.get(post.get_absolute_url()).content.decode()
    assert "400w" in page and "800w" in page and "1600w" in page


def test_image_without_alt_text_is_refused_and_the_text_is_kept(client, course, student):
    client.force_login(student)
    data = editor_data(title="Keep me", body="Every word I typed")
    data["image_upload"] = jpeg_upload()
    response = client.post(reverse("blog:post_create", args=[course.slug]), data)
    assert response.status_code == 200
    assert "Describe the image for readers" in response.content.decode()
    assert "Every word I typed" in response.content.decode()
    assert 'value="Keep me"' in response.content.decode()
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not an image at all" * 10, "not an image we can read"),
        (image_bytes("BMP", size=(20, 20)), "Only JPEG, PNG, WebP and GIF"),
    ],
)
def test_fake_or_unsupported_image_is_refused_with_a_clear_message(
    client, course, student, data, message
):
    client.force_login(student)
    form = editor_data(body="My essay", image_alt="x")
    form["image_upload"] = SimpleUploadedFile("photo.jpg", data, "image/jpeg")
    response = client.post(reverse("blog:post_create", args=[course.slug]), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "My essay" in response.content.decode()


def test_preview_without_javascript_renders_and_keeps_everything(client, course, student):
    client.force_login(student)
    response = client.post(
        reverse("blog:post_create", args=[course.slug]),
        editor_data(title="", body="**bold** <script>x()</script>", action="preview"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>bold</strong>" in html
    assert "<script>x()</script>" not in html
    assert "**bold**" in html  # the textarea keeps the Markdown
    assert "This field is required" not in html
    assert not Post.objects.exists()


def test_live_preview_endpoint_uses_the_stored_renderer(client, course, student):
    client.force_login(student)
    response = client.post(
        reverse("blog:post_preview", args=[course.slug]), {"body": "*hi* [^1]\n\n[^1]: x"}
    )
    post = factories.PostFactory(course=course, author=student, body="*hi* [^1]\n\n[^1]: x")
    assert response.json()["html"] == post.body_html


def test_live_preview_refuses_non_members(client, course, outsider):
    client.force_login(outsider)
    response = client.post(reverse("blog:post_preview", args=[course.slug]), {"body": "x"})
    assert response.status_code == 403


def test_insert_image_without_javascript_adds_markdown_to_the_body(client, course, student):
    client.force_login(student)
    data = editor_data(body="Before the picture", action="insert_image")
    data["body_image"] = jpeg_upload()
    response = client.post(reverse("blog:post_create", args=[course.slug]), data)
    html = response.content.decode()
    assert f"Before the picture\n\n![Describe this image](/media/courses/{course.pk}/body/" in html


def test_insert_image_endpoint_answers_with_markdown_or_a_clear_error(client, course, student):
    client.force_login(student)
    url = reverse("blog:body_image_upload", args=[course.slug])
    ok = client.post(url, {"image": jpeg_upload()})
    assert ok.status_code == 201
    assert ok.json()["markdown"].startswith(
        f"![Describe this image](/media/courses/{course.pk}/body/"
    )
    bad = client.post(url, {"image": SimpleUploadedFile("x.jpg", b"nope", "image/jpeg")})
    assert bad.status_code == 400
    assert "not an image" in bad.json()["error"]


def test_student_editing_someone_elses_post_gets_403(client, post, classmate):
    client.force_login(classmate)
    url = reverse("blog:post_edit", args=[post.course.slug, post.slug])
    assert client.post(url, editor_data(action="update")).status_code == 403


def test_instructor_can_unpublish_but_not_delete_a_student_post(client, post, instructor):
    client.force_login(instructor)
    client.post(reverse("blog:post_unpublish", args=[post.course.slug, post.slug]))
    post.refresh_from_db()
    assert not post.is_published
    response = client.post(reverse("blog:post_delete", args=[post.course.slug, post.slug]))
    assert response.status_code == 403


def test_author_deletes_with_a_confirmation_page(client, post, student):
    client.force_login(student)
    url = reverse("blog:post_delete", args=[post.course.slug, post.slug])
    assert "Delete “A published post”?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()


# --- Courses and joining ---------------------------------------------------------


def test_student_joins_with_the_code(client, course, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("blog:course_join"),
        {"code": course.join_code.lower()[:4] + " " + course.join_code[4:]},
    )
    assert response.url == course.get_absolute_url()
    assert course.role_of(outsider) == "student"


def test_wrong_join_code_is_a_clear_form_error(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("blog:course_join"), {"code": "NOPE1234"})
    assert response.status_code == 200
    assert "No course has this code" in response.content.decode()


def test_course_page_offers_joining_to_signed_in_non_members_only(
    client, course, outsider, student
):
    client.force_login(outsider)
    assert "Join this course" in client.get(course.get_absolute_url()).content.decode()
    client.force_login(student)
    assert "Join this course" not in client.get(course.get_absolute_url()).content.decode()


def test_instructor_regenerates_the_join_code(client, course, instructor, student):
    old = course.join_code
    url = reverse("blog:course_join_code_regenerate", args=[course.slug])
    client.force_login(student)
    assert client.post(url).status_code == 403
    client.force_login(instructor)
    client.post(url)
    course.refresh_from_db()
    assert course.join_code != old


def test_staff_creates_a_course_and_becomes_its_instructor(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("blog:course_create"),
        {
            "title": "Modern Europe",
            "term": "Fall",
            "description": "",
            "visibility": "public",
            "guest_comments": "off",
            "thread_depth": 5,
            "citation_style": "apa",
        },
    )
    course = Course.objects.get(title="Modern Europe")
    assert response.url == course.get_absolute_url()
    assert Membership.objects.get(course=course).role == "instructor"


def test_student_may_not_create_a_course(client, student):
    client.force_login(student)
    assert client.get(reverse("blog:course_create")).status_code == 403


def test_course_thread_depth_out_of_range_is_a_form_error(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("blog:course_create"),
        {"title": "X", "visibility": "public", "guest_comments": "off", "thread_depth": 50},
    )
    assert response.status_code == 200
    assert "from 1 to 10" in response.content.decode()


# --- Pages ---------------------------------------------------------------------


def test_unknown_course_and_post_are_404(client, course):
    assert client.get("/c/no-such-course/").status_code == 404
    assert client.get(f"/c/{course.slug}/no-such-post/").status_code == 404


def test_pages_have_a_title_one_h1_and_breadcrumbs(client, post, student):
    topic = factories.TopicFactory(course=post.course, name="Week 1")
    post.topics.add(topic)
    client.force_login(student)
    urls = [
        post.get_absolute_url(),
        post.course.get_absolute_url(),
        topic.get_absolute_url(),
        reverse("blog:author_posts", args=[post.course.slug, student.username]),
        reverse("blog:post_edit", args=[post.course.slug, post.slug]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert h1_count(response) == 1, url
        assert 'aria-label="Breadcrumb"' in response.content.decode(), url
        assert "<title>" in response.content.decode()


def test_home_shows_my_courses_and_public_posts(client, post, student):
    hidden = factories.CourseFactory(visibility="members", title="Hidden seminar")
    factories.PostFactory(course=hidden, title="Private thoughts")
    anonymous = client.get(reverse("home")).content.decode()
    assert "A published post" in anonymous and "Private thoughts" not in anonymous
    client.force_login(student)
    mine = client.get(reverse("home")).content.decode()
    assert "Your courses" in mine and "History 101" in mine


def test_my_posts_lists_drafts_and_published(client, course, student):
    factories.PostFactory(course=course, author=student, title="Finished")
    factories.PostFactory(
        course=course, author=student, title="Unfinished", status="draft", published_at=None
    )
    client.force_login(student)
    html = client.get(reverse("blog:my_posts")).content.decode()
    assert "Finished" in html and "Unfinished" in html and "Draft" in html


def test_course_page_paginates_ten_newest_first(client, course, student):
    for n in range(12):
        factories.PostFactory(course=course, author=student, title=f"Entry {n:02d}")
    first = client.get(course.get_absolute_url()).content.decode()
    assert "Entry 11" in first and "Entry 02" in first and "Entry 01" not in first
    assert "Entry 11" in first[: first.index("Entry 10")]
    second = client.get(course.get_absolute_url() + "?page=2").content.decode()
    assert "Entry 01" in second and "Entry 00" in second
    assert client.get(course.get_absolute_url() + "?page=zzz").status_code == 200


def test_topic_and_author_pages_list_their_posts(client, course, student, classmate):
    topic = factories.TopicFactory(course=course, name="Samizdat")
    mine = factories.PostFactory(course=course, author=student, title="About samizdat")
    mine.topics.add(topic)
    factories.PostFactory(course=course, author=classmate, title="Something else")
    topic_page = client.get(topic.get_absolute_url()).content.decode()
    assert "About samizdat" in topic_page and "Something else" not in topic_page
    author_page = client.get(
        reverse("blog:author_posts", args=[course.slug, classmate.username])
    ).content.decode()
    assert "Something else" in author_page and "About samizdat" not in author_page


def test_card_lists_under_the_page_title_use_h2_for_post_titles(client, course, student):
    """Headings don't skip a level (h1 to h3) on pages whose first list is the posts."""
    topic = factories.TopicFactory(course=course, name="Samizdat")
    post = factories.PostFactory(course=course, author=student, title="About samizdat")
    post.topics.add(topic)
    award = factories.AwardFactory(course=course)
    factories.AwardGrantFactory(award=award, post=post)
    client.force_login(student)
    month = post.published_at
    for url in [
        award.get_absolute_url(),  # the hall of fame
        topic.get_absolute_url(),
        reverse("blog:author_posts", args=[course.slug, student.username]),
        reverse("blog:my_posts"),
        reverse("blog:course_archive", args=[course.slug, month.year, month.month]),
    ]:
        content = client.get(url).content.decode()
        assert '<h2 class="post-card__title">' in content, url
        assert "<h3" not in content.split('class="post-card__title"')[0], url


# --- Speed -----------------------------------------------------------------------


def make_posts(course, count):
    authors = [factories.MembershipFactory(course=course).user for _ in range(3)]
    topics = [factories.TopicFactory(course=course) for _ in range(3)]
    for n in range(count):
        post = factories.PostFactory(
            course=course,
            author=authors[n % 3],
            image_renditions=[{"width": 400, "height": 225, "name": f"posts/x{n}-400.webp"}],
        )
        post.topics.set(topics[: n % 4])
    return Post.objects.filter(course=course).first()


@pytest.mark.parametrize("count", [3, 30])
def test_course_page_query_count_is_constant(
    client, course, student, count, django_assert_max_num_queries
):
    make_posts(course, count)
    client.force_login(student)
    with django_assert_max_num_queries(10):  # 9, and the course menu's pages (coursepages)
        assert client.get(course.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_post_page_query_count_is_constant(
    client, course, student, count, django_assert_max_num_queries
):
    post = make_posts(course, count)
    client.force_login(student)
    with django_assert_max_num_queries(10):
        assert client.get(post.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_home_and_list_pages_query_counts_are_constant(
    client, course, student, count, django_assert_max_num_queries
):
    post = make_posts(course, count)
    topic = post.course.topics.first()
    client.force_login(student)
    for url in [
        reverse("home"),
        reverse("blog:my_posts"),
        topic.get_absolute_url(),
        reverse("blog:author_posts", args=[course.slug, post.author.username]),
    ]:
        with django_assert_max_num_queries(11):  # 10, and the header bell's unread count
            assert client.get(url).status_code == 200


def test_uploaded_gif_keeps_working(client, course, student):
    client.force_login(student)
    buffer = io.BytesIO()
    Image.new("P", (500, 300)).save(buffer, format="GIF")
    data = editor_data(action="publish", image_alt="A gif")
    data["image_upload"] = SimpleUploadedFile("a.gif", buffer.getvalue(), "image/gif")
    client.post(reverse("blog:post_create", args=[course.slug]), data)
    assert Post.objects.get().image_renditions[0]["width"] == 400


def test_home_does_not_repeat_my_courses_posts_under_other_open_courses(client, post, student):
    factories.PostFactory(title="Elsewhere entirely")
    client.force_login(student)
    html = client.get(reverse("home")).content.decode()
    assert html.count("A published post") == 1
    assert "From other open courses" in html and "Elsewhere entirely" in html


def test_home_does_not_repeat_a_members_courses_under_open_courses(client, course, student):
    other = factories.CourseFactory(title="Modern Europe", slug="modern-europe")
    client.force_login(student)
    response = client.get(reverse("home"))
    assert [c.slug for c in response.context["public_courses"]] == [other.slug]
    assert [c.slug for c in response.context["my_courses"]] == [course.slug]
