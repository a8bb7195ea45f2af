"""What "Download my data" puts in the zip (docs/privacy.md, "Download my data").

``write_export(user, target)`` writes everything held about ``user`` into the zip file
``target`` and returns the manifest it also stores as ``manifest.json``:

    index.html                       a page to open first, linking everything below
    manifest.json                    every item, with the paths of its files in the zip
    profile.json                     the account and profile (avatar/ holds the photo)
    posts/<course>/<post>/post.md    the Markdown as written, with a header of its facts
    posts/<course>/<post>/post.html  the HTML shown, its images linked to images/
    posts/<course>/<post>/images/    the featured image (original and renditions) and
                                     the images in the body
    comments.json, likes.json, feedback.json, grades.json, references.json,
    notification_settings.json, lms.json (when the lti app is installed)

Every link between files of the zip is relative, so the folder opens anywhere; the
only absolute addresses are of pages outside the zip (a post someone else wrote).
Reads run in a fixed number of queries whatever the person wrote; the files are read
from the media storage one by one.
"""

import html
import json
import posixpath
import re
import zipfile

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from assignments.models import Feedback, Grade
from blog.models import BodyImage, Post, PostLike
from comments.models import Comment, CommentLike
from coursepages.models import Page
from notifications.models import NotificationPreference
from references.models import Reference

FORMAT = 1
MEDIA_LINK = re.compile(r"/media/(courses/[\w./-]+)")


def site_url(path):
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{settings.SITE_DOMAIN}{path}"


def when(value):
    return value.isoformat() if value else None


class ZipWriter:
    """The zip being built: names are unique, and stored files are copied once."""

    def __init__(self, archive):
        self.archive = archive
        self.names = set()
        self.copied = {}  # storage name -> path in the zip

    def text(self, path, content):
        self.names.add(path)
        self.archive.writestr(path, content)
        return path

    def json(self, path, data):
        return self.text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str))

    def stored(self, name, folder):
        """Copy a stored file into folder; its path in the zip (None if it is missing)."""
        if name in self.copied:
            return self.copied[name]
        path = posixpath.join(folder, posixpath.basename(name))
        stem, dot, ext = path.rpartition(".")
        number = 1
        while path in self.names:
            number += 1
            path = f"{stem}-{number}{dot}{ext}" if dot else f"{path}-{number}"
        try:
            with default_storage.open(name, "rb") as source:
                self.archive.writestr(path, source.read())
        except (FileNotFoundError, OSError):
            return None
        self.names.add(path)
        self.copied[name] = path
        return path


def relative(path, start):
    return posixpath.relpath(path, posixpath.dirname(start))


def write_export(user, target):
    """Write the zip of everything held about user into target (a path or a file)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        out = ZipWriter(archive)
        manifest = {
            "format": FORMAT,
            "generated": when(timezone.now()),
            "site": settings.SITE_NAME,
            "profile": write_profile(out, user),
        }
        posts, post_paths = write_posts(out, user)
        manifest["posts"] = posts
        manifest["comments"] = comments_of(user, post_paths)
        manifest["likes"] = likes_of(user, post_paths)
        manifest["feedback"] = feedback_on(user, post_paths)
        manifest["grades"] = grades_of(user, post_paths)
        manifest["references"] = [ref for post in posts for ref in post["references"]]
        manifest["notification_settings"] = notification_settings_of(user)
        for name in ("comments", "likes", "feedback", "grades", "references"):
            out.json(f"{name}.json", manifest[name])
        out.json("notification_settings.json", manifest["notification_settings"])
        if apps.is_installed("lti"):
            manifest["lms"] = lms_of(user)
            out.json("lms.json", manifest["lms"])
        manifest["files"] = sorted(out.names | {"manifest.json", "index.html"})
        out.json("manifest.json", manifest)
        out.text("index.html", index_html(manifest))
    return manifest


def write_profile(out, user):
    profile = {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "bio": user.bio,
        "website": user.website,
        "date_joined": when(user.date_joined),
        "last_login": when(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in user.emailaddress_set.all()
        ],
        "connected_accounts": [
            {"provider": account.provider, "uid": account.uid}
            for account in user.socialaccount_set.all()
        ],
        "memberships": [
            {"course": m.course.title, "course_slug": m.course.slug, "role": m.role}
            for m in user.memberships.select_related("course")
        ],
        "avatar": out.stored(user.avatar.name, "avatar") if user.avatar else None,
    }
    out.json("profile.json", profile)
    return profile


def write_posts(out, user):
    """Each post's Markdown, its HTML and its images; returns (entries, {post id: folder})."""
    posts = list(
        Post.objects.filter(author=user)
        .select_related("course")
        .prefetch_related(
            "topics",
            Prefetch("references", queryset=Reference.objects.order_by("position", "pk")),
        )
        .order_by("course__slug", "created", "pk")
    )
    body_images = {}
    for image in BodyImage.objects.filter(course__in={p.course_id for p in posts}):
        for rendition in image.renditions:
            body_images[rendition["name"]] = image
    entries, folders = [], {}
    for post in posts:
        folder = f"posts/{post.course.slug}/{post.slug}"
        folders[post.pk] = folder
        entries.append(write_post(out, post, folder, body_images))
    return entries, folders


