import pytest
from django.urls import reverse

from references.models import Reference
from references.services import save_reference
from tests import factories
from tests.references.conftest import BOOK


def _list(post):
    return reverse("references:reference_list", args=[post.course.slug, post.slug])


def _form(**changes):
    data = {
        "kind": "book",
        "authors_text": "Cohen, Stephen F.",
        "title": "Rethinking the Soviet experience",
        "container_title": "",
        "issued": "1985",
        "publisher": "Oxford University Press",
        "key": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def post(course, student):
    return factories.PostFactory(
        course=course, author=student, title="Thaw", body="As Cohen argues [@cohen1985, p. 16]."
    )


# --- who may manage a post's references: as for editing the post ---


@pytest.mark.parametrize(
    ("actor", "status"),
    [("student", 200), ("instructor", 200), ("staff", 200), ("classmate", 403), ("outsider", 403)],
)
def test_managing_references_is_for_those_who_may_edit_the_post(
    request, client, post, actor, status
):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(_list(post)).status_code == status
    response = client.post(_list(post), _form())
    assert response.status_code == (302 if status == 200 else 403)
    assert Reference.objects.count() == (1 if status == 200 else 0)


def test_anonymous_readers_are_sent_to_sign_in(client, post):
    response = client.get(_list(post))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_members_only_course_hides_references_from_outsiders(client, private_course, outsider):
    author = factories.MembershipFactory(course=private_course).user
    hidden = factories.PostFactory(course=private_course, author=author)
    save_reference(post=hidden, values=BOOK)
    client.force_login(outsider)
    assert client.get(_list(hidden)).status_code == 404
    export = reverse("references:reference_export", args=[private_course.slug, hidden.slug, "bib"])
    assert client.get(export).status_code == 404
    bibliography = reverse("references:bibliography", args=[private_course.slug])
    assert client.get(bibliography).status_code == 404


# --- adding, editing, moving, removing ---


def test_adding_a_reference_renders_it_and_its_citation_in_the_post(client, post, student):
    client.force_login(student)
    response = client.post(_list(post), _form())
    reference = Reference.objects.get()
    assert response["Location"].endswith("#ref-cohen1985")
    assert reference.key == "cohen1985"  # made from the first author and the year
    assert reference.html.startswith("Cohen, S. F. (1985). <i>Rethinking")
    post.refresh_from_db()
    assert '<a class="citation" href="#ref-cohen1985">(Cohen, 1985, p. 16)</a>' in post.body_html


def test_a_rejected_reference_keeps_what_was_typed(client, post, student):
    client.force_login(student)
    response = client.post(
        _list(post), _form(issued="spring 85", url="javascript:alert(1)", title="Kept title")
    )
    assert response.status_code == 200
    assert Reference.objects.count() == 0
    html = response.content.decode()
    assert "Write the date as a year" in html and "Enter an http or https address." in html
    assert 'value="Kept title"' in html and 'value="spring 85"' in html


def test_a_key_is_unique_in_its_post(client, post, student):
    save_reference(post=post, values=BOOK)
    client.force_login(student)
    response = client.post(_list(post), _form(key="cohen1985"))
    assert "This post already has a reference [@cohen1985]." in response.content.decode()


def test_editing_a_reference_re_renders_entry_and_citations(client, post, student):
    reference = save_reference(post=post, values=BOOK)
    client.force_login(student)
    url = reverse("references:reference_edit", args=[post.course.slug, post.slug, reference.pk])
    response = client.post(url, _form(key="cohen1985", authors_text="Cohn, Stephen", issued="1986"))
    assert response.status_code == 302
    reference.refresh_from_db()
    post.refresh_from_db()
    assert reference.html.startswith("Cohn, S. (1986).")
    assert "(Cohn, 1986, p. 16)" in post.body_html


def test_references_are_reordered_and_removed(client, post, student):
    first = save_reference(post=post, values=BOOK)
    second = save_reference(post=post, values={**BOOK, "key": "b2", "title": "Second"})
    client.force_login(student)
    move = reverse("references:reference_move", args=[post.course.slug, post.slug, second.pk])
    client.post(move, {"direction": "up"})
    assert list(Reference.objects.for_post(post).values_list("key", flat=True)) == [
        "b2",
        "cohen1985",
    ]
    delete = reverse("references:reference_delete", args=[post.course.slug, post.slug, first.pk])
    client.post(delete)
    assert list(Reference.objects.for_post(post).values_list("key", "position")) == [("b2", 1)]
    post.refresh_from_db()
    assert '<mark class="citation-unknown">[@cohen1985, p. 16]</mark>' in post.body_html


def test_classmates_cannot_remove_someone_elses_reference(client, post, classmate):
    reference = save_reference(post=post, values=BOOK)
    client.force_login(classmate)
    url = reverse("references:reference_delete", args=[post.course.slug, post.slug, reference.pk])
    assert client.post(url).status_code == 403
    assert Reference.objects.filter(pk=reference.pk).exists()


# --- pasting BibTeX or RIS ---


def test_pasting_bibtex_adds_references(client, post, student):
    client.force_login(student)
    text = "@book{cohen1985, author={Cohen, Stephen F.}, title={Rethinking}, year={1985}}"
    response = client.post(_list(post), {"paste": "1", "text": text}, follow=True)
    assert "Added 1 reference(s): cite them as [@cohen1985]." in response.content.decode()
    assert Reference.objects.get().authors == [{"family": "Cohen", "given": "Stephen F."}]


def test_malformed_paste_shows_field_errors_and_keeps_the_text(client, post, student):
    client.force_login(student)
    text = "@article{bad1, title={A title}, year={85x}, url={ftp://example.org/x}}"
    response = client.post(_list(post), {"paste": "1", "text": text})
    html = response.content.decode()
    assert response.status_code == 200 and Reference.objects.count() == 0
    assert "bad1, url: Enter an http or https address." in html
    assert "ftp://example.org/x" in html  # the pasted text is still in the box


# --- export, bibliography, checks ---


def test_export_as_bibtex_and_ris(client, post):
    save_reference(post=post, values=BOOK)
    bib = client.get(
        reverse("references:reference_export", args=[post.course.slug, post.slug, "bib"])
    )
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert "@book{cohen1985," in bib.content.decode()
    ris = client.get(
        reverse("references:reference_export", args=[post.course.slug, post.slug, "ris"])
    )
    assert "TY  - BOOK" in ris.content.decode()
    other = reverse("references:reference_export", args=[post.course.slug, post.slug, "xml"])
    assert client.get(other).status_code == 404


def test_the_course_bibliography_lists_each_work_once_with_its_posts(client, course, post):
    other = factories.PostFactory(course=course, title="Later")
    save_reference(post=post, values=BOOK)
    save_reference(post=other, values={**BOOK, "key": "c85"})
    draft = factories.PostFactory(course=course, status="draft", published_at=None, title="Secret")
    save_reference(post=draft, values={**BOOK, "key": "d", "title": "Only in a draft"})
    response = client.get(reverse("references:bibliography", args=[course.slug]))
    html = response.content.decode()
    assert html.count("Rethinking the Soviet experience") == 1
    assert "Thaw" in html and "Later" in html
    assert "Only in a draft" not in html and "Secret" not in html
    assert "References by post" not in html  # the checks are for instructors


def test_instructors_see_which_references_lack_a_url_or_date(client, course, post, instructor):
    save_reference(post=post, values={**BOOK, "issued": ""})
    client.force_login(instructor)
    html = client.get(reverse("references:bibliography", args=[course.slug])).content.decode()
    assert "References by post" in html
    assert "<code>[@cohen1985]</code> (no URL, no date)" in html


@pytest.mark.parametrize("count", [1, 8])
def test_the_bibliography_page_runs_constant_queries(
    client, course, student, instructor, count, django_assert_max_num_queries
):
    for n in range(count):
        post = factories.PostFactory(course=course, author=student)
        save_reference(post=post, values={**BOOK, "key": f"k{n}", "title": f"Work {n}"})
    client.force_login(instructor)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("references:bibliography", args=[course.slug]))
    assert response.content.decode().count("Work ") >= count


