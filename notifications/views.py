from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications.forms import NotificationPreferenceForm
from notifications.models import (
    EMAIL_SETTING_OF,
    GuestSubscription,
    Notification,
    NotificationPreference,
)

PAGE_SIZE = 20


def back_to_list(request):
    """Where a mark-as-read form came from (its page of the list), if it is ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:notification_list")


@login_required
def notification_list(request):
    notifications = Notification.objects.shown_to(request.user).with_targets()
    page_obj = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page_obj": page_obj})


@require_POST
@login_required
def notification_read(request, pk):
    notification = get_object_or_404(Notification.objects.shown_to(request.user), pk=pk)
    notification.mark_read()
    return back_to_list(request)


@require_POST
@login_required
def notification_read_all(request):
    changed = Notification.objects.for_recipient(request.user).mark_read()
    messages.success(
        request,
        ngettext(
            "Marked %(n)d notification as read.", "Marked %(n)d notifications as read.", changed
        )
        % {"n": changed},
    )
    return back_to_list(request)


@require_POST
@login_required
def notification_open(request, pk):
    """Follow a notification to what it is about, marking it read on the way."""
    notifications = Notification.objects.shown_to(request.user).select_related(
        "post__course", "page__course"
    )
    notification = get_object_or_404(notifications, pk=pk)
    notification.mark_read()
    return redirect(notification.get_absolute_url())


@login_required
def preferences(request):
    instance = NotificationPreference.objects.for_user(request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your email settings are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/notificationpreference_form.html", {"form": form})


@csrf_exempt  # the signed token is the authority; mail clients POST here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """A user's signed link: GET asks, POST turns that kind of email off. No sign-in."""
    try:
        user_id, kind = NotificationPreference.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user = get_object_or_404(get_user_model(), pk=user_id)
    preference = NotificationPreference.objects.for_user(user)
    label = Notification.Kind(EMAIL_SETTING_OF.get(kind, kind)).label  # the switch it turns off
    if request.method == "POST":
        preference.turn_off(kind)
        return render(request, "notifications/unsubscribe_done.html", {"label": label})
    return render(request, "notifications/unsubscribe_confirm.html", {"label": label})


@csrf_exempt  # as above
@require_http_methods(["GET", "POST"])
def guest_unsubscribe(request, token):
    """A guest's signed link: GET asks, POST ends the subscription."""
    try:
        subscription_id = GuestSubscription.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    subscription = (
        GuestSubscription.objects.select_related("post__course").filter(pk=subscription_id).first()
    )
    context = {"post": subscription.post if subscription else None, "guest": True}
    if request.method == "POST" or subscription is None:
        if subscription is not None:
            subscription.delete()
        return render(request, "notifications/unsubscribe_done.html", context)
    return render(request, "notifications/unsubscribe_confirm.html", context)
