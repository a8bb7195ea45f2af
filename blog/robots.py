"""A course that asks search engines not to index it (``Course.is_indexed`` off,
docs/privacy.md "Search engines"): its pages carry ``<meta name="robots"
content="noindex">`` (base.html) and an ``X-Robots-Tag: noindex`` header, and the
sitemap leaves it out (blog/sitemaps.py).

The course lookups mark the request (``mark``); base.html reads the mark, and
``RobotsMiddleware`` (or a cached page's view, whose stored copy keeps the header:
pagecache.skeleton.KEPT_HEADERS) sets the header.
"""

NOINDEX = "noindex"


def mark(request, course):
    """Called by every lookup of a course's page."""
    if not course.is_indexed:
        request.robots_noindex = True


def with_header(request, response):
    if getattr(request, "robots_noindex", False):
        response["X-Robots-Tag"] = NOINDEX
    return response


class RobotsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return with_header(request, self.get_response(request))
