from django.contrib import admin

from assignments.models import (
    Assignment,
    Extension,
    Feedback,
    Grade,
    PostSnapshot,
    RubricCriterion,
    RubricLevel,
    Submission,
)


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0
    show_change_link = True


class RubricLevelInline(admin.TabularInline):
    model = RubricLevel
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "opens_at", "due_at", "cutoff_at", "points"]
    list_filter = ["course"]
    search_fields = ["title", "prompt", "course__title"]
    list_select_related = ["course"]
    autocomplete_fields = ["course"]
    raw_id_fields = ["topic"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "updated"]
    inlines = [RubricCriterionInline]


@admin.register(RubricCriterion)
class RubricCriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "assignment", "position"]
    list_select_related = ["assignment"]
    raw_id_fields = ["assignment"]
    inlines = [RubricLevelInline]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["post", "assignment", "student", "submitted_at", "is_late"]
    list_filter = ["is_late", "assignment__course", "assignment"]
    search_fields = ["post__title", "student__username", "assignment__title"]
    list_select_related = ["post", "assignment", "student"]
    raw_id_fields = ["post", "assignment", "student", "snapshot"]


@admin.register(PostSnapshot)
class PostSnapshotAdmin(admin.ModelAdmin):
    list_display = ["title", "post", "published_at"]
    search_fields = ["title", "post__title"]
    list_select_related = ["post"]
    raw_id_fields = ["post"]
    readonly_fields = ["body_html"]


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ["student", "assignment", "due_at", "granted_by", "created"]
    list_filter = ["assignment__course"]
    search_fields = ["student__username", "assignment__title"]
    list_select_related = ["student", "assignment", "granted_by"]
    raw_id_fields = ["assignment", "student", "granted_by"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["post", "author", "created"]
    search_fields = ["body", "post__title", "author__username"]
    list_select_related = ["post", "author"]
    raw_id_fields = ["post", "author"]
    readonly_fields = ["body_html"]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["submission", "points", "grader", "graded_at"]
    list_select_related = ["submission__post", "submission__assignment", "grader"]
    raw_id_fields = ["submission", "grader"]
    filter_horizontal = ["levels"]
