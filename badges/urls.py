from django.urls import path

from badges import views

app_name = "badges"
urlpatterns = [
    path("badges/issuer", views.issuer, name="issuer"),
    path("badges/keys/<int:key_id>", views.key, name="key"),
    path("badges/status/<int:number>", views.status_list, name="status_list"),
    path("badges/emblems/<int:award_id>.png", views.emblem, name="emblem"),
    path("badges/verify/", views.verify, name="verify"),
    path("badges/verify.json", views.verify_json, name="verify_json"),
    path("badges/credentials/<uuid:uuid>/", views.credential_detail, name="credential_detail"),
    path("badges/credentials/<uuid:uuid>.json", views.credential_json, name="credential_json"),
    path("badges/credentials/<uuid:uuid>.png", views.credential_png, name="credential_png"),
    path("badges/credentials/<uuid:uuid>.svg", views.credential_svg, name="credential_svg"),
]
