import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from references.services import save_reference
from tests import factories
from tests.references.conftest import BOOK


@pytest.fixture
def post(course, student):
    return factories.PostFactory(
        course=course, author=student, title="Thaw", body="As Cohen argues [@cohen1985, p. 16]."
    )


def test_the_post_page_ends_its_body_with_the_references(client, post):
    save_reference(post=post, values=BOOK)
    html = client.get(post.get_absolute_url()).content.decode()
    body_end = html.index('<section class="references" id="references"')
    assert html.index("(Cohen, 1985, p. 16)") < body_end < html.index('id="post-likes"')
    assert '<li id="ref-cohen1985" class="hanging-indent">Cohen, S. F. (1985).' in html
    assert "Manage references" not in html  # for those who may edit the post


def test_a_post_without_references_has_no_section(client, post):
    assert 'id="references"' not in client.get(post.get_absolute_url()).content.decode()


def test_the_author_gets_a_link_to_manage_references(client, post, student):
    save_reference(post=post, values=BOOK)
    client.force_login(student)
    assert "Manage references" in client.get(post.get_absolute_url()).content.decode()


def test_references_cost_the_post_page_no_query(client, course, student):
    plain = factories.PostFactory(course=course, author=student, body="No citations.")
    cited = factories.PostFactory(course=course, author=student, body="See [@k0].")
    for n in range(12):
        save_reference(post=cited, values={**BOOK, "key": f"k{n}", "title": f"Work {n}"})
    client.force_login(student)  # signed in: no page cache
    counts = []
    for post in (plain, cited):
        client.get(post.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(post.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert response.content.decode().count('class="hanging-indent"') == 12


# --- the editor: unknown keys are flagged in the preview and refused on publish ---


def _editor(post):
    return reverse("blog:post_edit", args=[post.course.slug, post.slug])


def _data(post, action, body):
    return {"title": post.title, "body": body, "action": action, "references-shown": "True"}


def test_publishing_a_text_that_cites_an_unknown_key_is_refused_and_keeps_the_text(
    client, course, student
):
    draft = factories.PostFactory(
        course=course, author=student, status="draft", published_at=None, body="Draft."
    )
    save_reference(post=draft, values=BOOK)
    client.force_login(student)
    body = "Typed words [@cohen1985] and [@nobody2020, p. 3]."
    response = client.post(_editor(draft), _data(draft, "publish", body))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not published: your text cites [@nobody2020]" in html
    assert "Typed words [@cohen1985] and [@nobody2020, p. 3]." in html
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.body == "Draft."


def test_a_draft_may_cite_an_unknown_key_and_shows_it_flagged(client, course, student):
    draft = factories.PostFactory(
        course=course, author=student, status="draft", published_at=None, body="Draft."
    )
    client.force_login(student)
    response = client.post(_editor(draft), _data(draft, "draft", "Later [@someday]."))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert '<mark class="citation-unknown">[@someday]</mark>' in draft.body_html


def test_updating_a_published_post_checks_its_citations_too(client, post, student):
    client.force_login(student)
    response = client.post(_editor(post), _data(post, "update", "Now [@ghost]."))
    assert "Not published: your text cites [@ghost]" in response.content.decode()


def test_the_live_preview_renders_citations_and_flags_unknown_keys(client, post, student):
    save_reference(post=post, values=BOOK)
    client.force_login(student)
    url = reverse("blog:post_preview", args=[post.course.slug]) + f"?post={post.slug}"
    html = client.post(url, {"body": "See [@cohen1985] and [@ghost]."}).json()["html"]
    assert '<a class="citation" href="#ref-cohen1985">(Cohen, 1985)</a>' in html
    assert '<mark class="citation-unknown">[@ghost]</mark>' in html


def test_the_preview_ignores_a_post_the_writer_may_not_edit(client, post, classmate):
    save_reference(post=post, values=BOOK)
    client.force_login(classmate)
    url = reverse("blog:post_preview", args=[post.course.slug]) + f"?post={post.slug}"
    html = client.post(url, {"body": "See [@cohen1985]."}).json()["html"]
    assert "Cohen, 1985" not in html and "citation-unknown" in html


def test_the_preview_without_javascript_flags_unknown_keys(client, post, student):
    client.force_login(student)
    response = client.post(_editor(post), _data(post, "preview", "See [@ghost]."))
    assert '<mark class="citation-unknown">[@ghost]</mark>' in response.content.decode()


def test_the_editor_lists_the_keys_to_cite(client, post, student):
    save_reference(post=post, values=BOOK)
    client.force_login(student)
    html = client.get(_editor(post)).content.decode()
    assert "<code>[@cohen1985]</code>" in html and "Edit, reorder or remove references" in html


def test_the_course_page_links_to_its_bibliography(client, course):
    html = client.get(course.get_absolute_url()).content.decode()
    assert reverse("references:bibliography", args=[course.slug]) in html


def test_a_change_to_the_references_shows_to_the_next_anonymous_reader(client, post):
    first = save_reference(post=post, values=BOOK)
    second = save_reference(post=post, values={**BOOK, "key": "b2", "title": "Second work"})
    client.get(post.get_absolute_url())  # now cached for anonymous readers
    assert client.get(post.get_absolute_url()).headers.get("X-Page-Cache") == "hit"
    from references.services import delete_reference, move_reference

    move_reference(reference=second, up=True)
    html = client.get(post.get_absolute_url()).content.decode()
    assert html.index("Second work") < html.index("Rethinking the Soviet")
    delete_reference(reference=first)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Rethinking the Soviet" not in html.split('id="references"')[1]


def test_instructors_see_each_responses_references_on_the_assignment_page(
    client, course, student, instructor
):
    from datetime import timedelta

    from django.utils import timezone

    from assignments import services as assignments

    now = timezone.now()
    assignment = assignments.create_assignment(
        course=course,
        title="Week 4",
        prompt="Answer.",
        opens_at=now - timedelta(days=2),
        due_at=now + timedelta(days=2),
    )
    response = factories.PostFactory(course=course, author=student, title="My answer")
    assignments.submit(assignment=assignment, post=response)
    save_reference(post=response, values=BOOK)  # printed: needs no URL
    save_reference(post=response, values={**BOOK, "key": "w", "kind": "webpage"})
    client.force_login(instructor)
    url = reverse("assignments:assignment_detail", args=[course.slug, assignment.slug])
    html = client.get(url).content.decode()
    assert '<th scope="col">References</th>' in html
    assert "<td>2 (1 missing a date or web URL)</td>" in html


@pytest.mark.parametrize(
    "markdown",
    [
        # An image of our own: one from the web is fetched at save time, and one that
        # can't be fetched becomes a link whose words are text (blog/embeds.py).
        '![alt [@cohen1985]](/media/courses/1/body/i.png "title [@cohen1985]")',
        "[text](http://x/[@cohen1985])",
    ],
)
def test_citations_are_recognised_in_text_only_never_inside_a_tag(course, student, markdown):
    from html.parser import HTMLParser

    post = factories.PostFactory(
        course=course, author=student, body=f"{markdown} As Cohen argues [@cohen1985, p. 16]."
    )
    save_reference(post=post, values=BOOK)
    post.refresh_from_db()
    html = post.body_html
    assert "(Cohen, 1985, p. 16)</a>" in html  # the one in the text is a citation
    assert html.count('class="citation"') == 1
    assert "[@cohen1985]" in html  # the attribute keeps its words

    class Tags(HTMLParser):
        seen = []

        def handle_starttag(self, tag, attrs):
            self.seen.append((tag, dict(attrs)))

    parser = Tags()
    parser.feed(html)
    values = [value or "" for _tag, attrs in parser.seen for value in attrs.values()]
    assert not [value for value in values if "<" in value or "Cohen" in value]
    assert [value for value in values if "[@cohen1985]" in value]
