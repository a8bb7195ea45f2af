from django.contrib import admin

from imports.models import ImportRun, OldLink, Placeholder


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Runs are made by the import page and the command; staff read them here."""

    list_display = ["pk", "course", "source_name", "status", "done", "total", "created"]
    list_filter = ["status"]
    list_select_related = ["course"]
    search_fields = ["source_name", "course__title"]
    readonly_fields = ["course", "started_by", "status", "done", "total", "report", "error",
                       "created", "finished", "export_file", "media_file"]  # fmt: skip
    fields = [*readonly_fields, "source_name", "award_category"]

    def has_add_permission(self, request):
        return False


@admin.register(OldLink)
class OldLinkAdmin(admin.ModelAdmin):
    list_display = ["host", "path", "post", "course"]
    list_select_related = ["post", "course"]
    search_fields = ["path", "host"]
    raw_id_fields = ["course", "run", "post"]


@admin.register(Placeholder)
class PlaceholderAdmin(admin.ModelAdmin):
    """Accounts waiting for their person to sign in with this verified email."""

    list_display = ["user", "email", "created"]
    list_select_related = ["user"]
    search_fields = ["email", "user__username"]
    raw_id_fields = ["user"]
