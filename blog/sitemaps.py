"""sitemap.xml: the public courses and their published posts, and what other apps add
(``hooks.SITEMAPS``: coursepages' pages).

What a search engine may list is what an anonymous reader may read, so both come
from ``visible_to(AnonymousUser())``; a course that asked not to be indexed
(``Course.is_indexed`` off, blog/robots.py) is left out with its posts. Addresses use
the host the request came to (as the pages' canonical links do), not the Sites
framework's placeholder domain; ``sitemaps_for(request)`` makes fresh instances per request
for that.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from blog.models import Course, Post
from config import hooks


class RequestHostSitemap(Sitemap):
    def __init__(self, domain):
        self.domain = domain

    def get_domain(self, site=None):
        return self.domain


class CourseSitemap(RequestHostSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Course.objects.visible_to(AnonymousUser()).filter(is_indexed=True).order_by("pk")


class PostSitemap(RequestHostSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        posts = Post.objects.visible_to(AnonymousUser()).filter(course__is_indexed=True)
        return posts.select_related("course").order_by("pk")

    def lastmod(self, post):
        return post.updated


def sitemaps_for(request):
    domain = request.get_host()
    sections = {"courses": CourseSitemap(domain), "posts": PostSitemap(domain)}
    for more in hooks.SITEMAPS:  # other apps' sections (coursepages' pages)
        sections.update(more(domain))
    return sections
