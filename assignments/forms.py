import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from assignments.models import Assignment, check_times, format_points
from assignments.times import course_zone, for_input
from blog.models import Membership

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
RUBRIC_HELP = (
    "Optional, instead of points. One criterion per line: its name, then its levels, "
    "each “label = points”, separated by |. For example: "
    "“Use of sources | Excellent = 4 | Adequate = 2 | Missing = 0”."
)


class CourseTimeMixin:
    """Date-times typed and shown in the course's time zone, whatever the server's."""

    course_time_fields = ()

    def __init__(self, *args, time_zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        for name in self.course_time_fields:
            value = self.initial.get(name)
            if value is not None and timezone.is_aware(value):
                self.initial[name] = for_input(value, time_zone)
            label = self.fields[name].label or name
            self.fields[name].help_text = (
                self.fields[name].help_text or f"{label.capitalize()}, in {time_zone.key} time."
            )

    def _clean_fields(self):
        with timezone.override(self.time_zone):  # naive input means the course's zone
            super()._clean_fields()


def parse_rubric(text):
    """[(criterion, [(label, Decimal points), ...]), ...] from the rubric's text form."""
    rubric = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, *levels = [part.strip() for part in line.split("|")]
        if not name or not levels:
            raise ValidationError(
                "Line %(n)d needs a criterion and at least one level, separated by |.",
                code="rubric_syntax",
                params={"n": number},
            )
        parsed = []
        for level in levels:
            match = re.fullmatch(r"(.+?)\s*=\s*(\d+(?:\.\d{1,2})?)", level)
            if not match:
                raise ValidationError(
                    "Line %(n)d: write each level as “label = points”, not “%(level)s”.",
                    code="rubric_syntax",
                    params={"n": number, "level": level},
                )
            parsed.append((match.group(1)[:100], Decimal(match.group(2))))
        rubric.append((name[:200], parsed))
    return rubric


class AssignmentForm(CourseTimeMixin, forms.ModelForm):
    course_time_fields = ("opens_at", "due_at", "cutoff_at")
    rubric = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=RUBRIC_HELP
    )

    class Meta:
        model = Assignment
        fields = ["title", "prompt", "opens_at", "due_at", "cutoff_at", "points", "topic"]
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 10}),
            "opens_at": DATETIME_WIDGET,
            "due_at": DATETIME_WIDGET,
            "cutoff_at": DATETIME_WIDGET,
        }

    def __init__(self, *args, course, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {})["rubric"] = instance.rubric_text()
        super().__init__(*args, time_zone=course_zone(course), **kwargs)
        self.fields["topic"].queryset = course.topics.all()
        self.fields["topic"].required = False

    def clean_rubric(self):
        return parse_rubric(self.cleaned_data["rubric"])

    def clean(self):
        cleaned = super().clean()
        try:
            check_times(
                opens_at=cleaned.get("opens_at"),
                due_at=cleaned.get("due_at"),
                cutoff_at=cleaned.get("cutoff_at"),
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                for e in errors:
                    self.add_error(field, e)
        if cleaned.get("rubric") and cleaned.get("points") is not None:
            self.add_error(
                "points",
                ValidationError(
                    "Use points or a rubric, not both: a rubric's points are its best levels.",
                    code="points_and_rubric",
                ),
            )
        return cleaned

    def _post_clean(self):
        pass  # the services save (and check) the assignment, not the model form

    def values(self):
        """The cleaned values as the services take them."""
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "rubric"]}


class ExtensionForm(CourseTimeMixin, forms.Form):
    course_time_fields = ("due_at",)
    student = forms.ModelChoiceField(queryset=Membership.objects.none(), label="Student")
    due_at = forms.DateTimeField(label="New due time", widget=DATETIME_WIDGET)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, time_zone=course_zone(course), **kwargs)
        self.fields["student"].queryset = course.memberships.students().with_user().by_name()
        self.fields["student"].label_from_instance = lambda membership: membership.user.name


class FeedbackForm(forms.Form):
    """Its ids start with "feedback_": the post page also has the comment form's body."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "feedback_%s")
        super().__init__(*args, **kwargs)

    body = forms.CharField(
        label="Private feedback",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only the post's author and the course's instructors read this thread.",
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError("Write something first.", code="empty")
        return body


class GradeForm(forms.Form):
    """Points out of the assignment's points, or one level per rubric criterion."""

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.criteria = list(assignment.criteria.all())
        self.levels_by_id = {}
        if self.criteria:
            for criterion in self.criteria:
                levels = list(criterion.levels.all())
                self.levels_by_id.update({str(level.pk): level for level in levels})
                self.fields[f"criterion_{criterion.pk}"] = forms.ChoiceField(
                    label=criterion.name,
                    widget=forms.RadioSelect,
                    choices=[
                        (str(lv.pk), f"{lv.label} ({format_points(lv.points)})") for lv in levels
                    ],
                    error_messages={
                        "invalid_choice": "Choose one of this criterion's levels.",
                        "required": "Choose a level.",
                    },
                )
        else:
            self.fields["points"] = forms.CharField(
                label=f"Points (out of {format_points(assignment.max_points)})", max_length=10
            )

    def clean_points(self):
        text = self.cleaned_data["points"].strip().replace(",", ".")
        try:
            points = Decimal(text)
        except InvalidOperation:
            raise ValidationError("Enter a number, such as 7 or 7.5.", code="invalid") from None
        maximum = self.assignment.max_points
        if not points.is_finite() or points < 0 or points > maximum:
            raise ValidationError(
                "Enter points from 0 to %(max)s.",
                code="points_range",
                params={"max": format_points(maximum)},
            )
        return points.quantize(Decimal("0.01"))

    def values(self):
        """The points, or the chosen levels, as services.grade takes them."""
        if self.criteria:
            return {
                "levels": [
                    self.levels_by_id[self.cleaned_data[f"criterion_{c.pk}"]] for c in self.criteria
                ]
            }
        return {"points": self.cleaned_data["points"]}

    @classmethod
    def initial_for(cls, grade):
        if grade is None:
            return {}
        initial = {"points": format_points(grade.points)}
        for level in grade.levels.all():
            initial[f"criterion_{level.criterion_id}"] = str(level.pk)
        return initial
