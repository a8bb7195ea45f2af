from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.html import format_html

from awards import services
from awards.forms import AdminGrantForm
from awards.models import Award, AwardGrant
from blog.models import Course, Post
from blog.versions import ChangesPagesAdmin


@admin.register(Award)
class AwardAdmin(ChangesPagesAdmin, admin.ModelAdmin):
    list_display = ["name", "course", "emblem", "swatch", "grant_count", "is_retired", "created"]
    list_filter = [("retired_at", admin.EmptyFieldListFilter), "course"]
    search_fields = ["name", "description", "course__title"]
    list_select_related = ["course"]
    autocomplete_fields = ["course"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(grant_count=Count("grants"))

    def pages_of(self, award):
        return {"courses": Course.objects.filter(pk=award.course_id)}

    @admin.display(description="emblem")
    def emblem(self, award):
        if award.image:
            return format_html('<img src="{}" width="24" height="24" alt="">', award.image.url)
        if award.symbol:
            return format_html(
                '<svg viewBox="0 0 48 48" width="24" height="24" role="img" aria-label="{}">'
                "{}</svg>",
                award.get_symbol_display(),
                award.symbol_drawing,
            )
        return award.emblem_emoji

    @admin.display(description="colour")
    def swatch(self, award):
        # An SVG fill, not a style attribute: the Content-Security-Policy allows no inline styles.
        return format_html(
            '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">'
            '<circle cx="7" cy="7" r="7" fill="{}"/></svg> {}',
            award.css_colour,
            award.colour,
        )

    @admin.display(description="grants", ordering="grant_count")
    def grant_count(self, award):
        return award.grant_count

    @admin.display(description="retired", boolean=True, ordering="retired_at")
    def is_retired(self, award):
        return award.is_retired


@admin.register(AwardGrant)
class AwardGrantAdmin(ChangesPagesAdmin, admin.ModelAdmin):
    list_display = ["award", "post", "course", "author", "granted_by", "granted_at", "has_citation"]
    list_filter = ["award__course", "award", "granted_at"]
    search_fields = [
        "award__name",
        "post__title",
        "post__author__username",
        "granted_by__username",
        "citation",
    ]
    list_select_related = ["award__course", "post__author", "granted_by"]
    autocomplete_fields = ["award", "post", "granted_by"]
    date_hierarchy = "granted_at"

    @admin.display(description="course", ordering="award__course__title")
    def course(self, grant):
        return grant.award.course

    @admin.display(description="author", ordering="post__author__username")
    def author(self, grant):
        return grant.post.author

    @admin.display(description="citation", boolean=True)
    def has_citation(self, grant):
        return bool(grant.citation)

    def pages_of(self, grant):
        return {"posts": [grant.post]}

    def save_model(self, request, obj, form, change):
        if not change and obj.granted_by is None:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            services.announce_grant(grant=obj)


class AwardGrantInline(admin.TabularInline):
    """A post's awards, on the post's admin page."""

    model = AwardGrant
    extra = 0
    fields = ["award", "citation", "granted_by", "granted_at"]
    autocomplete_fields = ["award", "granted_by"]


# The "grant an award" action belongs on the post list. Extend whichever Post admin is
# registered (blog's, or another app's extension of it) rather than replacing it.
BasePostAdmin = type(admin.site.get_model_admin(Post))
admin.site.unregister(Post)


@admin.register(Post)
class PostAdmin(BasePostAdmin):
    actions = [*BasePostAdmin.actions, "grant_award"]
    inlines = [*BasePostAdmin.inlines, AwardGrantInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not AwardGrant:
            return super().save_formset(request, form, formset, change)
        grants = formset.save(commit=False)
        for grant in formset.deleted_objects:
            grant.delete()
        for grant in grants:
            adding = grant._state.adding
            if adding and grant.granted_by is None:
                grant.granted_by = request.user
            grant.save()
            if adding:
                services.announce_grant(grant=grant)
        return None

    @admin.action(description="Grant an award to selected posts")
    def grant_award(self, request, queryset):
        form = AdminGrantForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            return self._grant_to_each(request, queryset, **form.cleaned_data)
        context = {
            **self.admin_site.each_context(request),
            "title": "Grant an award",
            "opts": self.model._meta,
            "form": form,
            "posts": queryset.select_related("course"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "awards/admin/grant_award.html", context)

    def _grant_to_each(self, request, queryset, *, award, citation):
        granted, refusals = 0, []
        for post in queryset.select_related("course"):
            try:
                services.grant_award(
                    award=award, post=post, granted_by=request.user, citation=citation
                )
                granted += 1
            except ValidationError as error:
                refusals.extend(error.messages)
        if granted:
            self.message_user(request, f"Granted “{award}” to {granted} post(s).", messages.SUCCESS)
        for refusal in refusals:
            self.message_user(request, f"Not granted: {refusal}", messages.WARNING)
        return None
