from django.urls import path

from coursepages import views

# Under the course, beside its posts: "pages" is a reserved post slug
# (blog.models.RESERVED_POST_SLUGS), "new" and "preview" reserved page slugs.
app_name = "coursepages"
urlpatterns = [
    path("c/<slug:course_slug>/pages/", views.page_list, name="page_list"),
    path("c/<slug:course_slug>/pages/new/", views.page_create, name="page_create"),
    path("c/<slug:course_slug>/pages/preview/", views.page_preview, name="page_preview"),
    path("c/<slug:course_slug>/pages/<slug:page_slug>/", views.page_detail, name="page_detail"),
    path("c/<slug:course_slug>/pages/<slug:page_slug>/edit/", views.page_edit, name="page_edit"),
    path(
        "c/<slug:course_slug>/pages/<slug:page_slug>/delete/",
        views.page_delete,
        name="page_delete",
    ),
]
