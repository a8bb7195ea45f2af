from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils import timezone

from assignments.models import Assignment, check_times, format_points
from assignments.times import course_zone, for_input
from blog.models import Membership

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


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


# --- The rubric, as rows of a form (docs/assignments.md) ---

LEVEL_SLOTS = 4  # levels a criterion row offers at first ("Add a level" adds one to each)
MAX_LEVELS = 8
MAX_CRITERIA = 30


class RubricCriterionForm(forms.Form):
    """One row of the rubric: a criterion and its levels (label and points). A row left
    blank is ignored; so is a level left blank."""

    name = forms.CharField(label="Criterion", max_length=200, required=False)

    def __init__(self, *args, levels=LEVEL_SLOTS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update(
            {"class": "form-control", "placeholder": "Use of sources"}
        )
        self.level_count = levels
        for i in range(levels):
            self.fields[f"level_{i}_label"] = forms.CharField(
                label=f"Level {i + 1}", max_length=100, required=False,
                widget=forms.TextInput({"class": "form-control"}),
            )  # fmt: skip
            self.fields[f"level_{i}_points"] = forms.DecimalField(
                label="Points", max_digits=6, decimal_places=2, min_value=0, required=False,
                widget=forms.NumberInput({"class": "form-control", "step": "any", "min": "0"}),
            )  # fmt: skip

    def levels(self):
        """[(label field, points field)] for the template."""
        return [
            (self[f"level_{i}_label"], self[f"level_{i}_points"]) for i in range(self.level_count)
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("DELETE"):
            cleaned["levels"] = []
            return cleaned
        levels = []
        for i in range(self.level_count):
            label = cleaned.get(f"level_{i}_label", "").strip()
            points = cleaned.get(f"level_{i}_points")
            if label and points is not None:
                levels.append((label, points))
            elif label:
                self.add_error(
                    f"level_{i}_points",
                    ValidationError("Give “%(label)s” its points.", code="level_points",
                                    params={"label": label}),
                )  # fmt: skip
            elif points is not None:
                self.add_error(
                    f"level_{i}_label", ValidationError("Name this level.", code="level_label")
                )
        name = cleaned.get("name", "").strip()
        if levels and not name:
            self.add_error("name", ValidationError("Name this criterion.", code="criterion_name"))
        elif name and not levels and not self.errors:
            self.add_error(
                "name",
                ValidationError("Give “%(name)s” at least one level with its points.",
                                code="criterion_levels", params={"name": name}),
            )  # fmt: skip
        cleaned["name"], cleaned["levels"] = name, levels
        return cleaned


class BaseRubricFormSet(forms.BaseFormSet):
    def rubric(self):
        """[(criterion, [(label, points), ...]), ...], as the services take it."""
        return [
            (form.cleaned_data["name"], form.cleaned_data["levels"])
            for form in self.forms
            if form.cleaned_data.get("levels") and not form.cleaned_data.get("DELETE")
        ]


RubricFormSet = forms.formset_factory(
    RubricCriterionForm,
    formset=BaseRubricFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_CRITERIA,
    absolute_max=MAX_CRITERIA,
    validate_max=True,
)


def rubric_rows(data, assignment):
    """The rubric's rows: as typed (``data``), with one more criterion or level slot when
    "Add a criterion" or "Add a level" was pressed; else the assignment's rubric."""
    prefix = "rubric"
    if data is None:
        criteria = list(assignment.criteria.all()) if assignment.pk else []
        initial = [
            {"name": c.name}
            | {f"level_{i}_label": lv.label for i, lv in enumerate(c.levels.all())}
            | {f"level_{i}_points": format_points(lv.points) for i, lv in enumerate(c.levels.all())}
            for c in criteria
        ]
        most = max((len(c.levels.all()) for c in criteria), default=0)
        levels = max(most, min(max(LEVEL_SLOTS, most + 1), MAX_LEVELS))  # never fewer than used
        formset = RubricFormSet(prefix=prefix, initial=initial, form_kwargs={"levels": levels})
    else:
        levels = _bounded(data.get(f"{prefix}-levels"), LEVEL_SLOTS, 1, MAX_LEVELS)
        adding = data.get("rubric_add")
        if adding in ("criterion", "level"):
            data = data.copy()
            if adding == "level":
                levels = min(levels + 1, MAX_LEVELS)
            total = _bounded(data.get(f"{prefix}-TOTAL_FORMS"), 1, 0, MAX_CRITERIA)
            if adding == "criterion":
                data[f"{prefix}-TOTAL_FORMS"] = str(min(total + 1, MAX_CRITERIA))
        formset = RubricFormSet(data, prefix=prefix, form_kwargs={"levels": levels})
    formset.level_count = levels
    formset.can_add_level = levels < MAX_LEVELS
    formset.focus_id = ""  # after "Add ...": the field to continue in (autofocus)
    if data is not None and formset.forms:
        if data.get("rubric_add") == "criterion":
            formset.focus_id = formset.forms[-1]["name"].id_for_label
        elif data.get("rubric_add") == "level":
            formset.focus_id = formset.forms[0][f"level_{levels - 1}_label"].id_for_label
    return formset


def _bounded(value, default, low, high):
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


class AssignmentForm(CourseTimeMixin, forms.ModelForm):
    """The assignment, with its rubric as rows (``rubric_rows``). Pressing "Add a
    criterion" or "Add a level" (``rubric_add``) gives the form back, one row or level
    longer, with everything kept and nothing checked or saved."""

    course_time_fields = ("opens_at", "due_at", "cutoff_at")

    class Meta:
        model = Assignment
        fields = ["title", "prompt", "opens_at", "due_at", "cutoff_at", "points", "topic"]
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 10}),
            "opens_at": DATETIME_WIDGET,
            "due_at": DATETIME_WIDGET,
            "cutoff_at": DATETIME_WIDGET,
        }

    def __init__(self, data=None, *args, course, **kwargs):
        super().__init__(data, *args, time_zone=course_zone(course), **kwargs)
        self.fields["topic"].queryset = course.topics.all()
        self.fields["topic"].required = False
        self.fields["points"].help_text = "Or give the assignment a rubric, below."
        self.rubric_rows = rubric_rows(data, self.instance)
        self.adding_rows = data is not None and data.get("rubric_add") in ("criterion", "level")

    def full_clean(self):
        if self.adding_rows:  # not a save: show what was typed, without errors
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self):
        return not self.adding_rows and super().is_valid()

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
        if not self.rubric_rows.is_valid():
            raise ValidationError("Check the rubric below.", code="rubric")
        cleaned["rubric"] = self.rubric_rows.rubric()
        if cleaned["rubric"] and cleaned.get("points") is not None:
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
