"""Extension points for the apps built on blog (comments, awards).

Dependencies point one way (accounts <- blog <- comments, awards), yet the post page
shows comments and awards, and cards show their counts and badges. So blog offers
two hooks, which those apps fill from their AppConfig.ready():

- ``register_post_page_part(func)``: ``func(request, post) -> dict`` of extra context
  for the post page. It loads everything its template needs, in a fixed number of
  queries.
- ``register_card_loader(func)``: ``func(queryset) -> queryset`` adding annotations or
  prefetches that post cards show; ``PostQuerySet.with_cards()`` applies them all.
- ``register_course_page_part(func)``: ``func(request, course) -> dict`` of extra
  context for the course page (for example counts behind the instructor links).
"""

_post_page_parts = []
_card_loaders = []
_course_page_parts = []


def register_post_page_part(func):
    _post_page_parts.append(func)
    return func


def register_card_loader(func):
    _card_loaders.append(func)
    return func


def post_page_context(request, post):
    context = {}
    for func in _post_page_parts:
        context.update(func(request, post))
    return context


def apply_card_loaders(queryset):
    for func in _card_loaders:
        queryset = func(queryset)
    return queryset


def register_course_page_part(func):
    _course_page_parts.append(func)
    return func


def course_page_context(request, course):
    context = {}
    for func in _course_page_parts:
        context.update(func(request, course))
    return context
