from django.contrib import admin

from badges.models import Credential, SigningKey


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the site writes itself: for looking up, never for editing by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    """The issuer's keys; ``manage.py badge_keys rotate`` makes a new one."""

    list_display = ["pk", "public_key_multibase", "created", "retired_at"]
    fields = ["public_key_multibase", "created", "retired_at"]  # never the private key


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ["uuid", "grant", "recipient", "created", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["grant__award", "grant__post", "recipient"]
    search_fields = ["uuid", "recipient__username"]
    fields = ["uuid", "grant", "recipient", "created", "revoked_at", "include_evidence"]
