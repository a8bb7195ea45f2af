"""Old WordPress links answer 301 to their new home once the old domain points here.

Like Django's RedirectFallbackMiddleware, it looks only at requests that would end in
404 (and at "/" with WordPress's ?p=, ?attachment_id= or ?feed= query), so it never
shadows a page of ours and costs no query on pages that exist.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from imports.models import OldLink

QUERY_KEYS = ("p", "attachment_id", "feed")


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
        return (
            HttpResponsePermanentRedirect(target)
            if (target := self._target(request, path))
            else response
        )

    def _target(self, request, path):
        host = request.get_host().split(":")[0].lower() if request.get_host() else ""
        links = list(
            OldLink.objects.filter(path=path).select_related("post", "course").order_by("pk")[:20]
        )
        if not links:
            return None
        link = next((candidate for candidate in links if candidate.host == host), links[0])
        if link.post is not None:
            link.post.course = link.course
            path = link.post.get_absolute_url()
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
