from django import forms
from django.core.exceptions import ValidationError

from terms.archive import has_public_archive

KINDS = [
    ("public", "Public: what anyone reading the course sees"),
    ("members", "Members': what a student of the course sees (for your records)"),
]


class ArchiveForm(forms.Form):
    kind = forms.ChoiceField(choices=KINDS, widget=forms.RadioSelect, initial="public",
                             label="Which archive")  # fmt: skip

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        if not has_public_archive(course):
            self.fields["kind"].initial = "members"

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind == "public" and not has_public_archive(self.course):
            raise ValidationError(
                "This course is for members only: anonymous readers see nothing of it, so "
                "it has no public archive. Build the members' archive.",
                code="no_public_archive",
            )
        return kind
