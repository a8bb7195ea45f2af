"""The pages' section of sitemap.xml (blog/sitemaps.py): published pages an anonymous
reader may read, of courses that let search engines index them."""

from django.contrib.auth.models import AnonymousUser

from blog.sitemaps import RequestHostSitemap
from coursepages.models import Page


class PageSitemap(RequestHostSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        pages = Page.objects.published().visible_to(AnonymousUser())
        return pages.filter(course__is_indexed=True).select_related("course").order_by("pk")

    def lastmod(self, page):
        return page.updated


def sitemaps(domain):
    return {"pages": PageSitemap(domain)}
