from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator

MB = 1024 * 1024


def megabytes(mb):
    """100 -> "100 MB", 1024 -> "1 GB"."""
    return f"{mb // 1024} GB" if mb >= 1024 and mb % 1024 == 0 else f"{mb} MB"


class ImportForm(forms.Form):
    export = forms.FileField(
        label="WordPress export (.xml)",
        validators=[FileExtensionValidator(["xml"])],
        help_text="In WordPress: Tools → Export → All content → Download Export File. Up to {}.",
    )
    media = forms.FileField(
        label="Uploads folder as a .zip (optional)",
        required=False,
        validators=[FileExtensionValidator(["zip"])],
        help_text=(
            "A zip of wp-content/uploads, for images, up to {}. Nothing is fetched from the web."
        ),
    )
    award_category = forms.CharField(
        label="Category that becomes an award (optional)",
        required=False,
        max_length=80,
        help_text="For example “Comrade's Corner”: its posts receive an award of that name.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limits are settings (nginx's client_max_body_size is written from them).
        self.fields["export"].help_text = self.fields["export"].help_text.format(
            megabytes(settings.IMPORT_EXPORT_MAX_MB)
        )
        self.fields["media"].help_text = self.fields["media"].help_text.format(
            megabytes(settings.IMPORT_MEDIA_MAX_MB)
        )

    def clean_export(self):
        export = self.cleaned_data["export"]
        limit = settings.IMPORT_EXPORT_MAX_MB
        if export.size > limit * MB:
            raise ValidationError(
                f"The export is larger than {megabytes(limit)}.", code="too_large"
            )
        return export

    def clean_media(self):
        media = self.cleaned_data.get("media")
        limit = settings.IMPORT_MEDIA_MAX_MB
        if media and media.size > limit * MB:
            raise ValidationError(f"The zip is larger than {megabytes(limit)}.", code="too_large")
        if media:
            import zipfile

            if not zipfile.is_zipfile(media):
                raise ValidationError("This file is not a zip archive.", code="not_zip")
            media.seek(0)
        return media
