import re

from django import forms
from django.core.exceptions import ValidationError

from accounts.images import clean_image_upload
from blog.models import Course, Post, Role, Topic
from blog.participation import period_bounds, period_slug
from blog.services import POST_FIELDS

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title", "term", "description", "visibility", "guest_comments", "thread_depth",
            "time_zone", "citation_style", "erasure_policy",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].required = False  # empty keeps the current zone
        self.fields["citation_style"].required = False  # empty keeps the current style
        self.fields["erasure_policy"].required = False  # empty keeps the current policy

    def clean_erasure_policy(self):
        return self.cleaned_data["erasure_policy"] or self.instance.erasure_policy

    def clean_citation_style(self):
        return self.cleaned_data["citation_style"] or self.instance.citation_style

    def clean_time_zone(self):
        return self.cleaned_data["time_zone"].strip() or self.instance.time_zone

    def clean_thread_depth(self):
        depth = self.cleaned_data["thread_depth"]
        if not 1 <= depth <= 10:
            raise ValidationError("Choose a depth from 1 to 10.", code="depth_range")
        return depth


class JoinCourseForm(forms.Form):
    code = forms.CharField(
        label="Join code",
        max_length=20,
        help_text="Your instructor gives you this code: eight letters and digits.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).upper()
        try:
            self.course = Course.objects.get(join_code=code)
        except Course.DoesNotExist:
            raise ValidationError(
                "No course has this code. Check it with your instructor.", code="unknown_code"
            ) from None
        return code


class PostForm(forms.ModelForm):
    image_upload = forms.FileField(
        label="Choose an image",
        required=False,
        help_text="JPEG, PNG, WebP or GIF, up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    remove_image = forms.BooleanField(label="Remove the featured image", required=False)
    topics = forms.ModelMultipleChoiceField(
        label="Pick from the course's topics",
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_topics = forms.CharField(
        label="New topics",
        required=False,
        max_length=200,
        help_text="Separate topics with commas, for example “Week 4, Samizdat”.",
    )
    image_credit_url = forms.URLField(
        label="Credit link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Where the image comes from, if online.",
    )
    body_image = forms.FileField(
        label="Insert an image into the text",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )

    class Meta:
        model = Post
        fields = [
            "title",
            "body",
            "excerpt",
            "image_alt",
            "image_caption",
            "image_credit",
            "image_credit_url",
            "topics",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18}),
            "excerpt": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["topics"].queryset = course.topics.all()
        self.featured_image = None
        self.inserted_image = None

    def clean_image_upload(self):
        upload = self.cleaned_data.get("image_upload")
        if upload:
            self.featured_image = clean_image_upload(upload)
        return upload

    def clean_body_image(self):
        upload = self.cleaned_data.get("body_image")
        if upload:
            self.inserted_image = clean_image_upload(upload)
        return upload

    def clean_new_topics(self):
        names = [n.strip() for n in self.cleaned_data["new_topics"].split(",")]
        names = [n for n in names if n]
        if any(len(n) > 60 for n in names):
            raise ValidationError("Keep each topic under 60 characters.", code="topic_length")
        return names

    def clean(self):
        cleaned = super().clean()
        will_have_image = bool(self.featured_image) or (
            self.instance.image and not cleaned.get("remove_image")
        )
        if will_have_image and not cleaned.get("image_alt", "").strip():
            self.add_error(
                "image_alt",
                ValidationError(
                    "Describe the image for readers who can't see it.", code="alt_required"
                ),
            )
        return cleaned

    def service_values(self):
        """The cleaned values, as blog.services.save_post takes them."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in POST_FIELDS},
            "topics": data["topics"],
            "new_topics": data["new_topics"],
            "featured_image": self.featured_image,
            "remove_image": data["remove_image"],
        }


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=200_000)


MAX_ROSTER_ENTRIES = 500


def roster_entries(text):
    """Usernames or emails from pasted text: one per line (commas and semicolons also
    separate), "Name <email>" gives the email, blank lines are skipped."""
    entries = []
    for part in re.split(r"[\n,;]+", text):
        part = part.strip()
        inside = re.search(r"<([^<>]+)>", part)
        entry = (inside.group(1) if inside else part).strip().strip("<>").strip()
        if entry:
            entries.append(entry)
    return entries


class AddMembersForm(forms.Form):
    entries = forms.CharField(
        label="Usernames or emails",
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        help_text="One per line. Paste as many as you like; each must already have an account.",
    )
    role = forms.ChoiceField(label="Add them as", choices=Role.choices, initial=Role.STUDENT)

    def clean_entries(self):
        entries = roster_entries(self.cleaned_data["entries"])
        if not entries:
            raise ValidationError("Enter at least one username or email.", code="empty")
        if len(entries) > MAX_ROSTER_ENTRIES:
            raise ValidationError(
                "Add at most %(max)d people at a time.",
                code="too_many",
                params={"max": MAX_ROSTER_ENTRIES},
            )
        return entries


class MembershipRoleForm(forms.Form):
    """A member's new role (a plain form: the service checks it against the old one)."""

    role = forms.ChoiceField(choices=Role.choices)


class ParticipationForm(forms.Form):
    """The period of the participation table (a GET form)."""

    period = forms.ChoiceField(
        choices=[
            ("week", "This week"),
            ("7days", "Last 7 days"),
            ("term", "Whole term"),
            ("custom", "Between dates"),
        ],
        required=False,
    )
    start = forms.DateField(label="From", required=False, widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput({"type": "date"}))

    def clean_period(self):
        return self.cleaned_data["period"] or "week"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if cleaned.get("period") == "custom" and not (start or end or self.errors):
            raise ValidationError("Choose a start date, an end date or both.", code="no_dates")
        if start and end and start > end:
            self.add_error(
                "end", ValidationError("The end date is before the start date.", code="order")
            )
        return cleaned

    def bounds(self, now=None):
        """(start, end) datetimes of the chosen period (None: open)."""
        return period_bounds(self.cleaned_data["period"], now=now, **self._dates())

    def slug(self, now=None):
        return period_slug(self.cleaned_data["period"], now=now, **self._dates())

    def _dates(self):
        return {"start_date": self.cleaned_data["start"], "end_date": self.cleaned_data["end"]}
