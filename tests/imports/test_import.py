"""What an import makes of a WordPress export: posts, bodies, comments, people, media."""

from datetime import UTC, datetime

import pytest

from awards.models import Award, AwardGrant
from blog.models import BodyImage, Membership, Post
from comments.models import Comment
from imports.models import ImportedItem, ImportRun, OldLink, Placeholder
from imports.services import import_export
from tests.imports.conftest import BLOG, CLASSIC

pytestmark = pytest.mark.django_db


def post(course, title):
    return Post.objects.get(course=course, title=title)


def test_post_statuses_dates_and_slugs(course, imported):
    thaw = post(course, "Out with the old")
    assert thaw.status == "published"
    assert thaw.slug == "out-with-the-old"
    assert thaw.published_at == datetime(2017, 3, 26, 10, 0, tzinfo=UTC)
    assert thaw.created == thaw.published_at
    classic = post(course, "Classic days")
    # No GMT date: the local date is read in the course's time zone (Moscow, UTC+3).
    assert classic.published_at == datetime(2017, 4, 2, 6, 30, tzinfo=UTC)
    assert post(course, "A draft in progress").status == "draft"
    assert post(course, "A draft in progress").slug == "a-draft-in-progress"
    assert post(course, "Pending review").status == "draft"
    assert post(course, "Private thoughts").status == "draft"
    assert not Post.objects.filter(title__in=["Binned post", "Auto Draft", "About this blog"])
    report = imported.report
    assert report["posts"] == {"published": 2, "draft": 3, "skipped": 2, "created": 5,
                               "updated": 0, "unchanged": 0}  # fmt: skip
    assert report["private"] == ["Private thoughts"]
    reasons = {entry["what"]: entry["reason"] for entry in report["skipped"]}
    assert reasons["Binned post"] == "it is in the trash"
    assert reasons["Auto Draft"] == "it is an auto-draft"
    assert "1 × page" not in reasons  # pages come in as pages (test_wordpress_pages.py)
    assert reasons["1 × nav_menu_item"] == "only posts and pages are imported"


def test_gutenberg_body_becomes_markdown_and_safe_html(course, imported):
    thaw = post(course, "Out with the old")
    assert "wp:" not in thaw.body and "<!--" not in thaw.body
    assert "The **Thaw** began in 1953." in thaw.body
    assert "# What changed" in thaw.body
    assert "<h2" in thaw.body_html and "What changed" in thaw.body_html
    assert "<li>Amnesty</li>" in thaw.body_html
    assert "<figcaption>A poster of 1956</figcaption>" in thaw.body_html
    assert thaw.excerpt == "The Thaw began in 1953."  # the words before <!--more-->
    html = thaw.body_html.lower()
    assert "<script" not in html and "alert('script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html and "onclick" not in html


def test_classic_body_shortcodes(course, imported):
    classic = post(course, "Classic days")
    assert "<p>First paragraph of a classic post,<br>" in classic.body_html
    assert "<p>Second paragraph.</p>" in classic.body_html
    # [caption]: the image with its caption, pointing at the imported copy.
    assert "<figcaption>Doves of peace</figcaption>" in classic.body_html
    assert "wp-content/uploads/2017/04/dove" not in classic.body_html.split("gone.jpg")[0]
    # [gallery]: its images (the missing one keeps its old address and is reported).
    assert "<figcaption>A dove</figcaption>" in classic.body_html
    # [embed]: a link.
    assert 'href="https://video.example.org/watch?v=thaw"' in classic.body_html
    # Unknown shortcodes stay as text and are reported.
    assert "[footnote]Not a shortcode we know[/footnote]" in classic.body_html
    assert imported.report["shortcodes"] == {
        "contact-form-7": ["Classic days"],
        "footnote": ["Classic days"],
    }
    assert classic.excerpt.startswith("First paragraph of a classic post")


def test_topics_from_categories_and_tags(course, imported):
    names = set(post(course, "Out with the old").topics.values_list("name", flat=True))
    assert names == {"1953: Thaw", "Week 4"}  # the award category is not a topic
    assert set(post(course, "Classic days").topics.values_list("name", flat=True)) == {"Week 4"}


