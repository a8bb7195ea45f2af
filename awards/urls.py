from django.urls import path

from awards import views

# Under /awards/<course>/: course pages own the /c/<course>/<post>/ space, so awards
# live beside them. "manage" is a reserved award slug (awards.models.RESERVED_SLUGS).
app_name = "awards"
urlpatterns = [
    path("awards/<slug:course_slug>/", views.award_list, name="award_list"),
    path("awards/<slug:course_slug>/manage/", views.award_manage, name="award_manage"),
    path("awards/<slug:course_slug>/manage/new/", views.award_create, name="award_create"),
    path(
        "awards/<slug:course_slug>/manage/<slug:award_slug>/edit/",
        views.award_edit,
        name="award_edit",
    ),
    path(
        "awards/<slug:course_slug>/manage/<slug:award_slug>/retire/",
        views.award_retire,
        name="award_retire",
    ),
    path(
        "awards/<slug:course_slug>/manage/<slug:award_slug>/restore/",
        views.award_restore,
        name="award_restore",
    ),
    path(
        "awards/<slug:course_slug>/posts/<slug:post_slug>/grant/",
        views.grant_create,
        name="grant_create",
    ),
    path(
        "awards/<slug:course_slug>/grants/<int:grant_id>/revoke/",
        views.grant_revoke,
        name="grant_revoke",
    ),
    path("awards/<slug:course_slug>/<slug:award_slug>/", views.award_detail, name="award_detail"),
]
