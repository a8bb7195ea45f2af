"""Writes to a post's references. Each keeps the stored renderings up to date: the
entries' HTML and the citations in the post's body_html."""

from html import unescape

from django.db import transaction
from django.utils.html import strip_tags

from blog import versions
from references.models import Reference, renumber


def _fields(values):
    names = {field.name for field in Reference._meta.concrete_fields} - {"id", "post", "html"}
    return {name: value for name, value in values.items() if name in names}


def render_references(*, post, style=None):
    """Re-render every entry of post and the citations in its body (one save)."""
    from references.citing import Renderer  # citeproc-py: loaded by the writes that render

    references = list(Reference.objects.for_post(post))
    renderer = Renderer(references, style or post.course.citation_style)
    fields = ["body_html"]  # blog renders it; our signal links the citations
    for reference, html in renderer.entries():
        if reference.html != html:
            Reference.objects.filter(pk=reference.pk).update(html=html)
        if reference.is_image_credit:
            # The figure's credit is plain text and a link: the entry as text, its URL.
            post.image_credit = unescape(strip_tags(html))[:200]
            post.image_credit_url = reference.url or (
                f"https://doi.org/{reference.doi}" if reference.doi else ""
            )
            fields += ["image_credit", "image_credit_url"]
    post.save(update_fields=fields)
    versions.changed(post=post)


@transaction.atomic
def save_reference(*, post, values, reference=None):
    """Create a reference on post (reference None) or update one from plain values."""
    if reference is None:
        reference = Reference(post=post)
    if values.get("is_image_credit"):
        Reference.objects.filter(post=post, is_image_credit=True).update(is_image_credit=False)
    for name, value in _fields(values).items():
        setattr(reference, name, value)
    reference.save()
    render_references(post=post)
    return reference


@transaction.atomic
def add_references(*, post, entries):
    """Add parsed entries (dicts of plain values); a key already used gets a suffix."""
    taken = set(Reference.objects.filter(post=post).values_list("key", flat=True))
    added = []
    for values in entries:
        key, n = values["key"] or "ref", 2
        while key in taken:
            key, n = f"{values['key']}-{n}", n + 1
        taken.add(key)
        reference = Reference(post=post, **{**_fields(values), "key": key})
        reference.full_clean(exclude=["post", "html"])
        reference.save()
        added.append(reference)
    render_references(post=post)
    return added


@transaction.atomic
def delete_reference(*, reference):
    post = reference.post
    reference.delete()
    renumber(post)
    render_references(post=post)


@transaction.atomic
def move_reference(*, reference, up):
    moved = reference.move(up=up)
    if moved:
        render_references(post=reference.post)  # the list is stored in the body, in order
    return moved


def render_course(*, course):
    """After the course's style changed: every post with references again."""
    from blog.models import Post

    for post in Post.objects.filter(course=course, references__isnull=False).distinct():
        post.course = course
        render_references(post=post)
