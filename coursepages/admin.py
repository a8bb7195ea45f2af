from django.contrib import admin

from blog.versions import ChangesPagesAdmin
from coursepages.models import Page


@admin.register(Page)
class PageAdmin(ChangesPagesAdmin, admin.ModelAdmin):
    list_display = ["title", "course", "parent", "order", "status", "visibility", "updated"]
    list_filter = ["status", "visibility", "course"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["course", "author", "parent"]
    list_select_related = ["course", "parent"]

    def pages_of(self, page):
        """The menu is on every page of the course."""
        return {"course": page.course}
