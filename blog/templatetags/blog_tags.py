"""One-line filters that let templates ask the model predicates, small formatters, and
the page-part tag."""

import datetime
import hashlib
import re
from functools import partial

from django import template
from django.db import connection
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

from blog import extensions, icons, likes, media, palette
from blog.rendering import plain_text
from config import hooks
from pagecache.skeleton import reader_token, skeleton_of
from pagecache.store import cache_get, cache_set, recent_pages

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
def can_pin(post, user):
    return post.can_pin(user)


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
    """Render the parts of `slot` (its name; config.hooks): those the view prepared, or
    for the slots on every page (cards, header), the registered parts prepared here."""
    prepared = context.get("page_parts", {})
    if slot in prepared:
        parts = prepared[slot]
    elif hooks.SLOTS.get(slot) in hooks.EVERY_PAGE_SLOTS:
        parts = extensions.prepare(hooks.SLOTS[slot], getattr(context, "request", None))
    else:
        raise LookupError(f"The view did not prepare the {slot!r} parts (page_parts()).")
    request = getattr(context, "request", None)
    skeleton = skeleton_of(request)
    html = SafeString()  # each part's template escapes its own values
    for part in parts:
        rendered = SafeString()
        if part.context is not None:
            template = context.template.engine.get_template(part.template)
            with context.push(part.context):
                rendered = template.render(context)
        if skeleton is not None and part.per_viewer:  # the reader's own: a hole
            key = kept_part_key(slot, part.template, request, skeleton.obj)
            if key:  # the reader's next hit takes it as drawn here
                cache_set(key, _request_values_taken_out(str(rendered).encode(), request))
            rendered = skeleton.hole(("part", slot, part.template), rendered)
        html += rendered
    return html


@register.simple_tag
def course_face_css(course):
    """The course pages' own CSS (base.html writes it in a nonce'd <style>): the accent's
    custom properties for both themes (blog.palette) and the header image's focal point
    as its object-position. "" for a course without either, or a page without a course."""
    rules = []
    accent = getattr(course, "accent_colours", None)
    if accent is not None:
        rules.append(palette.style_rules(accent))
    if getattr(course, "header_renditions", None):
        x, y = int(course.header_focus_x), int(course.header_focus_y)
        rules.append(f".course-face__image{{object-position:{x}% {y}%}}")
    return mark_safe("".join(rules))  # noqa: S308 (the palette's constants and two integers)


@register.simple_tag
def icon(name, size, css_class=""):
    """``{% icon "heart" 18 "like-button__icon" %}``: a decorative icon (blog.icons)."""
    return icons.icon_svg(name, size, css_class)


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


def fill_part(filling, spec):
    """A per-viewer page part's hole, for this reader: the part prepared and drawn, or,
    for a part that says what it is kept by (``Part.kept_by``), as it was drawn for this
    reader under the same versions."""
    _, slot, template_name = spec
    request = filling.request
    key = kept_part_key(slot, template_name, request, filling.obj)
    if key:
        html = cache_get(key)
        if html is not None:
            return _request_values_put_back(html, request)
    part = extensions.prepare_one(hooks.SLOTS[slot], template_name, request, filling.obj)
    html = b""
    if part is not None:  # as render_to_string would, with the context processors asked once
        compiled = get_template(template_name).template
        context = Context(
            {**_processed(filling, compiled.engine), **part.context},
            autoescape=compiled.engine.autoescape,
        )
        context.request = request
        html = compiled.render(context).encode()
    if key:
        cache_set(key, _request_values_taken_out(html, request))
    return html


def _request_values_taken_out(html, request):
    """A kept part as stored: this response's CSRF token (a form's) and CSP nonce
    replaced by markers, which ``_request_values_put_back`` fills for the next (as
    ``fill_block`` does for a kept block)."""
    if b'name="csrfmiddlewaretoken"' in html:  # masked afresh each time it is asked
        html = KEPT_CSRF_INPUT.sub(rb"\g<1>" + TOKEN_MARKER + rb"\g<2>", html)
    nonce = getattr(request, "_csp_nonce", None)  # django-csp's, if the part used it
    if nonce:
        html = html.replace(str(nonce).encode(), NONCE_MARKER)
    return html


def _request_values_put_back(html, request):
    if NONCE_MARKER in html:
        html = html.replace(NONCE_MARKER, str(request.csp_nonce).encode())
    if TOKEN_MARKER in html:
        html = html.replace(TOKEN_MARKER, reader_token(request).encode())
    return html


KEPT_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
KEPT_PART_FORMAT = "part3:"  # a new prefix when a kept part's layout changes


def kept_part_key(slot, template_name, request, obj):
    """Where this reader's part is kept (``Part.kept_by``), or None: drawn every time."""
    declared = hooks.SLOTS[slot].get(template_name)
    kept = declared is not None and declared.kept_by and declared.kept_by(request, obj)
    if not kept:
        return None
    digest = hashlib.sha256(repr(kept).encode()).hexdigest()[:32]
    return f"{KEPT_PART_FORMAT}{slot}:{template_name}:{request.user.pk}:{digest}"


class PerViewerNode(template.Node):
    """``{% per_viewer "name" %}...{% end_per_viewer %}``: the reader's own part of a
    page (the header's name and bell, a Like button's state). Rendered as usual, except
    in a page drawn for the member page cache, where it becomes a hole that is filled
    for each reader by rendering this same block again in a context of the request
    alone, plus what the ``hooks.VIEWER_CONTEXTS`` registered under `name` gives."""

    def __init__(self, name, nodelist, origin, key):
        self.name = name
        self.nodelist = nodelist
        self.origin_name = origin
        self.key = key
        _per_viewer_nodes[(origin, key)] = self

    def render(self, context):
        html = self.nodelist.render(context)
        skeleton = skeleton_of(getattr(context, "request", None))
        if skeleton is None:
            return html
        return skeleton.hole(("block", self.origin_name, self.key, self.name), html)


