from django.urls import path

from terms import views

app_name = "terms"
urlpatterns = [
    path("c/<slug:course_slug>/manage/archive/", views.archive_start, name="archive_start"),
    path(
        "c/<slug:course_slug>/manage/archive/<int:run_id>/",
        views.archive_detail,
        name="archive_detail",
    ),
    path(
        "c/<slug:course_slug>/manage/archive/<int:run_id>/download/",
        views.archive_download,
        name="archive_download",
    ),
    path(
        "c/<slug:course_slug>/manage/archive/<int:run_id>/download.wacz",
        views.archive_download_wacz,
        name="archive_download_wacz",
    ),
]
