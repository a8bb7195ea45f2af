from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from blog import views as blog_views

admin.site.site_header = "Commonplace administration"
admin.site.site_title = "Commonplace administration"
admin.site.index_title = "Run the site"

urlpatterns = [
    path("", blog_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("blog.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "config.views.server_error"