_per_viewer_nodes = {}


def forget_compiled_blocks():
    """Forget the ``{% per_viewer %}`` blocks compiled so far, as a fresh process would
    (``fill_block`` finds a block in its compiled template again). For tests, so that
    none depends on which templates another compiled (tests/conftest.py)."""
    _per_viewer_nodes.clear()


@register.tag
def per_viewer(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("per_viewer takes one quoted name")
    name = bits[1].strip("\"'")
    nodelist = parser.parse(("end_per_viewer",))
    parser.delete_first_token()
    origin = parser.origin.template_name
    return PerViewerNode(name, nodelist, origin, f"{token.lineno}:{name}")


def fill_block(filling, spec):
    """A ``{% per_viewer %}`` block's hole, for this reader: the block rendered again."""
    _, origin, key, name = spec
    request = filling.request
    viewer = hooks.VIEWER_CONTEXTS.get(name)
    digest = _kept_digest(filling, viewer.kept_by) if viewer and viewer.kept_by else None
    if digest is not None:
        kept_key = f"{KEPT_BLOCK_FORMAT}{origin}:{key}:{filling.language()}:{digest}"
        html = recent_pages.get(kept_key)
        if html is not None:
            if NONCE_MARKER in html:
                html = html.replace(NONCE_MARKER, str(request.csp_nonce).encode())
            return html.replace(TOKEN_MARKER, reader_token(request).encode())
    compiled, node = _block_node(origin, key)  # not asked for a kept block's copy
    extra = viewer.context(request, filling.obj) if viewer and viewer.context else {}
    context = Context(
        {**_processed(filling, compiled.engine), **extra}, autoescape=compiled.engine.autoescape
    )
    context.request = request
    if digest is None:
        with context.bind_template(compiled):
            return node.nodelist.render(context)
    queries = []
    with context.bind_template(compiled), connection.execute_wrapper(_counting(queries)):
        html = node.nodelist.render(context).encode()
    if not queries:  # drawn from the request alone: kept
        kept_html = html.replace(reader_token(request).encode(), TOKEN_MARKER)
        nonce = getattr(request, "_csp_nonce", None)  # django-csp's, if the block used it
        if nonce:
            kept_html = kept_html.replace(str(nonce).encode(), NONCE_MARKER)
        recent_pages.put(kept_key, kept_html)
    return html


def _kept_digest(filling, kept_by):
    """The digest of what ``kept_by`` says a block is drawn from, for this reader (None:
    not kept), worked out once per reader for all the blocks it keeps (a page's header
    and its bar are both kept by the reader's row)."""
    digests = filling.memo.setdefault("kept_digests", {})
    if kept_by not in digests:
        kept = kept_by(filling.request, filling.obj)
        digests[kept_by] = (
            None if kept is None else hashlib.sha256(repr(kept).encode()).hexdigest()[:32]
        )
    return digests[kept_by]


def _block_node(origin, key):
    """(compiled template, its ``{% per_viewer %}`` node) for a block's hole."""
    compiled = get_template(origin).template
    node = _per_viewer_nodes.get((origin, key))
    if node is None:  # compiled before this registry was (another worker's copy, say)
        node = next(n for n in compiled.nodelist.get_nodes_by_type(PerViewerNode) if n.key == key)
        _per_viewer_nodes[(origin, key)] = node
    return compiled, node


def _processed(filling, engine):
    """What the context processors give (user, csrf_token, ...), asked once per reader
    for all the blocks and parts, as a RequestContext would for each."""
    processed = filling.memo.get("context_processors")
    if processed is None:
        request = filling.request
        processed = filling.memo["context_processors"] = {}
        for processor in engine.template_context_processors:
            processed.update(processor(request))
        # Django's csrf processor masks the token again; the page's forms have it already
        processed["csrf_token"] = SimpleLazyObject(partial(reader_token, request))
    return processed


KEPT_BLOCK_FORMAT = "block1:"  # a new prefix when a kept block's layout changes
TOKEN_MARKER = b"\x00token\x00"  # the reader's CSRF token in a kept block
NONCE_MARKER = b"\x00nonce\x00"  # the response's CSP nonce in a kept block


def _counting(queries):
    def record(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    return record


def row_values(obj):
    """Every value a model instance was loaded with, its columns and annotations (not
    what it caches of others): what a block drawn from it alone is a function of."""
    return tuple(sorted((k, v) for k, v in vars(obj).items() if not k.startswith("_")))


def reader_row(request, obj=None):
    """The reader's row as this request loaded it, every column and what the reader
    loaders added to it (the bell's count, say): what the header shows of them
    (``ViewerContext.kept_by``). Worked out once per request: a post page's header,
    bar, Like and "Signed in as" all ask it."""
    user = request.user
    kept = getattr(request, "_reader_row", None)
    if kept is None or kept[0] is not user:
        kept = request._reader_row = (user, row_values(user))
    return kept[1]


def reader_and_post(request, post):
    """What the post's Like block is drawn from (``blog.views.likes``,
    ``post_likes_viewer_context``): the reader's row; the post and its course, by the
    versions any change to them bumps (blog.versions); and what the post page's query
    loaded for this reader (their role and Like, the like count)."""
    course = post.course
    return (
        reader_row(request),
        (post.pk, post.page_version, course.pk, course.common_version, course.pages_version),
        (post.viewer_role, post.viewer_liked, post.like_count),
    )
