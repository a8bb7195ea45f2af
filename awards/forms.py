from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from accounts.images import clean_image_upload, square_rendition
from awards import emblems
from awards.models import Award, AwardGrant

EMBLEM_MAX_BYTES = 2 * 1024 * 1024
EMBLEM_SIZE = 160


class ColourInput(forms.TextInput):
    """<input type=color>: it always holds a colour, so HTML allows it neither `required`
    nor `maxlength` (the model field's max_length still validates on the server)."""

    input_type = "color"

    def use_required_attribute(self, initial):
        return False

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.pop("maxlength", None)
        return attrs


class AwardForm(forms.ModelForm):
    """Create or edit an award; the view passes an instance whose course is set."""

    class Meta:
        model = Award
        fields = ["name", "description", "criteria", "symbol", "emoji", "image", "colour"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "criteria": forms.Textarea(attrs={"rows": 3}),
            "symbol": forms.RadioSelect,
            "colour": ColourInput,
            "image": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
            ),
        }
        help_texts = {
            "image": "Optional, used instead of the drawing or the emoji: a square-ish PNG or JPEG."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The first choice keeps the emoji below; the others are drawings.
        self.fields["symbol"].choices = [("", "Emoji"), *emblems.CHOICES]

    def symbol_options(self):
        """(radio, drawing) for each choice: the template shows each drawing beside its
        radio button ("" for the emoji choice)."""
        return [(radio, emblems.drawing(radio.data["value"])) for radio in self["symbol"]]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = Award.objects.filter(course_id=self.instance.course_id, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                "This course already has an award with this name.", code="duplicate_name"
            )
        return name

    def clean_emoji(self):
        return self.cleaned_data["emoji"].strip()

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            if image.size > EMBLEM_MAX_BYTES:
                raise ValidationError(
                    "An emblem image can be at most 2 MB.", code="emblem_too_large"
                )
            return square_rendition(clean_image_upload(image), size=EMBLEM_SIZE)
        return image

    def clean_colour(self):
        return self.cleaned_data["colour"].lower()


class GrantForm(forms.Form):
    """Choose one of the course's current awards for a post, with an optional citation.

    The grant itself is made by awards.services.grant_award.
    """

    award = forms.ModelChoiceField(
        queryset=Award.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of this course's current awards."},
    )
    citation = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Shown on the banner and sent to the author.",
    )

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.fields["award"].queryset = Award.objects.for_course(post.course).active()
        self.fields["award"].label_from_instance = lambda award: (
            award.name if award.image or award.symbol else f"{award.emblem_emoji} {award.name}"
        )
        self.has_awards = self.fields["award"].queryset.exists()

    def clean(self):
        cleaned = super().clean()
        award = cleaned.get("award")
        if award is not None:
            award.check_grantable(self.post)
        return cleaned

    def preview(self):
        """An unsaved grant, to show the banner before confirming."""
        return AwardGrant(award=self.cleaned_data["award"], citation=self.cleaned_data["citation"])


class AdminGrantForm(forms.Form):
    """The admin action's intermediate page: which award, and an optional citation."""

    award = forms.ModelChoiceField(queryset=Award.objects.active().select_related("course"))
    citation = forms.CharField(required=False, max_length=1000, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].label_from_instance = lambda award: f"{award.course} — {award}"
