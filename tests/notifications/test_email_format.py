"""Notification emails: a text part with the comment's words (no Markdown), and an HTML
part with the comment's sanitised HTML."""

import re

from django.core import mail

from blog.rendering import html_to_text, render_comment_markdown
from tests import factories
from tests.notifications.conftest import comment_on, unsubscribe_path

BODY = (
    "I saw *Commissar* at a **festival** in 1988.\n\n"
    "> The audience stood up.\n\n"
    "- see [the review](https://example.org/review)\n"
    "- `kino` & <script>alert(1)</script>"
)


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_the_text_part_has_the_words_without_markdown(
    client, post, classmate, django_capture_on_commit_callbacks
):
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, BODY)
    [message] = mail.outbox
    assert "*" not in message.body and "`" not in message.body
    assert "    I saw Commissar at a festival in 1988.\n" in message.body
    assert "    > The audience stood up.\n" in message.body
    assert "    - see the review (https://example.org/review)\n" in message.body
    assert "<script>" not in message.body


def test_the_html_part_quotes_the_sanitised_comment_and_escapes_the_rest(
    client, course, student, classmate, django_capture_on_commit_callbacks
):
    post = factories.PostFactory(course=course, author=student, title="Films & <shelves>")
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, BODY)
    [message] = mail.outbox
    html = html_of(message)
    assert html.startswith("<!doctype html>")
    assert "<em>Commissar</em>" in html and "<strong>festival</strong>" in html
    assert '<blockquote class="comment">' in html
    assert "<script" not in html
    assert "Films &amp; &lt;shelves&gt;" in html
    link = f"http://testserver{unsubscribe_path(message)}".replace("http://testserver", "")
    assert re.search(rf'<a href="https?://[^"]+{re.escape(link)}" rel="nofollow">', html)


def test_guest_follow_up_and_award_emails_have_both_parts_too(
    client, post, classmate, instructor, django_capture_on_commit_callbacks
):
    followed = factories.GuestSubscriptionFactory(comment__post=post).comment
    award = factories.AwardFactory(course=post.course)
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "A *new* remark.", parent=followed)
    guest_mail = next(m for m in mail.outbox if m.to == ["gwen@example.org"])
    assert "A new remark." in guest_mail.body and "<em>new</em>" in html_of(guest_mail)
    from awards.services import grant_award

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        grant_award(award=award, post=post, granted_by=instructor)
    [award_mail] = mail.outbox
    assert award.name in html_of(award_mail)


def test_html_to_text_keeps_paragraphs_lists_quotes_and_link_addresses():
    html = render_comment_markdown(BODY)
    assert html_to_text(html) == (
        "I saw Commissar at a festival in 1988.\n\n"
        "> The audience stood up.\n\n"
        "- see the review (https://example.org/review)\n"
        "- kino &"
    )
