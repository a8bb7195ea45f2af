from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from accounts import institutions
from accounts.models import Institution, User
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


class InstitutionForm(forms.ModelForm):
    """An institution's set-up by name, field by field (docs/sso.md says what each
    means for Shibboleth, Entra ID and Google Workspace); saved into the allauth app."""

    slug = forms.SlugField(help_text="In its URLs: /accounts/saml/<slug>/metadata/ and so on.")
    protocol = forms.ChoiceField(choices=[("oidc", "OpenID Connect"), ("saml", "SAML 2.0")])
    trusted_for_email = forms.BooleanField(
        required=False,
        help_text="Link an existing local account with the same verified address.",
    )
    email_domains = forms.CharField(
        required=False, help_text="Only these domains may sign in, comma-separated. Empty: any."
    )
    issuer = forms.URLField(required=False, label="OIDC issuer", assume_scheme="https")
    oidc_client_id = forms.CharField(required=False, label="OIDC client id")
    oidc_secret = forms.CharField(required=False, label="OIDC client secret")
    scopes = forms.CharField(required=False, initial="openid profile email")
    claims = forms.JSONField(required=False, help_text="Claim mapping; empty: the defaults.")
    entity_id = forms.CharField(required=False, label="SAML IdP entity id")
    metadata_url = forms.URLField(
        required=False, label="SAML IdP metadata URL", assume_scheme="https"
    )
    sso_url = forms.URLField(
        required=False, label="SAML IdP SSO URL (without metadata)", assume_scheme="https"
    )
    slo_url = forms.URLField(
        required=False, label="SAML IdP logout URL (without metadata)", assume_scheme="https"
    )
    x509cert = forms.CharField(required=False, widget=forms.Textarea, label="SAML IdP certificate")
    sp_x509cert = forms.CharField(required=False, widget=forms.Textarea, label="Our SP certificate")
    sp_private_key = forms.CharField(
        required=False, widget=forms.Textarea, label="Our SP private key"
    )
    sign_requests = forms.BooleanField(required=False, initial=True)
    encrypt_assertions = forms.BooleanField(required=False, initial=True)
    attributes = forms.JSONField(
        required=False, help_text="Attribute mapping; empty: the defaults."
    )

    class Meta:
        model = Institution
        fields = ["name", "sites"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            entry = institutions.entry_from_app(self.instance)
            entry["oidc_client_id"], entry["oidc_secret"] = (
                entry.pop("client_id", ""),
                entry.pop("secret", ""),
            )
            entry["email_domains"] = ", ".join(entry["email_domains"])
            entry["scopes"] = " ".join(entry.get("scopes", []))
            for name, value in entry.items():
                if name in self.fields:
                    self.initial[name] = value

    def clean(self):
        data = super().clean()
        entry = {k: v for k, v in data.items() if v not in (None, "")}
        entry["client_id"] = data.get("oidc_client_id", "")
        entry["secret"] = data.get("oidc_secret", "")
        entry["email_domains"] = [
            d.strip() for d in data.get("email_domains", "").split(",") if d.strip()
        ]
        entry["scopes"] = data.get("scopes", "").split() or ["openid", "profile", "email"]
        entry["sign_requests"] = data.get("sign_requests", False)
        entry["encrypt_assertions"] = data.get("encrypt_assertions", False)
        try:
            self.app_fields = institutions.app_from_entry(entry)
        except ImproperlyConfigured as error:
            raise forms.ValidationError(
                str(error).removeprefix("SSO_INSTITUTIONS: "), code="incomplete"
            ) from error
        return data

    def save(self, commit=True):
        protocol, fields = self.app_fields
        self.instance.provider = protocol
        for name, value in fields.items():
            setattr(self.instance, name, value)
        return super().save(commit=commit)


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    form = InstitutionForm
    list_display = ("name", "provider_id", "provider")
    fieldsets = (
        (
            None,
            {"fields": ("name", "slug", "protocol", "sites", "trusted_for_email", "email_domains")},
        ),
        (
            "OpenID Connect",
            {"fields": ("issuer", "oidc_client_id", "oidc_secret", "scopes", "claims")},
        ),
        (
            "SAML 2.0",
            {
                "fields": (
                    "entity_id",
                    "metadata_url",
                    "sso_url",
                    "slo_url",
                    "x509cert",
                    "sp_x509cert",
                    "sp_private_key",
                    "sign_requests",
                    "encrypt_assertions",
                    "attributes",
                )
            },
        ),
    )