def write_post(out, post, folder, body_images):
    images_folder = f"{folder}/images"
    images = []
    if post.image:
        images.append({"role": "original", "path": out.stored(post.image.name, images_folder)})
    for rendition in post.image_renditions:
        images.append(
            {
                "role": "rendition",
                "width": rendition.get("width"),
                "path": out.stored(rendition["name"], images_folder),
            }
        )
    # Images in the body are linked as /media/<stored name>: copy each, link it here.
    in_body = {}
    for name in MEDIA_LINK.findall(post.body + post.body_html):
        if name in in_body or name not in body_images:
            continue
        path = out.stored(name, images_folder)
        if path:
            in_body[name] = path
            images.append({"role": "body", "path": path})
    markdown_path, html_path = f"{folder}/post.md", f"{folder}/post.html"

    def relink(text, start):
        for name, path in in_body.items():
            text = text.replace(f"/media/{name}", relative(path, start))
        return text

    references = [reference_entry(ref, post) for ref in post.references.all()]
    featured = next((i["path"] for i in images if i["role"] == "rendition" and i["path"]), None)
    out.text(markdown_path, post_markdown(post, relink(post.body, markdown_path)))
    out.text(
        html_path,
        post_html(
            post,
            relink(post.body_html, html_path),
            relative(featured, html_path) if featured else None,
            references,
        ),
    )
    return {
        "id": post.pk,
        "course": post.course.title,
        "course_slug": post.course.slug,
        "title": post.title,
        "slug": post.slug,
        "status": post.status,
        "created": when(post.created),
        "updated": when(post.updated),
        "published_at": when(post.published_at),
        "topics": [topic.name for topic in post.topics.all()],
        "excerpt": post.excerpt,
        "image_alt": post.image_alt,
        "image_caption": post.image_caption,
        "image_credit": post.image_credit,
        "image_credit_url": post.image_credit_url,
        "markdown": markdown_path,
        "html": html_path,
        "images": images,
        "references": references,
        "url_on_site": site_url(post.get_absolute_url()),
    }


def reference_entry(reference, post):
    return {
        "id": reference.pk,
        "post_id": post.pk,
        "position": reference.position,
        "key": reference.key,
        "type": reference.kind,
        "authors": reference.authors,
        "title": reference.title,
        "container_title": reference.container_title,
        "issued": reference.issued,
        "publisher": reference.publisher,
        "url": reference.url,
        "doi": reference.doi,
        "as_cited": reference.html,
    }


def post_markdown(post, body):
    facts = [
        ("title", post.title),
        ("course", post.course.title),
        ("status", post.status),
        ("published", when(post.published_at) or ""),
        ("topics", ", ".join(topic.name for topic in post.topics.all())),
    ]
    header = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in facts)
    return f"---\n{header}\n---\n\n{body}\n"


