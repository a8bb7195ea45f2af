from django.contrib import admin

from lti.models import Context, Deployment, Identity, Platform, ToolKey


class DeploymentInline(admin.TabularInline):
    model = Deployment
    extra = 1


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["__str__", "issuer", "client_id", "trusts_email", "created"]
    search_fields = ["name", "issuer", "client_id"]
    inlines = [DeploymentInline]


@admin.register(Context)
class ContextAdmin(admin.ModelAdmin):
    list_display = ["__str__", "platform", "context_id", "course"]
    list_select_related = ["platform", "course"]
    raw_id_fields = ["course"]
    search_fields = ["title", "context_id"]


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ["sub", "platform", "user", "created"]
    list_select_related = ["platform", "user"]
    raw_id_fields = ["user"]
    search_fields = ["sub", "user__username", "user__email"]


@admin.register(ToolKey)
class ToolKeyAdmin(admin.ModelAdmin):
    list_display = ["kid", "created", "retired_at"]
    readonly_fields = ["kid", "created"]
