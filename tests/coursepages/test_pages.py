"""A course's pages and its menu: what the menu shows (course, post and page pages),
the page cache (a page added, renamed, reordered or removed shows at once), query
budgets, the editor, and where pages appear (search, sitemap) and never appear (feeds,
the post stream)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import Course
from coursepages import services
from coursepages.display import build_menu
from coursepages.models import Page
from tests import factories
from tests.helpers import jpeg_upload

pytestmark = pytest.mark.django_db


def get(client, url, expect=None):
    response = client.get(url)
    assert response.status_code == 200, url
    if expect is not None:
        assert response.get("X-Page-Cache") == expect, url
    return response.content.decode()


def menu_of(html):
    """The menu bar's markup (the phone's disclosure repeats the same links)."""
    start = html.index('<ul class="course-menu__bar">')
    return html[start : html.index("</ul>\n  <details", start)]


@pytest.fixture
def menu(course):
    syllabus = factories.PageFactory(course=course, title="Syllabus", order=1)
    schedule = factories.PageFactory(course=course, title="Schedule", order=2)
    factories.PageFactory(course=course, title="Week one", order=1, parent=schedule)
    factories.PageFactory(course=course, title="About", order=3)
    return {"syllabus": syllabus, "schedule": schedule}


# --- The menu ----------------------------------------------------------------------


def test_the_menu_lists_posts_then_pages_in_order_with_children(client, course, menu):
    bar = menu_of(get(client, course.get_absolute_url()))
    positions = [bar.index(f">{title}</a>") for title in ("Posts", "Syllabus", "Schedule", "About")]
    assert positions == sorted(positions)
    assert bar.index("Week one") > bar.index("Schedule") and bar.index("Week one") < bar.index(
        "About"
    )
    assert 'aria-current="page">Posts</a>' in bar  # the course page is the stream


def test_the_menu_is_on_post_pages_and_on_pages_with_the_current_one_marked(
    client, course, menu, student
):
    post = factories.PostFactory(course=course, author=student)
    assert "Syllabus" in menu_of(get(client, post.get_absolute_url()))
    bar = menu_of(get(client, menu["syllabus"].get_absolute_url()))
    assert 'aria-current="page">Syllabus</a>' in bar
    assert 'aria-current="page">Posts' not in bar


def test_the_phone_gets_the_menu_behind_a_disclosure(client, course, menu):
    html = get(client, course.get_absolute_url())
    assert '<details class="course-menu__phone">' in html
    assert '>Course menu <span aria-hidden="true">▾</span></summary>' in html


def test_no_pages_no_menu(client, course):
    assert "course-menu" not in get(client, course.get_absolute_url())


def test_drafts_and_members_only_pages_stay_out_of_a_readers_menu(
    client, course, menu, student, instructor
):
    factories.PageFactory(course=course, title="Unfinished", status="draft", published_at=None)
    factories.PageFactory(course=course, title="Staff room", visibility="members")
    anonymous = menu_of(get(client, course.get_absolute_url()))
    assert "Unfinished" not in anonymous and "Staff room" not in anonymous
    client.force_login(student)
    members = menu_of(get(client, course.get_absolute_url()))
    assert "Staff room" in members and "Unfinished" not in members


@pytest.mark.parametrize("reader", ["anonymous", "outsider", "student", "instructor", "staff"])
def test_the_menus_compiled_query_finds_what_the_pages_rules_find(
    course, menu, student, instructor, outsider, staff, reader
):
    """coursepages.display.menu_pages runs a query compiled once for each kind of reader:
    it finds the pages the queryset of Page's rules (visible_to) finds, in menu order."""
    from django.contrib.auth.models import AnonymousUser

    from coursepages.display import menu_pages

    factories.PageFactory(course=course, title="Unfinished", status="draft", published_at=None)
    factories.PageFactory(course=course, title="Staff room", visibility="members")
    factories.PageFactory(title="Another course's page")
    user = {"anonymous": AnonymousUser(), "outsider": outsider, "student": student}.get(reader)
    user = user or {"instructor": instructor, "staff": staff}[reader]
    expected = Page.objects.for_course(course).published().visible_to(user).in_menu_order()
    found = menu_pages(course, user)
    assert [p.title for p in found] == [p.title for p in expected]
    assert ("Staff room" in [p.title for p in found]) is (
        reader != "anonymous" and reader != "outsider"
    )