def post_html(post, body_html, featured, references):
    """The post as shown: its stored, sanitised HTML in a page of its own."""
    parts = [f"<h1>{html.escape(post.title)}</h1>"]
    if featured:
        parts.append(f'<img src="{html.escape(featured)}" alt="{html.escape(post.image_alt)}">')
    parts.append(body_html)
    if references:
        items = "".join(f"<li>{ref['as_cited']}</li>" for ref in references)
        parts.append(f"<h2>References</h2><ol>{items}</ol>")
    return page(post.title, "\n".join(parts))


def page(title, body):
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>\n{body}\n</body></html>\n"
    )


def readable(user, post_field):
    """An annotation: may user read the post at post_field now (Post.visible_to, in the
    same query)?"""
    return Exists(Post.objects.visible_to(user).filter(pk=OuterRef(post_field)))


def page_readable(user, page_field):
    """An annotation: may user read the course page at page_field now (Page.visible_to)?"""
    return Exists(Page.objects.visible_to(user).filter(pk=OuterRef(page_field)))


def answered_page(page, readable=True):
    """The course page a comment answers or a liked comment is on: like answered_post
    (a page is never in the zip: its address)."""
    if not readable:
        return {"id": page.pk, "readable": False}
    return {
        "id": page.pk,
        "title": page.title,
        "course": page.course.title,
        "url": site_url(page.get_absolute_url()),
    }


def answered(comment, post_paths, *, post_readable, page_readable):
    """``{"post": ...}`` or ``{"page": ...}``: what the comment is on (Comment.target)."""
    if comment.is_on_page:
        return {"page": answered_page(comment.page, page_readable)}
    return {"post": answered_post(comment.post, post_paths, post_readable)}


def answered_post(post, post_paths, readable=True):
    """The post a comment answers or a like is of: its title, and a link (relative if
    the post is in the zip). Of a post the person may no longer read (narrowed to
    instructors only, or in a members-only course they left), only its number: the
    comment or like is theirs, the post's title and address are not (docs/privacy.md)."""
    if not readable:
        return {"id": post.pk, "readable": False}
    entry = {"id": post.pk, "title": post.title, "course": post.course.title}
    if post.pk in post_paths:
        entry["path"] = f"{post_paths[post.pk]}/post.html"
    else:
        entry["url"] = site_url(post.get_absolute_url())
    return entry


def comments_of(user, post_paths):
    comments = (
        Comment.objects.filter(author=user)
        .select_related("post__course", "page__course")
        .annotate(
            post_readable=readable(user, "post_id"), page_readable=page_readable(user, "page_id")
        )
    )
    return [
        {
            "id": comment.pk,
            **answered(
                comment,
                post_paths,
                post_readable=comment.post_readable,
                page_readable=comment.page_readable,
            ),
            "parent_id": comment.parent_id,
            "status": comment.status,
            "created": when(comment.created),
            "edited": when(comment.edited),
            "body": comment.body,
        }
        for comment in comments.order_by("created", "pk")
    ]


def likes_of(user, post_paths):
    post_likes = (
        PostLike.objects.filter(user=user)
        .select_related("post__course")
        .annotate(post_readable=readable(user, "post_id"))
    )
    comment_likes = (
        CommentLike.objects.filter(user=user)
        .select_related("comment__post__course", "comment__page__course")
        .annotate(
            post_readable=readable(user, "comment__post_id"),
            page_readable=page_readable(user, "comment__page_id"),
        )
    )
    return {
        "posts": [
            {
                "id": like.pk,
                "post": answered_post(like.post, post_paths, like.post_readable),
                "created": when(like.created),
            }
            for like in post_likes.order_by("pk")
        ],
        "comments": [
            {
                "id": like.pk,
                "comment_id": like.comment_id,
                **answered(
                    like.comment,
                    post_paths,
                    post_readable=like.post_readable,
                    page_readable=like.page_readable,
                ),
                "created": when(like.created),
            }
            for like in comment_likes.order_by("pk")
        ],
    }


