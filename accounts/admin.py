from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

from accounts.models import User
from accounts.signals import profile_changed


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Profile", {"fields": ("display_name", "bio", "website", "avatar")}),
        ("Name in public (docs/privacy.md)", {"fields": ("name_in_public", "pseudonym")}),
    )
    list_display = ("username", "display_name", "email", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "display_name", "first_name", "last_name", "email")
    date_hierarchy = "date_joined"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            profile_changed.send(sender=User, user=obj)
