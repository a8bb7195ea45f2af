from django.urls import path

from comments import views

app_name = "comments"
urlpatterns = [
    path(
        "c/<slug:course_slug>/<slug:post_slug>/comments/",
        views.comment_create,
        name="comment_create",
    ),
    path(  # a course page's (coursepages), beside its other addresses
        "c/<slug:course_slug>/pages/<slug:page_slug>/comments/",
        views.page_comment,
        name="page_comment",
    ),
    path("comments/<int:pk>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/like/", views.comment_like, name="comment_like"),
    path("comments/<int:pk>/moderate/", views.comment_moderate, name="comment_moderate"),
    path("comments/<int:pk>/queue-reply/", views.comment_queue_reply, name="comment_queue_reply"),
    path(
        "comments/moderation/<slug:course_slug>/",
        views.moderation_queue,
        name="moderation_queue",
    ),
]