def feedback_on(user, post_paths):
    """The private feedback threads of the person's posts (and what they wrote in others,
    as an instructor)."""
    feedback = (
        Feedback.objects.filter(Q(post__author=user) | Q(author=user))
        .select_related("author", "post__course")
        .annotate(post_readable=readable(user, "post_id"))
    )
    return [
        {
            "id": item.pk,
            "post": answered_post(item.post, post_paths, item.post_readable),
            "by": "you" if item.author_id == user.pk else item.author.name,
            "created": when(item.created),
            "body": item.body,
        }
        for item in feedback.order_by("created", "pk")
    ]


def grades_of(user, post_paths):
    grades = (
        Grade.objects.filter(submission__student=user)
        .select_related("submission__assignment__course", "submission__post__course", "grader")
        .prefetch_related("levels__criterion")
    )
    return [
        {
            "id": grade.pk,
            "assignment": grade.submission.assignment.title,
            "course": grade.submission.assignment.course.title,
            "post": answered_post(grade.submission.post, post_paths),
            "submitted_at": when(grade.submission.submitted_at),
            "late": grade.submission.is_late,
            "points": str(grade.points),
            "rubric": [
                {"criterion": level.criterion.name, "level": level.label}
                for level in grade.levels.all()
            ],
            "grader": grade.grader.name if grade.grader else None,
            "graded_at": when(grade.graded_at),
        }
        for grade in grades.order_by("graded_at", "pk")
    ]


def notification_settings_of(user):
    preference = NotificationPreference.objects.for_user(user)
    return {
        field.name: getattr(preference, field.name)
        for field in NotificationPreference._meta.concrete_fields
        if field.name.startswith("email_")
    }


def lms_of(user):
    """Their LMS links (the lti app): who they are at each platform (issuer and sub),
    the LMS courses' rosters they are on, and the grades sent for them. Three queries."""
    Identity, RosterEntry, ScoreSend = (
        apps.get_model("lti", name) for name in ("Identity", "RosterEntry", "ScoreSend")
    )
    identities = Identity.objects.filter(user=user).select_related("platform")
    roster = RosterEntry.objects.filter(user=user).select_related(
        "context__platform", "context__course"
    )
    sends = ScoreSend.objects.filter(user=user).select_related(
        "line_item__assignment__course", "line_item__context__platform"
    )
    return {
        "identities": [
            {
                "platform": str(identity.platform),
                "issuer": identity.platform.issuer,
                "sub": identity.sub,
                "since": when(identity.created),
            }
            for identity in identities.order_by("created", "pk")
        ],
        "rosters": [
            {
                "platform": entry.context.platform.issuer,
                "lms_course": entry.context.title or entry.context.context_id,
                "course": entry.context.course.title if entry.context.course else None,
                "role": entry.role,
                "active": entry.is_active,
                "synced_at": when(entry.synced_at),
            }
            for entry in roster.order_by("synced_at", "pk")
        ],
        "grade_sends": [
            {
                "assignment": send.line_item.assignment.title,
                "course": send.line_item.assignment.course.title,
                "platform": send.line_item.context.platform.issuer,
                "line_item": send.line_item.url,
                "status": send.status,
                "reason": send.reason,
                "attempts": send.attempts,
                "updated": when(send.updated),
            }
            for send in sends.order_by("updated", "pk")
        ],
    }


def index_html(manifest):
    profile = manifest["profile"]
    rows = "".join(
        f'<li><a href="{html.escape(post["html"])}">{html.escape(post["title"])}</a> '
        f'(<a href="{html.escape(post["markdown"])}">Markdown</a>), '
        f"{html.escape(post['course'])}</li>"
        for post in manifest["posts"]
    )
    names = ("profile.json", "comments.json", "likes.json", "feedback.json", "grades.json",
             "references.json", "notification_settings.json")  # fmt: skip
    names += ("lms.json",) if "lms" in manifest else ()
    files = "".join(f'<li><a href="{name}">{name}</a></li>' for name in (*names, "manifest.json"))
    body = (
        f"<h1>Your data on {html.escape(manifest['site'])}</h1>"
        f"<p>Account {html.escape(profile['username'])}, made {manifest['generated']}.</p>"
        f"<h2>Posts</h2><ul>{rows or '<li>None</li>'}</ul>"
        f"<h2>Everything else</h2><ul>{files}</ul>"
    )
    return page("Your data", body)
