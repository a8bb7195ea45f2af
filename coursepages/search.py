"""Pages in search: the pages a reader may read whose title or text holds every word of
the query, above the post results (blog's SEARCH_RESULTS slot). A course has a few
pages, so a plain match (the same on SQLite and PostgreSQL) is enough: one query."""

from django.db import models
from django.db.models import Q

from blog.rendering import plain_text, without_embeds
from blog.search import highlight, search_terms
from coursepages.models import Page

PAGE_RESULTS = 5


def find_pages(pages, text):
    """`pages` (a queryset) holding every word of `text`, those with them in the title
    first; none for a query of no words."""
    terms = search_terms(text)
    if not terms:
        return pages.none()
    matches, in_title = Q(), Q()
    for term in terms:
        matches &= Q(title__icontains=term) | Q(body__icontains=term)
        in_title |= Q(title__icontains=term)
    title_first = models.Case(models.When(in_title, then=models.Value(1)), default=models.Value(0))
    return pages.filter(matches).annotate(rank=title_first).order_by("-rank", "order", "title")


def matching_pages(request, search):
    """SEARCH_RESULTS' part: ``search`` has ``course`` (None: every course) and ``query``."""
    pages = Page.objects.published().visible_to(request.user)
    if search.course is not None:
        pages = pages.for_course(search.course)
    found = list(find_pages(pages.select_related("course"), search.query)[:PAGE_RESULTS])
    if not found:
        return None
    terms = search_terms(search.query)
    for page in found:
        page.snippet = highlight(plain_text(without_embeds(page.body_html)), terms)
    return {"found_pages": found, "query": search.query}
