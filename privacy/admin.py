"""Subject access and erasure requests from the admin: two actions on the users' list,
and the log of each (who ran it, when). docs/privacy.md, "Answering an access or
erasure request"."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from accounts.admin import UserAdmin
from accounts.models import User
from privacy import services
from privacy.forms import ConfirmErasureForm
from privacy.models import DataExport, Erasure


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "requested_by", "created", "status", "expires", "size")
    list_filter = ("status",)
    list_select_related = ("user", "requested_by")
    readonly_fields = [f.name for f in DataExport._meta.fields]
    raw_id_fields = ("user", "requested_by")

    def has_add_permission(self, request):
        return False  # run the users' "Download their data" action instead

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ("user_number", "by", "by_self", "created", "summary")
    list_select_related = ("by",)
    readonly_fields = [f.name for f in Erasure._meta.fields]

    def has_add_permission(self, request):
        return False  # run the users' "Erase this account" action instead

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(User)


@admin.register(User)
class PrivacyUserAdmin(UserAdmin):
    """accounts' user admin, with the two privacy requests as actions."""

    actions = ["export_data", "erase_account"]

    @admin.action(description="Download their data (subject access request)")
    def export_data(self, request, queryset):
        for user in queryset:
            services.request_export(user=user, by=request.user)
        self.message_user(
            request,
            f"Queued {len(queryset)} data export(s); each person gets an email with the link, "
            "and the request is logged under Privacy requests.",
            messages.SUCCESS,
        )

    @admin.action(description="Erase this account (can't be undone)")
    def erase_account(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Erase one account at a time.", messages.ERROR)
            return None
        user = queryset.get()
        if services.is_erased(user):
            self.message_user(request, "That account is already erased.", messages.WARNING)
            return None
        if user.pk == request.user.pk:
            self.message_user(
                request, "Erase your own account from your account settings.", messages.ERROR
            )
            return None
        form = ConfirmErasureForm(
            request.POST if "confirm" in request.POST else None, expected=user.username
        )
        if form.is_valid():
            services.erase_person(user=user, by=request.user)
            self.message_user(request, f"Account {user.pk} has been erased.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase this account",
            "person": user,
            "form": form,
            "courses": services.erasure_courses(user),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/privacy/erase_confirmation.html", context)