def test_comments_threads_and_statuses(course, imported):
    thaw = post(course, "Out with the old")
    comments = {c.body.split(".")[0]: c for c in thaw.comments.all()}
    one, two = comments["Level one, by a registered commenter"], comments["Level two"]
    assert two.parent == one
    assert comments["Level three, by the author"].parent == two
    assert comments["Level six, deeper than the course allows"].parent == comments["Level five"]
    assert comments["Waiting for approval"].status == "pending"
    assert comments["Buy now"].status == "spam"
    assert comments["Trashed words"].status == "removed"
    assert one.created == datetime(2017, 3, 26, 11, 0, tzinfo=UTC)
    assert imported.report["comments"] == {"approved": 6, "pending": 1, "spam": 1,
                                           "removed": 1, "pingback": 1, "trackback": 1,
                                           "created": 9, "updated": 0, "unchanged": 0}  # fmt: skip
    assert two.guest_name == "Vera Guest" and two.guest_email == "vera@example.net"
    assert two.guest_website == ""  # a javascript: URL is not a website
    html = two.body_html.lower()
    assert "<script" not in html and "javascript:" not in html and "onmouseover" not in html
    assert "<em>fine</em>" in two.body_html


def test_people_become_placeholders_never_existing_accounts(course, anna, imported):
    thaw = post(course, "Out with the old")
    assert thaw.author != anna  # anna has an account with that address: not used
    assert thaw.author.import_placeholder.email == "anna@example.edu"
    assert not thaw.author.is_active
    boris = post(course, "Classic days").author
    assert not boris.is_active and not boris.has_usable_password()
    assert boris.import_placeholder.email == "boris@example.edu"
    assert boris.email == ""  # so the person can still sign up with it
    assert boris.name == "Boris P."
    carl = post(course, "Pending review").author
    assert carl.username == "carl" and not carl.is_active
    # Registered commenters are the same people.
    assert Comment.objects.get(body__startswith="Level one").author == boris
    assert Comment.objects.get(body__startswith="Level three").author == thaw.author
    assert set(imported.report["users"]["created"]) == {"Anna Akhmatova", "Boris P.", "carl"}
    members = set(Membership.objects.filter(course=course).values_list("user__pk", flat=True))
    assert {thaw.author.pk, boris.pk, carl.pk} <= members
    assert anna.pk not in members
    assert not Post.objects.filter(author=anna).exists()


def test_a_crafted_file_writes_nothing_under_existing_accounts(course, student):
    """An instructor's file naming the site admin and a student of the course by email
    publishes nothing as them, comments nothing as them and enrols neither."""
    import io

    from tests import factories

    admin = factories.UserFactory(
        username="admin", email="admin@example.edu", is_staff=True, is_superuser=True
    )
    elsewhere = factories.CourseFactory(slug="elsewhere")
    other = factories.MembershipFactory(course=elsewhere, user=factories.UserFactory()).user
    crafted = (
        BLOG.read_bytes()
        .replace(b"anna@example.edu", b"ADMIN@example.edu")
        .replace(b"boris@example.edu", student.email.encode())
        .replace(b"vera@example.net", other.email.encode())  # a registered commenter now
        .replace(b"<wp:comment_user_id>0<", b"<wp:comment_user_id>9<")
    )
    assert student.email.encode() in crafted
    import_export(course=course, source=io.BytesIO(crafted))
    for person in (admin, student, other):
        assert not Post.objects.filter(author=person).exists()
        assert not Comment.objects.filter(author=person).exists()
    assert not Membership.objects.filter(user=admin).exists()
    assert list(Membership.objects.filter(user=student).values_list("course", "role")) == [
        (course.pk, "student")  # theirs from before, unchanged
    ]
    assert list(Membership.objects.filter(user=other).values_list("course", flat=True)) == [
        elsewhere.pk
    ]
    assert Post.objects.filter(course=course).count() == 5
    stand_in = post(course, "Out with the old").author
    assert stand_in.import_placeholder.email == "ADMIN@example.edu" and not stand_in.is_active


