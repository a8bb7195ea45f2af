"""References in the post editor: a post that was never saved takes a pasted BibTeX/RIS
entry or one typed by hand, kept across a preview, and is written, cited and
published from one page, without JavaScript."""

from django.urls import reverse

from blog.models import Post
from references.models import Reference

BIBTEX = "@book{cohen1985, author={Cohen, Stephen F.}, title={Rethinking the Soviet Experience}, year={1985}}"  # noqa: E501
RIS = "TY  - BOOK\nAU  - Fitzpatrick, Sheila\nTI  - Everyday Stalinism\nPY  - 1999\nER  - \n"


def write(client, course, action, body="As Cohen argues [@cohen1985, p. 16], it was.", **fields):
    data = {"title": "Thaw and after", "body": body, "action": action, "references-shown": "True"}
    data.update({f"references-{name}": value for name, value in fields.items()})
    return client.post(reverse("blog:post_create", args=[course.slug]), data)


def test_a_new_post_is_written_cited_and_published_with_a_pasted_entry_in_one_step(
    client, course, student
):
    client.force_login(student)
    response = write(client, course, "publish", paste=BIBTEX)
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.is_published
    assert list(post.references.values_list("key", flat=True)) == ["cohen1985"]
    assert '<a class="citation" href="#ref-cohen1985">' in post.body_html
    assert "Rethinking the Soviet Experience" in post.body_html  # its References section


def test_a_new_post_saves_a_reference_typed_by_hand_with_its_draft(client, course, student):
    client.force_login(student)
    response = write(
        client,
        course,
        "draft",
        body="Everyday life [@fitzpatrick1999].",
        kind="book",
        authors_text="Fitzpatrick, Sheila",
        title="Everyday Stalinism",
        issued="1999",
        publisher="Oxford University Press",
    )
    assert response.status_code == 302
    reference = Reference.objects.get()
    assert reference.key == "fitzpatrick1999"  # made from the first author and year
    assert reference.authors == [{"family": "Fitzpatrick", "given": "Sheila"}]
    assert '<a class="citation" href="#ref-fitzpatrick1999">' in reference.post.body_html


def test_a_preview_keeps_what_was_pasted_and_typed(client, course, student):
    client.force_login(student)
    response = write(client, course, "preview", paste=RIS, title="A typed work", issued="2001")
    html = response.content.decode()
    assert response.status_code == 200 and Post.objects.count() == 0
    assert "TI  - Everyday Stalinism" in html
    assert 'value="A typed work"' in html and 'value="2001"' in html
    assert '<details class="editor-references__add" open>' in html


def test_the_section_starts_folded_on_a_new_post(client, course, student):
    client.force_login(student)
    html = client.get(reverse("blog:post_create", args=[course.slug])).content.decode()
    assert '<details class="editor-references__add">' in html
    assert "Paste BibTeX or RIS" in html and "Name of the work" in html
    assert "Save a draft first" not in html


def test_a_bad_reference_saves_nothing_and_keeps_everything_typed(client, course, student):
    client.force_login(student)
    response = write(client, course, "publish", title="A work", issued="19x9", url="ftp://x.org/a")
    html = response.content.decode()
    assert response.status_code == 200
    assert Post.objects.count() == 0 and Reference.objects.count() == 0
    assert "Write the date as a year" in html and "Enter an http or https address." in html
    assert "As Cohen argues [@cohen1985, p. 16], it was." in html and 'value="19x9"' in html


def test_an_unreadable_paste_is_a_field_error(client, course, student):
    client.force_login(student)
    paste = "@article{bad1, title={A title}, url={ftp://example.org/x}}"
    response = write(client, course, "draft", paste=paste)
    html = response.content.decode()
    assert response.status_code == 200 and Post.objects.count() == 0
    assert "bad1, url: Enter an http or https address." in html


def test_publishing_still_refuses_a_key_nothing_provides(client, course, student):
    client.force_login(student)
    response = write(client, course, "publish", body="See [@nobody2020].", paste=BIBTEX)
    assert "Not published: your text cites [@nobody2020]" in response.content.decode()
    assert Post.objects.count() == 0


def test_a_saved_post_takes_more_references_from_the_editor(client, course, student):
    client.force_login(student)
    write(client, course, "draft", paste=BIBTEX)
    post = Post.objects.get()
    url = reverse("blog:post_edit", args=[course.slug, post.slug])
    data = {
        "title": post.title,
        "body": "Both [@cohen1985] and [@fitzpatrick1999].",
        "action": "publish",
        "references-shown": "True",
        "references-paste": RIS,
    }
    assert client.post(url, data).status_code == 302
    keys = list(post.references.values_list("key", flat=True))
    assert keys == ["cohen1985", "fitzpatrick1999"]
