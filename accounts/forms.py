from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from accounts.images import clean_image_upload, square_rendition

AVATAR_SIZE = 256


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"  # "example.edu" means https://example.edu
    return model_field.formfield(**kwargs)


class ProfileForm(forms.ModelForm):
    # A plain file field: accounts.images decides what is an acceptable image,
    # so every upload in the project fails with the same clear messages.
    avatar = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
        help_text="JPEG, PNG, WebP or GIF, up to 10 MB. We crop it to a square.",
    )

    class Meta:
        model = get_user_model()
        fields = ["display_name", "bio", "website", "avatar", "name_in_public", "pseudonym"]
        formfield_callback = _formfield
        widgets = {"bio": forms.Textarea(attrs={"rows": 4}), "name_in_public": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choice = self.fields["name_in_public"]
        choice.required = False
        choice.choices = get_user_model().NameInPublic.choices  # "" is a choice: no blank

    def clean_pseudonym(self):
        pseudonym = " ".join(self.cleaned_data["pseudonym"].split())
        user = self.instance
        own = {user.username, user.get_full_name(), user.first_name, user.last_name}
        if pseudonym and pseudonym.casefold() in {n.casefold() for n in own if n}:
            raise ValidationError(
                "A pseudonym stands in for your name: choose one that isn't your name or username.",
                code="pseudonym_is_name",
            )
        return pseudonym

    def clean(self):
        cleaned = super().clean()
        wants = cleaned.get("name_in_public") == get_user_model().NameInPublic.PSEUDONYM
        if wants and not cleaned.get("pseudonym") and "pseudonym" not in self.errors:
            self.add_error(
                "pseudonym",
                ValidationError(
                    "Type the pseudonym you want to appear under.", code="no_pseudonym"
                ),
            )
        return cleaned

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if isinstance(avatar, UploadedFile):
            return square_rendition(clean_image_upload(avatar), size=AVATAR_SIZE)
        return avatar


class StandInIdentityForm(forms.Form):
    """The identity a provider would report, typed on the development stand-in page."""

    name = forms.CharField(max_length=100, label="Your name")
    email = forms.EmailField(label="Email address")
    email_verified = forms.BooleanField(
        required=False,
        initial=True,
        label="The provider has verified this email address",
    )
