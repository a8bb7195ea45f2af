from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("u/<str:username>/", views.profile, name="profile"),
    path("accounts/profile/", views.profile_edit, name="profile_edit"),
    # Stand-in for a provider's consent page, beside allauth's own provider URLs.
    path(
        "accounts/<str:provider_id>/login/stand-in/",
        views.social_stub_login,
        name="social_stub_login",
    ),
]
