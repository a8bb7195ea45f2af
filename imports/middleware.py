"""Old WordPress links answer 301 to their new home once the old domain points here.

Like Django's RedirectFallbackMiddleware, it looks only at requests that would end in
404 (and at "/" with WordPress's ?p=, ?attachment_id= or ?feed= query), so it never
shadows a page of ours and costs no query on pages that exist. Nor does it claim an
unknown address inside our own URL space (``is_ours``): /c/other-course/no-such-post/
stays a 404 whatever an export's links said.
"""

import functools
import re

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, get_resolver, resolve, reverse

from imports.models import OldLink

QUERY_KEYS = ("p", "page_id", "attachment_id", "feed")
# WordPress's feed addresses, which fall under our /feed/ and /comments/ prefixes.
WORDPRESS_FEEDS = frozenset(
    ["/feed/", "/feed/rss/", "/feed/rss2/", "/feed/atom/", "/feed/rdf/", "/comments/feed/"]
)


class OldLinkRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and any(key in request.GET for key in QUERY_KEYS):
            key = next(k for k in QUERY_KEYS if k in request.GET)
            target = self._target(request, f"/?{key}={request.GET[key]}")
            if target:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        path = request.path if request.path.endswith("/") else request.path + "/"
        if is_ours(path):
            return response
        return (
            HttpResponsePermanentRedirect(target)
            if (target := self._target(request, path))
            else response
        )

    def _target(self, request, path):
        host = request.get_host().split(":")[0].lower() if request.get_host() else ""
        links = list(
            OldLink.objects.filter(path=path)
            .select_related("post", "page", "course")
            .order_by("pk")[:20]
        )
        if not links:
            return None
        link = next((candidate for candidate in links if candidate.host == host), links[0])
        if link.post is not None:
            link.post.course = link.course
            path = link.post.get_absolute_url()
        elif link.page is not None:
            link.page.course = link.course
            path = link.page.get_absolute_url()
        else:
            path = reverse("blog:course_feed_rss", kwargs={"course_slug": link.course.slug})
        return canonical(path) if host == link.host else path


def canonical(path):
    """The address on this site's own domain: a reader who came by the old domain
    moves to ours (and search engines move the old page's standing with them)."""
    own = settings.SITE_DOMAIN
    if not own:
        return path
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{own}{path}"


@functools.cache
def _our_prefixes():
    """The first segments under which our URLs answer by pattern (c, accounts, admin,
    media, ...): the literal start of every route of the root URLconf, looking into
    includes mounted at the root."""

    def heads(patterns):
        for pattern in patterns:
            route = str(pattern.pattern).lstrip("^")
            head = re.split(r"[/<(\[\\$?]", route, maxsplit=1)[0]
            if head and route != head:
                yield head
            elif not route and hasattr(pattern, "url_patterns"):
                yield from heads(pattern.url_patterns)

    return frozenset(heads(get_resolver().url_patterns))


def is_ours(path):
    """True for a path in our own URL space, which an old link may never claim: one of
    our views answers it, or it lies under one of our prefixes (/c/…, /accounts/…)."""
    if "?" in path:  # /?p=12 and the like: WordPress's query links on our home page
        return False
    first = path.lstrip("/").split("/", 1)[0]
    if first in _our_prefixes() and path not in WORDPRESS_FEEDS:
        return True
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
