from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from blog import media as blog_media
from blog.views import reading as blog_reading
from config import views as config_views

urlpatterns = [
    path("healthz", config_views.healthz, name="healthz"),
    path("readyz", config_views.readyz, name="readyz"),
    path("", blog_reading.home, name="home"),
    # allauth's sign-in, answering 429 with Retry-After when rate-limited.
    path("accounts/login/", accounts_views.login, name="account_login"),
    # allauth's sign-out, on to an institution's own logout after its sign-in.
    path("accounts/logout/", accounts_views.logout, name="account_logout"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("comments.urls")),
    path("", include("references.urls")),
    # Before blog's: /c/<course>/pages/ would otherwise read as a post's address.
    *([path("", include("coursepages.urls"))] if apps.is_installed("coursepages") else []),
    path("", include("blog.urls")),
    path("admin/", admin.site.urls),
    path("csp-report/", config_views.csp_report, name="csp_report"),
]
# Apps built on blog are optional: without one, its pages go and blog's pages stay.
urlpatterns += [
    path("", include(f"{app}.urls"))
    for app in (
        "awards",
        "badges",
        "assignments",
        "notifications",
        "imports",
        "terms",
        "privacy",
        "lti",
    )
    if apps.is_installed(app)
]

# Stored files through the app: course images with their access check (behind nginx
# the answer is an X-Accel-Redirect); other uploads where nothing in front serves them.
urlpatterns += [path("media/<path:name>", blog_media.media_file, name="media_file")]

handler500 = "config.views.server_error"
# allauth answers its rate limits with this (ROOT_URLCONF.handler429).
handler429 = "accounts.views.too_many_requests"