def test_menu_titles_are_escaped(client, course):
    factories.PageFactory(course=course, title="<script>alert(1)</script>")
    html = get(client, course.get_absolute_url())
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_child_whose_parent_is_hidden_stands_at_the_top(course):
    parent = factories.PageFactory(course=course, title="Hidden", visibility="members")
    child = factories.PageFactory(course=course, title="Visible", parent=parent)
    top = build_menu(course, [child])
    assert [item.title for item in top] == ["Posts", "Visible"]


# --- The page cache ----------------------------------------------------------------


def test_a_page_is_cached_like_a_post(client, course, menu):
    url = menu["syllabus"].get_absolute_url()
    get(client, url, "miss")
    get(client, url, "hit")


@pytest.mark.parametrize("where", ["course", "post", "page"])
def test_every_menu_change_shows_at_once_on_cached_pages(client, course, menu, student, where):
    post = factories.PostFactory(course=course, author=student)
    url = {
        "course": course.get_absolute_url(),
        "post": post.get_absolute_url(),
        "page": menu["schedule"].get_absolute_url(),
    }[where]
    get(client, url, "miss")
    get(client, url, "hit")
    page = Page(course=course, author=student)
    services.save_page(page=page, action="publish", title="Reading list", slug="", body="x",
                       parent=None, order=9, visibility="public")  # fmt: skip
    assert "Reading list" in menu_of(get(client, url, "miss"))  # added
    get(client, url, "hit")
    services.save_page(page=page, action="update", title="Readings", slug=page.slug, body="x",
                       parent=None, order=0, visibility="public")  # fmt: skip
    bar = menu_of(get(client, url, "miss"))  # renamed and reordered
    assert "Reading list" not in bar and bar.index("Readings") < bar.index("Syllabus")
    services.delete_page(page=Page.objects.get(pk=page.pk))
    assert "Readings" not in menu_of(get(client, url, "miss"))  # removed


def test_editing_a_page_through_the_editor_changes_its_cached_copy(
    client, course, menu, instructor
):
    syllabus = menu["syllabus"]
    get(client, syllabus.get_absolute_url(), "miss")
    get(client, syllabus.get_absolute_url(), "hit")
    editor = type(client)()
    editor.force_login(instructor)
    data = {"title": "Syllabus", "slug": "syllabus", "body": "Four essays now.", "order": 1,
            "visibility": "public", "action": "update"}  # fmt: skip
    assert editor.post(reverse("coursepages:page_edit", args=[course.slug, "syllabus"]), data)
    assert "Four essays now." in get(client, syllabus.get_absolute_url(), "miss")


# --- Query budgets -----------------------------------------------------------------


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"drawn": "1"}).status_code == 200  # another query: not cached
    return len(queries)


