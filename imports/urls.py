from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("c/<slug:course_slug>/manage/import/", views.import_start, name="import_start"),
    path(
        "c/<slug:course_slug>/manage/import/<int:run_id>/",
        views.import_detail,
        name="import_detail",
    ),
    path(
        "c/<slug:course_slug>/manage/import/<int:run_id>/progress/",
        views.import_progress,
        name="import_progress",
    ),
    path(
        "c/<slug:course_slug>/manage/import/<int:run_id>/undo/",
        views.import_undo,
        name="import_undo",
    ),
]
