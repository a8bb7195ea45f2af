from django.contrib import admin

from blog.models import BodyImage, Course, Membership, Post, Topic


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 1
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "term", "visibility", "guest_comments", "thread_depth", "created"]
    list_filter = ["visibility", "guest_comments", "term"]
    search_fields = ["title", "term", "description"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created"]
    inlines = [MembershipInline, TopicInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "role", "joined"]
    list_filter = ["role", "course"]
    search_fields = ["user__username", "user__email", "user__display_name", "course__title"]
    autocomplete_fields = ["user", "course"]
    list_select_related = ["user", "course"]
    date_hierarchy = "joined"


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "slug"]
    list_filter = ["course"]
    search_fields = ["name", "course__title"]
    list_select_related = ["course"]
    autocomplete_fields = ["course"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "author", "status", "published_at", "updated"]
    list_filter = ["status", "course"]
    search_fields = ["title", "body", "author__username", "author__display_name"]
    list_select_related = ["course", "author"]
    autocomplete_fields = ["course", "author", "topics"]
    date_hierarchy = "published_at"
    readonly_fields = ["created", "updated"]
    actions = ["publish", "unpublish"]

    @admin.action(description="Publish selected posts")
    def publish(self, request, queryset):
        for post in queryset:
            post.publish()
            post.save()
        self.message_user(request, f"Published {queryset.count()} posts.")

    @admin.action(description="Unpublish selected posts (back to draft)")
    def unpublish(self, request, queryset):
        for post in queryset:
            post.unpublish()
            post.save()
        self.message_user(request, f"Unpublished {queryset.count()} posts.")


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    list_display = ["id", "course", "uploaded_by", "created"]
    list_select_related = ["course", "uploaded_by"]
    autocomplete_fields = ["course", "uploaded_by"]
    date_hierarchy = "created"