def test_featured_image_and_body_images_from_media(course, imported):
    thaw = post(course, "Out with the old")
    assert thaw.image and thaw.image_renditions
    assert thaw.image_alt == "A red poster with a dove"
    assert thaw.image_caption == "Moscow, 1956"
    assert thaw.image_credit == "Photo: State Archive"
    assert thaw.image_credit_url == "https://archive.example.org/item/7"
    # poster-1024x768.jpg is a resized copy: the original poster.jpg is used.
    assert "poster-1024x768" not in thaw.body_html
    assert BodyImage.objects.filter(course=course).count() == 2  # poster and dove
    media = imported.report["media"]
    assert media["found"] >= 3
    assert media["missing"] == ["2017/04/gone.jpg"]


def test_media_from_a_folder(course, media_dir):
    import_export(course=course, source=BLOG, media=media_dir)
    assert post(course, "Out with the old").image_renditions


def test_award_category(course, imported):
    award = Award.objects.get(course=course)
    assert award.name == "Comrade's Corner"
    grant = AwardGrant.objects.get(award=award)
    assert grant.post == post(course, "Out with the old")
    assert imported.report["award"] == {"name": "Comrade's Corner", "granted": 1,
                                        "drafts_not_granted": 0}  # fmt: skip


def test_reimport_updates_and_duplicates_nothing(course, anna, imported, media_zip):
    counts = (Post.objects.count(), Comment.objects.count(), AwardGrant.objects.count(),
              OldLink.objects.count(), BodyImage.objects.count())  # fmt: skip
    thaw = post(course, "Out with the old")
    thaw.title = "Changed here"
    thaw.save()
    run = ImportRun.objects.create(course=course)
    report = import_export(course=course, source=BLOG, media=media_zip,
                           award_category="Comrade's Corner", run=run)  # fmt: skip
    assert (Post.objects.count(), Comment.objects.count(), AwardGrant.objects.count(),
            OldLink.objects.count(), BodyImage.objects.count()) == counts  # fmt: skip
    assert report["posts"]["updated"] == 1 and report["posts"]["unchanged"] == 4
    assert report["posts"]["created"] == 0
    assert report["comments"]["unchanged"] == 9
    thaw.refresh_from_db()
    assert thaw.title == "Out with the old" and thaw.slug == "out-with-the-old"
    assert not run.items.filter(created=True).exists()


def test_reimport_keyed_on_guid(course, imported):
    """An export from a copy of the site (other ids, same guids) finds the same posts."""
    text = BLOG.read_text().replace("<wp:post_id>10</wp:post_id>", "<wp:post_id>910</wp:post_id>")
    import io

    import_export(course=course, source=io.BytesIO(text.encode()))
    assert Post.objects.filter(title="Out with the old").count() == 1


def test_wxr_1_1_classic_export(course):
    report = import_export(course=course, source=CLASSIC)
    hello = post(course, "Hello class")
    assert "<em>the</em>" in hello.body_html and hello.excerpt == "A welcome."
    comment = hello.comments.get()
    assert comment.guest_name == "A Student"
    # WordPress showed the asterisks as typed; so do we (no accidental emphasis).
    assert comment.body_html == "<p>Thanks! *Looking* forward.</p>"
    assert report["users"]["created"] == ["The Teacher"]


def test_dry_run_writes_nothing(course):
    report = import_export(course=course, source=BLOG, dry_run=True)
    assert report["dry_run"] and report["posts"]["published"] == 2
    assert not Post.objects.exists() and not Placeholder.objects.exists()
    assert not ImportedItem.objects.exists()


def test_undo_removes_what_the_run_made(course, anna, imported):
    from imports.services import undo_import

    undo_import(run=imported)
    assert not Post.objects.filter(course=course).exists()
    assert not Comment.objects.exists()
    assert not Award.objects.exists()
    assert not Placeholder.objects.exists()
    assert not OldLink.objects.exists()
    anna.refresh_from_db()  # people with accounts keep them
    imported.refresh_from_db()
    assert imported.status == "undone"
    assert not Membership.objects.filter(course=course).exists()
