"""How blog reads the hooks other apps register with (config/hooks.py): the parts of a
page's slots prepared for a view, and what its queries and posts apply.

A view prepares the slots its page shows with ``page_parts(request, obj, *slots)``
(context functions run there, never in the template); templates render a slot with
``{% page_parts "slot_name" %}`` (blog_tags).
"""

from dataclasses import dataclass

from config import hooks


@dataclass(frozen=True)
class PreparedPart:
    """A part ready to render: its template and the context it loaded."""

    template: str
    context: dict  # None: a per-viewer part this reader doesn't see
    per_viewer: bool = False


def prepare(slot, request, obj=None):
    """The parts of `slot` (a hook of config.hooks) this request shows, their context
    functions run."""
    prepared = []
    for part in slot:
        context = {} if part.context is None else part.context(request, obj)
        # A per-viewer part hidden from this reader stays, empty: in a page cached for
        # signed-in readers it is still a hole, which another reader may fill.
        if context is not None or part.per_viewer:
            prepared.append(PreparedPart(part.template, context, part.per_viewer))
    return prepared


def prepare_one(slot, template, request, obj=None):
    """The part of `slot` drawn by `template`, prepared for this request (or None)."""
    part = slot.get(template)
    if part is None:
        return None
    context = {} if part.context is None else part.context(request, obj)
    return None if context is None else PreparedPart(template, context, part.per_viewer)


def page_parts(request, obj, *slots):
    """Context for a page showing `slots` about `obj`: ``{"page_parts": {name: [...]}}``."""
    return {"page_parts": {slot.name: prepare(slot, request, obj) for slot in slots}}


def with_post_page_loaders(queryset, reader):
    for loader in hooks.POST_PAGE_LOADERS:
        queryset = loader(queryset, reader)
    return queryset


def with_reader_loaders(queryset):
    for loader in hooks.READER_LOADERS:
        queryset = loader(queryset)
    return queryset


def apply_card_loaders(queryset):
    for loader in hooks.CARD_LOADERS:
        queryset = loader(queryset)
    return queryset


def apply_body_filters(post, html):
    for body_filter in hooks.BODY_FILTERS:
        html = body_filter(post, html)
    return html


def post_rankings():
    """``{annotation name: expression}``, highest priority first (hooks.POST_RANKINGS)."""
    return {f"extension_rank_{n}": ranking() for n, ranking in enumerate(hooks.POST_RANKINGS)}
