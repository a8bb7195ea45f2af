from django.urls import path

from assignments import views

# Under /assignments/<course>/, beside the course pages (which own /c/<course>/<post>/).
# "new", "gradebook", "grades", "feedback" and "calendar" are reserved assignment slugs.
app_name = "assignments"
A = "assignments/<slug:course_slug>/<slug:assignment_slug>"
urlpatterns = [
    path("assignments/calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("assignments/<slug:course_slug>/", views.assignment_list, name="assignment_list"),
    path("assignments/<slug:course_slug>/new/", views.assignment_create, name="assignment_create"),
    path(
        "assignments/<slug:course_slug>/gradebook/",
        views.course_gradebook,
        name="course_gradebook",
    ),
    path(
        "assignments/<slug:course_slug>/gradebook/<slug:layout>.csv",
        views.gradebook_csv,
        name="gradebook_csv",
    ),
    path("assignments/<slug:course_slug>/grades/", views.my_grades, name="my_grades"),
    path(
        "assignments/<slug:course_slug>/calendar/",
        views.calendar_subscribe,
        name="calendar_subscribe",
    ),
    path(
        "assignments/<slug:course_slug>/feedback/<slug:post_slug>/",
        views.feedback_add,
        name="feedback_add",
    ),
    path(f"{A}/", views.assignment_detail, name="assignment_detail"),
    path(f"{A}/respond/", views.assignment_respond, name="assignment_respond"),
    path(f"{A}/edit/", views.assignment_edit, name="assignment_edit"),
    path(f"{A}/delete/", views.assignment_delete, name="assignment_delete"),
    path(f"{A}/extensions/", views.extension_grant, name="extension_grant"),
    path(
        f"{A}/submissions/<int:submission_id>/",
        views.submission_detail,
        name="submission_detail",
    ),
    path(
        f"{A}/submissions/<int:submission_id>/clear-grade/",
        views.grade_clear,
        name="grade_clear",
    ),
]
