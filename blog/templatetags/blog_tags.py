"""One-line filters that let templates ask the model predicates, small formatters, and
the page-part tag."""

import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from blog import extensions, icons, likes, media
from blog.rendering import plain_text

register = template.Library()


@register.filter
def can_edit(obj, user):
    return obj.can_edit(user)


@register.filter
def can_delete(obj, user):
    return obj.can_delete(user)


@register.filter
def can_unpublish(post, user):
    return post.can_unpublish(user)


@register.filter
def can_manage(course, user):
    return course.can_manage(user)


@register.filter
def can_write_post(course, user):
    return course.can_write_post(user)


@register.filter
def can_join(course, user):
    return course.can_join(user)


@register.filter
def media_url(name, course=None):
    """Address of a stored image (renditions are kept as names in JSON); with the
    course, a members-only course's image gets a short-lived signed address."""
    return media.image_url(name, course)


@register.filter
def srcset(renditions, course=None):
    return ", ".join(
        f"{media.image_url(r['name'], course)} {r['width']}w" for r in renditions or []
    )


@register.filter(name="plain_text")
def plain_text_filter(html):
    """The words of stored, sanitised HTML as plain text (escaped again on output)."""
    return plain_text(html)


@register.filter
def iso_datetime(value):
    """A <time datetime> value: ISO 8601 in the current time zone, to the second (the
    HTML checker rejects microseconds, which Django's "c" format keeps)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    return value.isoformat()


@register.simple_tag(takes_context=True)
def page_parts(context, slot):
    """Render the parts of `slot` (blog.extensions): those the view prepared, or for the
    slots on every page (cards, header), the registered parts prepared here."""
    prepared = context.get("page_parts", {})
    if slot in prepared:
        parts = prepared[slot]
    elif slot in extensions.EVERY_PAGE_SLOTS:
        parts = extensions.prepare(slot, getattr(context, "request", None))
    else:
        raise LookupError(f"The view did not prepare the {slot!r} parts (page_parts()).")
    html = SafeString()  # each part's template escapes its own values
    for part in parts:
        template = context.template.engine.get_template(part.template)
        with context.push(part.context):
            html += template.render(context)
    return html


@register.simple_tag
def icon(name, size, css_class=""):
    """``{% icon "heart" 18 "like-button__icon" %}``: a decorative icon (blog.icons)."""
    return icons.icon_svg(name, size, css_class)


@register.simple_tag
def icon_symbol(name):
    """``{% icon_symbol "heart" %}``: the symbol that a thread's many icons point at."""
    return icons.icon_symbol(name)


@register.simple_tag
def like_button(summary):
    """``{% like_button post_likes %}``: the post's Like toggle (blog.likes)."""
    return likes.like_button(liked=summary["liked"], label=summary["label"])


@register.simple_tag
def like_step_link(step, post):
    """``{% like_step_link like_step post %}``: Like for a reader who must sign in or
    join first; the join hint beside it has the id ``post-likes-join``."""
    return likes.like_step_link(
        step=step,
        url=likes.step_url(step, f"{post.get_absolute_url()}#post-likes"),
        thing="post",
        describedby="post-likes-join" if step == "join" else "",
    )


@register.filter
def likers_html(likers):
    """The "Liked by" list's items, faces and names (blog.likes)."""
    return likes.likers_html(likers)
