import functools
import re
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from accounts.images import clean_image_upload
from blog.models import Course, Post, Role, Topic, course_zone_of
from blog.participation import period_bounds, period_slug
from blog.services import POST_FIELDS, TOPICS

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


@functools.cache
def time_zone_choices():
    """The zones Python knows (``zoneinfo.available_timezones()``), grouped by region
    for a ``<select>``: ("Europe", [("Europe/London", "London"), ...]), ...; zones of
    no region ("UTC") and the fixed offsets under "Other"."""
    groups = {}
    for name in sorted(zoneinfo.available_timezones()):
        region, _, place = name.partition("/")
        if not place or region in ("Etc", "SystemV", "US", "Canada", "Brazil", "Mexico", "Chile"):
            region, place = "Other", name
        groups.setdefault(region, []).append((name, place.replace("_", " ").replace("/", ", ")))
    other = groups.pop("Other", [])
    return [*sorted(groups.items()), ("Other", other)]


class CourseForm(forms.ModelForm):
    # Left out of a form sent by an older page: each keeps the course's current value.
    KEEP_WHEN_EMPTY = (
        "time_zone", "citation_style", "default_post_visibility", "max_post_visibility",
        "public_names", "is_indexed", "erasure_policy",
    )  # fmt: skip
    is_indexed = forms.TypedChoiceField(
        label="Search engines",
        choices=[
            (True, "Let search engines index the course"),
            (False, "Ask search engines not to index it (and leave it out of the sitemap)"),
        ],
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,  # empty keeps the current zone
        help_text="Due dates and times are shown in this zone. Type a city's first letters "
        "to jump to it.",
        error_messages={
            "invalid_choice": "Choose a time zone from the list, such as Europe/London."
        },
    )

    class Meta:
        model = Course
        fields = [
            "title", "term", "description", "visibility", "guest_comments", "thread_depth",
            "time_zone", "citation_style", "default_post_visibility", "max_post_visibility",
            "public_names", "is_indexed", "erasure_policy",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = time_zone_choices()
        current = self.instance.time_zone
        if current and current not in zoneinfo.available_timezones():
            choices = [("", [(current, current)]), *choices]  # keep a zone set before
        self.fields["time_zone"].choices = choices
        self.initial.setdefault("time_zone", current)  # a new course: the site's zone
        # The model's callable default would add a hidden "initial-" input, and Django
        # gives it the help text's aria-describedby, which HTML forbids on hidden inputs.
        self.fields["time_zone"].show_hidden_initial = False
        for name in self.KEEP_WHEN_EMPTY:
            self.fields[name].required = False  # empty keeps the current value

    def clean_time_zone(self):
        return self.cleaned_data["time_zone"].strip()

    def clean(self):
        cleaned = super().clean()
        for name in self.KEEP_WHEN_EMPTY:
            if name in cleaned and cleaned[name] in (None, ""):
                cleaned[name] = getattr(self.instance, name)
        default, widest = cleaned.get("default_post_visibility"), cleaned.get("max_post_visibility")
        if default and widest and Post.Visibility(default).reach > Post.Visibility(widest).reach:
            self.add_error(
                "default_post_visibility",
                ValidationError(
                    "The default can't be wider than what authors may choose (%(widest)s).",
                    code="default_above_ceiling",
                    params={"widest": Post.Visibility(widest).label},
                ),
            )
        return cleaned

    def clean_thread_depth(self):
        depth = self.cleaned_data["thread_depth"]
        if not 1 <= depth <= 10:
            raise ValidationError("Choose a depth from 1 to 10.", code="depth_range")
        return depth


class CourseSettingsForm(CourseForm):
    """The settings page's form: the course's fields and its face (a header image with
    its focal point, an accent colour). The upload is checked like every image
    (accounts.images) and kept as ``header_image`` (a CleanImage) for the service."""

    FACE_FIELDS = ("header_upload", "remove_header", "header_focus_x", "header_focus_y", "accent")
    KEEP_WHEN_EMPTY = (*CourseForm.KEEP_WHEN_EMPTY, "header_focus_x", "header_focus_y")
    header_upload = forms.FileField(
        label="Header image",
        required=False,
        help_text="JPEG, PNG, WebP or GIF, up to 10 MB. Wide pictures work best.",
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    remove_header = forms.BooleanField(label="Remove the header image", required=False)

    class Meta(CourseForm.Meta):
        fields = [*CourseForm.Meta.fields, "header_focus_x", "header_focus_y", "accent"]
        widgets = {
            **CourseForm.Meta.widgets,
            "accent": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "header_focus_x": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "header_focus_y": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }
        help_texts = {
            "header_focus_x": "What must stay in view on a phone: 0 is the left edge, 100 "
            "the right. Click the preview to set both.",
            "header_focus_y": "0 is the top, 100 the bottom.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.header_image = None

    def clean_header_upload(self):
        upload = self.cleaned_data.get("header_upload")
        if upload:
            self.header_image = clean_image_upload(upload)
        return upload

    def face_fields(self):
        return [self[name] for name in self.FACE_FIELDS]

    def other_fields(self):
        return [field for field in self if field.name not in self.FACE_FIELDS]


class PinForm(forms.Form):
    """Pin a post as an announcement until a time in the course's zone (or until
    unpinned)."""

    until = forms.DateTimeField(
        label="Show it until",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": "Enter a date and time, such as 2027-01-18 09:00."},
    )

    def __init__(self, *args, time_zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        until = self.initial.get("until")
        if until is not None:
            self.initial["until"] = timezone.localtime(until, time_zone).replace(tzinfo=None)
        self.fields[
            "until"
        ].help_text = (
            f"In {time_zone.key} time. Leave it empty to keep it pinned until you unpin it."
        )

    def _clean_fields(self):
        with timezone.override(self.time_zone):  # naive input means the course's zone
            super()._clean_fields()

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until is not None and until <= timezone.now():
            raise ValidationError("Choose a time in the future.", code="past")
        return until


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
        if self.course.is_closed:
            raise ValidationError(
                "%(ended)s It takes no new members.",
                code="closed",
                params={"ended": self.course.closed_message()},
            )
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
            "visibility",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18}),
            "excerpt": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["topics"].queryset = course.topics.all()
        visibility = self.fields["visibility"]
        visibility.required = False  # left out: the post keeps its own (a new one: the course's)
        visibility.label = ""  # the editor's fieldset says it: "Who may read it"
        visibility.widget = forms.RadioSelect(choices=[c for c in visibility.choices if c[0]])
        visibility.help_text = (
            f"In this course authors may choose up to “{course.widest_post_visibility.label}”. "
            "The course's instructors and staff read every post."
        )
        if self.instance._state.adding and not self.is_bound:
            self.initial["visibility"] = course.new_post_visibility
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

    def clean_visibility(self):
        visibility = self.cleaned_data["visibility"] or (
            self.course.new_post_visibility
            if self.instance._state.adding
            else self.instance.visibility
        )
        if not self.course.allows_post_visibility(visibility):
            widest = self.course.widest_post_visibility
            raise ValidationError(
                "This course allows posts visible to at most “%(widest)s”: choose that or "
                "a narrower one.",
                code="visibility_above_ceiling",
                params={"widest": widest.label},
            )
        return visibility

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


class ScheduleForm(forms.Form):
    """The editor's "Schedule for": a wall-clock time in the course's time zone, later
    than now. Checked only when the writer schedules."""

    publish_at = forms.DateTimeField(
        label="Schedule for",
        required=False,  # only when scheduling (clean_publish_at)
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Choose the date and time to publish it.",
            "invalid": "Enter a date and time such as 2027-03-15 09:00.",
        },
    )

    def __init__(self, data=None, *, post, course):
        self.zone = course_zone_of(course)
        initial = {}
        if post.is_scheduled:
            initial["publish_at"] = timezone.localtime(post.published_at, self.zone).replace(
                tzinfo=None
            )
        super().__init__(data, initial=initial, prefix="schedule")
        self.post, self.course = post, course
        self.fields["publish_at"].help_text = f"In the course's time zone, {self.zone.key}."

    def as_typed(self):
        """The form unbound, showing what was typed (when another action was chosen, its
        errors are not the writer's concern)."""
        form = ScheduleForm(post=self.post, course=self.course)
        if self.data:
            form.initial["publish_at"] = self["publish_at"].data or ""
        return form

    def _clean_fields(self):
        with timezone.override(self.zone):  # what was typed is the course's wall-clock time
            super()._clean_fields()

    def clean_publish_at(self):
        when = self.cleaned_data["publish_at"]
        if when is None:
            raise ValidationError(self.fields["publish_at"].error_messages["required"], "required")
        now = timezone.now()
        if when <= now:
            local = timezone.localtime(now, self.zone)
            raise ValidationError(
                "That time has passed (it is now %(now)s in %(zone)s): choose a later one, "
                "or use “Publish now”.",
                code="past",
                params={"now": local.strftime("%Y-%m-%d %H:%M"), "zone": self.zone.key},
            )
        return when


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


MAX_INVITATIONS = 200


class InviteForm(forms.Form):
    """Email addresses to send a sign-up link into the course, and their role."""

    emails = forms.CharField(
        label="Email addresses",
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        help_text="One per line (or separated by commas). Each gets a link that works once, "
        "for 14 days, with or without an account.",
    )
    role = forms.ChoiceField(label="Invite them as", choices=Role.choices, initial=Role.STUDENT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "invite_%s")  # beside "Add people" on the roster
        super().__init__(*args, **kwargs)

    def clean_emails(self):
        emails = roster_entries(self.cleaned_data["emails"])
        if not emails:
            raise ValidationError("Enter at least one email address.", code="empty")
        if len(emails) > MAX_INVITATIONS:
            raise ValidationError(
                "Invite at most %(max)d people at a time.",
                code="too_many",
                params={"max": MAX_INVITATIONS},
            )
        wrong = []
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                wrong.append(email)
        if wrong:
            raise ValidationError(
                "Not an email address: %(wrong)s.",
                code="invalid",
                params={"wrong": ", ".join(wrong)},
            )
        return emails


class MembershipRoleForm(forms.Form):
    """A member's new role (a plain form: the service checks it against the old one)."""

    role = forms.ChoiceField(choices=Role.choices)


class ParticipationForm(forms.Form):
    """The period of the participation table (a GET form)."""

    period = forms.ChoiceField(
        choices=[
            ("term", "Whole term"),
            ("week", "This week"),
            ("7days", "Last 7 days"),
            ("custom", "Between dates"),
        ],
        required=False,
    )
    start = forms.DateField(label="From", required=False, widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("period"):  # the page opens on the whole term
            data = data.copy()
            data["period"] = "term"
        super().__init__(data, **kwargs)

    def clean_period(self):
        return self.cleaned_data["period"] or "term"

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

    def period_label(self):
        """ "whole term", "this week"...: for the table's caption."""
        return dict(self.fields["period"].choices)[self.cleaned_data["period"]].lower()

    def bounds(self, now=None):
        """(start, end) datetimes of the chosen period (None: open)."""
        return period_bounds(self.cleaned_data["period"], now=now, **self._dates())

    def slug(self, now=None):
        return period_slug(self.cleaned_data["period"], now=now, **self._dates())

    def _dates(self):
        return {"start_date": self.cleaned_data["start"], "end_date": self.cleaned_data["end"]}


class CopyCourseForm(forms.Form):
    """A course's copy for a new term (blog.services.copy_course): the new course's
    names and dates, and what comes along. Each app's optional part of the copy
    (COURSE_COPIERS with a label) adds a checkbox, ``include_<key>``."""

    title = forms.CharField(label="New title", max_length=200)
    slug = forms.SlugField(
        label="New address",
        max_length=80,
        help_text="Letters, digits and hyphens: the course will be at /c/this-address/.",
    )
    term = forms.CharField(max_length=60, required=False, help_text="For example “Fall 2027”.")
    old_start = forms.DateField(
        label="This term started on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Suggested from the course; correct it if it is wrong.",
    )
    start = forms.DateField(
        label="The new term starts on", widget=forms.DateInput(attrs={"type": "date"})
    )
    topics = forms.BooleanField(label="Topics", required=False, initial=True)
    posts = forms.ModelMultipleChoiceField(
        label="Instructors' posts (copied as drafts)",
        queryset=Post.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, posts, copiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = posts
        self.copier_fields = []
        for copier in copiers:
            if copier.label:
                name = f"include_{copier.key}"
                self.fields[name] = forms.BooleanField(
                    label=copier.label, required=False, initial=True
                )
                self.copier_fields.append((name, copier.key))

    def copier_bound_fields(self):
        return [self[name] for name, _ in self.copier_fields]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Course.objects.filter(slug=slug).exists():
            raise ValidationError(
                "Another course has this address. Choose another.", code="slug_taken"
            )
        return slug

    def service_values(self):
        """copy_course's keyword arguments (but course and by)."""
        data = self.cleaned_data
        include = {key for name, key in self.copier_fields if data[name]}
        if data["topics"]:
            include.add(TOPICS)
        return {
            "title": data["title"],
            "slug": data["slug"],
            "term": data["term"],
            "old_start": data["old_start"],
            "start": data["start"],
            "include": include,
            "posts": list(data["posts"]),
        }
