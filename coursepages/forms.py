from django import forms
from django.core.exceptions import ValidationError

from blog.models import PostVisibility
from coursepages.models import RESERVED_PAGE_SLUGS, Page

MAX_BODY = 200_000  # the post editor's limit (blog.forms.PreviewForm)


class PageForm(forms.ModelForm):
    """A page's fields. The view sets course and author; the parent is chosen among the
    course's other top-level pages, and a members-only course offers no public page."""

    class Meta:
        model = Page
        fields = ["title", "slug", "body", "parent", "order", "visibility", "allows_comments"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}
        help_texts = {
            "allows_comments": "Readers may discuss the page below it, as under a post. "
            "Turned off later, the comments it has stay, read-only."
        }

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.course = course
        tops = Page.objects.for_course(course).filter(parent=None).in_menu_order()
        if self.instance.pk:
            tops = tops.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = tops
        self.fields["parent"].empty_label = "None: a top-level page"
        self.fields["body"].max_length = MAX_BODY
        self.fields["slug"].required = False
        if not course.is_public:
            self.fields["visibility"].choices = [
                (PostVisibility.MEMBERS.value, "Course members (a members-only course)")
            ]
            self.fields["visibility"].initial = PostVisibility.MEMBERS.value

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_PAGE_SLUGS:
            raise ValidationError(
                "“%(slug)s” is a word of the pages' addresses: choose another.",
                code="reserved",
                params={"slug": slug},
            )
        taken = Page.objects.for_course(self.instance.course).filter(slug=slug)
        if slug and taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError("Another page of this course has this address.", code="taken")
        return slug

    def clean_visibility(self):
        """Never public in a members-only course: "public" there reads as members."""
        visibility = self.cleaned_data["visibility"]
        if not self.instance.course.is_public:
            return PostVisibility.MEMBERS.value
        return visibility

    def service_values(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PagePreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=MAX_BODY)
