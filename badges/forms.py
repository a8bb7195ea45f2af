from django import forms
from django.core.exceptions import ValidationError

from badges.models import Credential

MAX_UPLOAD = 2 * 1024 * 1024


class CredentialChoicesForm(forms.ModelForm):
    """What the student lets their credential say about them."""

    class Meta:
        model = Credential
        fields = ["include_evidence", "show_name", "recipient_did"]
        widgets = {"recipient_did": forms.TextInput(attrs={"placeholder": "did:key:z6Mk…"})}

    def clean_recipient_did(self):
        return self.cleaned_data["recipient_did"].strip()


class VerifyForm(forms.Form):
    """A credential to check: its address on this site, or a file (JSON, PNG or SVG)."""

    url = forms.CharField(
        label="Credential address",
        required=False,
        max_length=500,
        help_text="The address of a credential this site issued (…/badges/credentials/…).",
    )
    file = forms.FileField(
        label="Or a credential file",
        required=False,
        help_text="The credential as JSON, or the badge image (PNG or SVG) it is baked into.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload.size > MAX_UPLOAD:
            raise ValidationError("The file is too big (2 MB at most).", code="too_big")
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("url")) == bool(data.get("file")):
            raise ValidationError(
                "Give either a credential's address or a file, not both.", code="one_of"
            )
        return data