def test_changing_the_course_style_re_renders_its_posts(course, post):
    save_reference(post=post, values=BOOK)
    course.citation_style = "mla"
    course.save()
    reference = Reference.objects.get()
    post.refresh_from_db()
    assert reference.html.startswith("Cohen, Stephen F. <i>Rethinking")
    assert "(Cohen 16)" in post.body_html


WEB = {"key": "w", "kind": "webpage", "title": "A site", "issued": "2020"}


def test_participation_counts_references_and_incomplete_ones(client, course, post, instructor):
    save_reference(post=post, values=BOOK)  # printed, no URL: complete
    save_reference(post=post, values={**WEB, "url": "https://example.org/w"})
    save_reference(post=post, values={**WEB, "key": "nourl"})  # a web page needs its URL
    save_reference(post=post, values={**BOOK, "key": "undated", "issued": ""})
    client.force_login(instructor)
    url = reverse("blog:course_participation", args=[course.slug]) + "?period=term&format=csv"
    rows = client.get(url).content.decode().splitlines()
    header = rows[0].split(",")
    student_row = next(row for row in rows if ",stu," in row).split(",")
    assert student_row[header.index("References")] == "4"
    assert student_row[header.index("References missing a date or web URL")] == "2"


def test_a_reference_can_be_the_featured_images_credit(course, post):
    save_reference(
        post=post,
        values={
            **BOOK,
            "key": "photo",
            "kind": "graphic",
            "authors": [{"family": "Rodchenko", "given": "Alexander"}],
            "title": "Pioneer with a trumpet & drum",
            "issued": "1930",
            "url": "https://example.org/pioneer",
            "is_image_credit": True,
        },
    )
    post.refresh_from_db()
    assert post.image_credit.startswith("Rodchenko, A. (1930). Pioneer with a trumpet & drum")
    assert post.image_credit_url == "https://example.org/pioneer"
    second = save_reference(post=post, values={**BOOK, "is_image_credit": True})
    assert list(Reference.objects.filter(is_image_credit=True)) == [second]
