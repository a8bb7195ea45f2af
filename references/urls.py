from django.urls import path

from references import views

app_name = "references"
post = "c/<slug:course_slug>/<slug:post_slug>/references/"
urlpatterns = [
    path("c/<slug:course_slug>/bibliography/", views.course_bibliography, name="bibliography"),
    path(post, views.reference_list, name="reference_list"),
    path(f"{post}<int:reference_id>/", views.reference_edit, name="reference_edit"),
    path(f"{post}<int:reference_id>/delete/", views.reference_delete, name="reference_delete"),
    path(f"{post}<int:reference_id>/move/", views.reference_move, name="reference_move"),
    path(
        "c/<slug:course_slug>/<slug:post_slug>/references.<str:fmt>",
        views.reference_export,
        name="reference_export",
    ),
]
