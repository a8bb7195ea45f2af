"""The course bibliography and the instructors' reference checks."""

import re
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.html import strip_tags

from blog.models import Post
from references.models import Reference

_SPACE = re.compile(r"\s+")


@dataclass
class Entry:
    html: str
    references: list = field(default_factory=list)

    @property
    def posts(self):
        seen = {}
        for reference in self.references:
            seen.setdefault(reference.post_id, reference.post)
        return list(seen.values())


def identity(reference):
    """Two posts cite the same work when they share a DOI, a URL, or title, year and
    first author."""
    if reference.doi:
        return ("doi", reference.doi.lower().removeprefix("https://doi.org/"))
    if reference.url:
        return ("url", reference.url.rstrip("/").lower())
    first = reference.authors[0] if reference.authors else {}
    name = (first.get("family") or first.get("literal") or "").lower()
    return ("work", _SPACE.sub(" ", reference.title.lower()).strip(), reference.issued[:4], name)


def build_bibliography(posts):
    """[Entry] for every reference of these posts, one per work, in alphabetical order.
    One query."""
    references = (
        Reference.objects.filter(post__in=posts)
        .select_related("post", "post__author", "post__course")
        .order_by("post__published_at", "position")
    )
    entries = {}
    for reference in references:
        entry = entries.setdefault(identity(reference), Entry(html=reference.html))
        entry.references.append(reference)
    return sorted(entries.values(), key=lambda entry: strip_tags(entry.html).lower())


def build_checks(course):
    """Each post of the course with its reference count and the references that lack a
    URL (or DOI) or a date. Two queries."""
    posts = list(
        Post.objects.filter(course=course)
        .select_related("author")
        .annotate(reference_count=Count("references"))
        .order_by("-published_at", "-created")
    )
    incomplete = {}
    for reference in Reference.objects.for_course(course).filter(
        url="", doi=""
    ) | Reference.objects.for_course(course).filter(issued=""):
        incomplete.setdefault(reference.post_id, []).append(reference)
    for post in posts:
        post.course = course
        post.incomplete_references = sorted(
            incomplete.get(post.pk, []), key=lambda reference: reference.position
        )
    return posts
