from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("accounts/data/", views.data_export, name="data_export"),
    path(
        "accounts/data/<int:pk>/download/", views.data_export_download, name="data_export_download"
    ),
    path("accounts/delete/", views.account_delete, name="account_delete"),
]
