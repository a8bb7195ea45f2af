from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator

MAX_EXPORT_BYTES = 100 * 1024 * 1024
MAX_MEDIA_BYTES = 1024 * 1024 * 1024


class ImportForm(forms.Form):
    export = forms.FileField(
        label="WordPress export (.xml)",
        validators=[FileExtensionValidator(["xml"])],
        help_text="In WordPress: Tools → Export → All content → Download Export File.",
    )
    media = forms.FileField(
        label="Uploads folder as a .zip (optional)",
        required=False,
        validators=[FileExtensionValidator(["zip"])],
        help_text="A zip of wp-content/uploads, for images. Nothing is fetched from the web.",
    )
    award_category = forms.CharField(
        label="Category that becomes an award (optional)",
        required=False,
        max_length=80,
        help_text="For example “Comrade's Corner”: its posts receive an award of that name.",
    )

    def clean_export(self):
        export = self.cleaned_data["export"]
        if export.size > MAX_EXPORT_BYTES:
            raise ValidationError("The export is larger than 100 MB.", code="too_large")
        return export

    def clean_media(self):
        media = self.cleaned_data.get("media")
        if media and media.size > MAX_MEDIA_BYTES:
            raise ValidationError("The zip is larger than 1 GB.", code="too_large")
        if media:
            import zipfile

            if not zipfile.is_zipfile(media):
                raise ValidationError("This file is not a zip archive.", code="not_zip")
            media.seek(0)
        return media