@pytest.mark.parametrize("where", ["course", "post"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_a_menu_of_12_pages_costs_what_a_menu_of_1_costs(client, course, student, signed_in, where):
    if signed_in:
        client.force_login(student)
    post = factories.PostFactory(course=course, author=student)
    url = course.get_absolute_url() if where == "course" else post.get_absolute_url()
    schedule = factories.PageFactory(course=course, title="Schedule")
    queries_for(client, url)  # per-process caches warmed (the first post page asks more)
    one = queries_for(client, url)
    for n in range(11):
        factories.PageFactory(course=course, parent=schedule if n % 2 else None)
    assert Page.objects.for_course(course).count() == 12
    assert queries_for(client, url) == one


@pytest.mark.parametrize("pages", [1, 12])
def test_a_page_view_has_a_fixed_budget(
    client, course, student, pages, django_assert_max_num_queries
):
    page = factories.PageFactory(course=course, title="Syllabus")
    for _ in range(pages - 1):
        factories.PageFactory(course=course)
    with django_assert_max_num_queries(3):  # versions, the page with its course, the menu
        get(client, page.get_absolute_url())
    client.force_login(student)
    with django_assert_max_num_queries(6):  # + session, user, the bell's count
        assert client.get(page.get_absolute_url(), {"drawn": "1"}).status_code == 200


# --- The editor ---------------------------------------------------------------------


@pytest.fixture
def editor(client, instructor):
    client.force_login(instructor)
    return client


def new_page(course, **data):
    fields = {"title": "Syllabus", "slug": "", "body": "Four **essays**.", "order": "1",
              "visibility": "public", "action": "publish"}  # fmt: skip
    return {**fields, **data}


def test_an_instructor_publishes_a_page_into_the_menu(editor, course):
    response = editor.post(reverse("coursepages:page_create", args=[course.slug]), new_page(course))
    page = Page.objects.get(course=course)
    assert response.status_code == 302 and response["Location"] == page.get_absolute_url()
    assert page.is_published and page.published_at is not None
    assert page.body_html == "<p>Four <strong>essays</strong>.</p>"
    assert "Syllabus" in menu_of(get(editor, course.get_absolute_url()))


def test_a_draft_stays_out_of_the_menu_and_returns_to_the_editor(editor, course):
    url = reverse("coursepages:page_create", args=[course.slug])
    response = editor.post(url, new_page(course, action="draft"))
    assert response["Location"] == reverse("coursepages:page_edit", args=[course.slug, "syllabus"])
    assert "course-menu" not in get(editor, course.get_absolute_url())


def test_a_rejected_form_keeps_what_was_typed(editor, course):
    url = reverse("coursepages:page_create", args=[course.slug])
    response = editor.post(url, new_page(course, title="", body="Kept **words**"))
    assert response.status_code == 200
    assert "Kept **words**" in response.content.decode()
    assert not Page.objects.exists()


def test_preview_without_script_renders_the_body_and_keeps_the_fields(editor, course):
    url = reverse("coursepages:page_create", args=[course.slug])
    response = editor.post(url, new_page(course, action="preview", title="Typed title"))
    html = response.content.decode()
    assert "<p>Four <strong>essays</strong>.</p>" in html and 'value="Typed title"' in html
    assert not Page.objects.exists()


def test_live_preview_answers_the_stored_html(editor, course):
    url = reverse("coursepages:page_preview", args=[course.slug])
    answer = editor.post(url, {"body": "A *page*\n\n<script>x()</script>"}).json()
    assert answer["html"].startswith("<p>A <em>page</em></p>") and "<script" not in answer["html"]


def test_live_preview_is_refused_to_students(client, course, student):
    client.force_login(student)
    url = reverse("coursepages:page_preview", args=[course.slug])
    assert client.post(url, {"body": "x"}).status_code == 403


def test_pages_nest_one_level_only(editor, course):
    schedule = factories.PageFactory(course=course, title="Schedule")
    week = factories.PageFactory(course=course, title="Week one", parent=schedule)
    url = reverse("coursepages:page_create", args=[course.slug])
    response = editor.post(url, new_page(course, parent=str(week.pk)))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()  # only top-level pages offered
    edit = reverse("coursepages:page_edit", args=[course.slug, schedule.slug])
    other = factories.PageFactory(course=course, title="About")
    response = editor.post(edit, new_page(course, title="Schedule", slug=schedule.slug,
                                          parent=str(other.pk), action="update"))  # fmt: skip
    assert "This page has pages under it" in response.content.decode()
    assert Page.objects.get(pk=schedule.pk).parent is None


def test_reserved_and_taken_addresses_are_refused(editor, course):
    factories.PageFactory(course=course, title="Syllabus")
    url = reverse("coursepages:page_create", args=[course.slug])
    assert "a word of the pages" in editor.post(url, new_page(course, slug="new")).content.decode()
    taken = editor.post(url, new_page(course, slug="syllabus")).content.decode()
    assert "Another page of this course has this address." in taken


def test_a_members_only_course_offers_no_public_page(editor, course):
    course.visibility = Course.Visibility.MEMBERS
    course.save()
    url = reverse("coursepages:page_create", args=[course.slug])
    assert 'value="public"' not in editor.get(url).content.decode()
    refused = editor.post(url, new_page(course, visibility="public"))
    assert refused.status_code == 200 and not Page.objects.exists()
    editor.post(url, new_page(course, visibility="members"))
    assert Page.objects.get().visibility == "members"


def test_deleting_a_page_moves_its_children_to_the_top(editor, course):
    schedule = factories.PageFactory(course=course, title="Schedule")
    week = factories.PageFactory(course=course, title="Week one", parent=schedule)
    response = editor.post(reverse("coursepages:page_delete", args=[course.slug, schedule.slug]))
    assert response.status_code == 302
    assert Page.objects.get(pk=week.pk).parent is None


def test_a_page_body_is_rendered_like_a_post(course):
    page = factories.PageFactory(
        course=course,
        body="Watch:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n<script>x</script>",
    )
    assert '<figure class="embed embed--youtube"' in page.body_html
    assert "<script" not in page.body_html


# --- Where pages appear, and where they never do -------------------------------------


def test_pages_are_never_in_feeds_or_the_post_stream(client, course, student):
    factories.PostFactory(course=course, author=student, title="A real post")
    factories.PageFactory(course=course, title="Syllabus", body="Unique syllabus words.")
    for name in ("blog:course_feed_rss", "blog:course_feed_atom"):
        feed = client.get(reverse(name, args=[course.slug])).content.decode()
        assert "A real post" in feed and "Syllabus" not in feed
    site_feed = client.get(reverse("blog:site_feed_rss")).content.decode()
    assert "Syllabus" not in site_feed
    stream = get(client, course.get_absolute_url())
    assert "Unique syllabus words." not in stream
    posts_section = stream.split('<h2 class="section-title">Posts</h2>')[1]
    assert "A real post" in posts_section and "Syllabus" not in posts_section


def test_search_finds_pages_a_reader_may_read(client, course, student):
    factories.PageFactory(course=course, title="Syllabus", body="Essays on rivers.")
    factories.PageFactory(course=course, title="Staff room", visibility="members",
                          body="Rivers, privately.")  # fmt: skip
    html = client.get(reverse("blog:search"), {"q": "rivers"}).content.decode()
    assert "Course pages for" in html and "Syllabus" in html and "Staff room" not in html
    assert "<mark>rivers</mark>" in html.lower()
    client.force_login(student)
    html = client.get(reverse("blog:course_search", args=[course.slug]), {"q": "rivers"})
    assert "Staff room" in html.content.decode()


def test_search_without_matching_pages_shows_no_pages_section(client, course):
    factories.PageFactory(course=course, title="Syllabus", body="Essays.")
    html = client.get(reverse("blog:search"), {"q": "volcano"}).content.decode()
    assert "Course pages for" not in html


def test_the_sitemap_lists_public_published_pages_of_indexed_courses(client, course):
    factories.PageFactory(course=course, title="Syllabus")
    factories.PageFactory(course=course, title="Staff room", visibility="members")
    factories.PageFactory(course=course, title="Draft", status="draft", published_at=None)
    closed = factories.CourseFactory(slug="hidden", is_indexed=False)
    factories.PageFactory(course=closed, title="Unindexed")
    xml = client.get(reverse("blog:sitemap")).content.decode()
    assert f"/c/{course.slug}/pages/syllabus/" in xml
    for slug in ("staff-room", "draft"):
        assert f"/pages/{slug}/" not in xml
    assert "/c/hidden/pages/" not in xml


def test_an_instructor_finds_the_pages_from_the_course_page(client, course, instructor):
    client.force_login(instructor)
    html = get(client, course.get_absolute_url())
    assert reverse("coursepages:page_list", args=[course.slug]) in html


def test_an_image_is_inserted_into_the_text_without_javascript(editor, course):
    url = reverse("coursepages:page_create", args=[course.slug])
    data = new_page(course, action="insert_image", body="Our river:")
    response = editor.post(url, {**data, "body_image": jpeg_upload()})
    html = response.content.decode()
    assert response.status_code == 200 and not Page.objects.exists()
    assert "Our river:\n\n![Describe this image](/media/courses/" in html
    refused = editor.post(url, {**data, "body_image": jpeg_upload(data=b"not an image")})
    assert refused.status_code == 200 and "Our river:</textarea>" in refused.content.decode()
