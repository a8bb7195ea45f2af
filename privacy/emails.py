"""The email that says an export is ready: a link to the download page, which only the
person signed in can use (the zip itself is never attached or linked publicly)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from config.mail import queue_email
from privacy.export import site_url


def queue_export_ready(export):
    user = export.user
    if not user.email:
        return
    context = {
        "user": user,
        "export": export,
        "site_name": settings.SITE_NAME,
        "download_url": site_url(reverse("privacy:data_export")),
    }
    subject = f"Your data from {settings.SITE_NAME} is ready to download"
    text = render_to_string("privacy/email/export_ready.txt", context)
    queue_email(EmailMultiAlternatives(subject, text, None, [user.email]))
