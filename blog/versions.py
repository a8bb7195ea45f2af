"""Page versions: every change that shows on a cached page bumps them IN THE SAME
TRANSACTION as the change, with one call from the service that makes it:

    versions.changed(post=post)        # a comment, a post's like, an award, the post itself
    versions.likes_changed(post=post)  # a like of one of its comments
    versions.changed(page=page)        # a comment on a course page (coursepages)
    versions.changed(course=course)    # settings, topics, awards, members, names
    versions.changed(courses=queryset) # a profile shown in several courses

The versions are columns: ``Post.page_version`` (that post's page), ``Post.likes_version``
(its comments' like counts: a signed-in reader's copy keeps holes for them, filled at
hit time, so a like redraws no skeleton; an anonymous reader's whole page is keyed by
it too), the same two on a course page (coursepages' Page, for its comments), and on Course
``pages_version`` (anything on any page of the course: its listings, cards, posts) and
``common_version`` (what every page of the course shows: its settings, topics, people's
names). blog/pages.py says which versions key which page; the page cache (the
``pagecache`` package) reads them on every request, so a page drawn before a change
sits under the old versions and nobody reads it again. Several app servers share the
versions through the database, so a change shows from all of them at once.

Domain code, imported by models, services and the admin; it imports neither the
models (it asks the app registry for them) nor the page cache.
"""

from django.apps import apps
from django.db.models import F, Q


def changed(*, post=None, posts=None, page=None, course=None, courses=None):
    """Record that something shown on these pages changed; call it inside the change's
    transaction. A post's change (``post``, or ``posts``: a queryset or a list) shows on
    its page and on the lists of its course; a course page's (``page``: its comments)
    on that page, and its course's ``pages_version`` moves as for a post; a course's
    change (``course``, or ``courses``: a queryset) shows on every page of the course."""
    Course, Post = apps.get_model("blog", "Course"), apps.get_model("blog", "Post")
    if page is not None:  # any model with Post's two version columns (coursepages.Page)
        type(page).objects.filter(pk=page.pk).update(
            page_version=F("page_version") + 1, likes_version=F("likes_version") + 1
        )
        Course.objects.filter(pk=page.course_id).update(pages_version=F("pages_version") + 1)
    post_ids = [post.pk] if post is not None else []
    if posts is not None:
        post_ids += (
            [p.pk for p in posts]
            if isinstance(posts, list)
            else list(posts.values_list("pk", flat=True))
        )
    if post_ids:
        # likes_version too: whatever changed a post's page may have changed its
        # comments' likes (an admin's delete, say), and the counts go with the page.
        Post.objects.filter(pk__in=post_ids).update(
            page_version=F("page_version") + 1, likes_version=F("likes_version") + 1
        )
        touched = Post.objects.filter(pk__in=post_ids).values("course_id")
        Course.objects.filter(pk__in=touched).update(pages_version=F("pages_version") + 1)
    if course is not None:
        courses = Course.objects.filter(pk=course.pk)
    if courses is not None:
        Course.objects.filter(pk__in=courses.values("pk")).update(
            pages_version=F("pages_version") + 1, common_version=F("common_version") + 1
        )


def likes_changed(*, post):
    """A comment of this post (or of a course page: any model with a likes_version) was
    liked or unliked: only its like counts changed. They show on its page alone (no
    list shows a comment's likes), so neither the page's version nor the course's moves;
    call it inside the like's transaction."""
    type(post).objects.filter(pk=post.pk).update(likes_version=F("likes_version") + 1)


def person_changed(sender, user, **kwargs):
    """accounts' profile_changed: the courses where the person is a member or an author."""
    Course = apps.get_model("blog", "Course")
    changed(courses=Course.objects.filter(Q(memberships__user=user) | Q(posts__author=user)))


class VersionedModel:
    """Mixin for models with version columns: ``save()`` of a loaded row never writes
    them back, so an edit can't undo a bump that a concurrent change made meanwhile."""

    version_fields = ()

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None and not args:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key
                and f.name not in self.version_fields
                and f.attname not in deferred
            ]
        super().save(*args, **kwargs)


class ChangesPagesAdmin:
    """ModelAdmin mixin: saving or deleting a row in the admin bumps the versions of the
    pages that show it. ``pages_of(obj)`` returns ``changed()``'s keywords."""

    def pages_of(self, obj):
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed(**self.pages_of(form.instance))

    def delete_model(self, request, obj):
        changed(**self.pages_of(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            changed(**self.pages_of(obj))
        super().delete_queryset(request, queryset)
