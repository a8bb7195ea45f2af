from django.urls import path

from lti import views

app_name = "lti"
urlpatterns = [
    path("lti/login/", views.oidc_login, name="login"),
    path("lti/launch/", views.launch_view, name="launch"),
    path("lti/deep-link/", views.launch_view, name="deep_link"),
    path("lti/deep-link/respond/", views.deep_link_respond, name="deep_link_respond"),
    path("lti/register/", views.dynamic_registration, name="dynamic_registration"),
    path("lti/jwks/", views.jwks, name="jwks"),
    path("lti/open/<str:token>/", views.handoff_open, name="handoff_open"),
    path("lti/setup/<int:context_id>/", views.context_setup, name="context_setup"),
    path("c/<slug:course_slug>/manage/lms/", views.course_lms, name="course_lms"),
    path(
        "c/<slug:course_slug>/manage/lms/<int:context_id>/sync/",
        views.roster_sync,
        name="roster_sync",
    ),
    path(
        "c/<slug:course_slug>/manage/lms/assignments/<int:assignment_id>/line-item/",
        views.line_item_create,
        name="line_item_create",
    ),
    path(
        "c/<slug:course_slug>/manage/lms/scores/<int:send_id>/send/",
        views.score_send_again,
        name="score_send_again",
    ),
]
