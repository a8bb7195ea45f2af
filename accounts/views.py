from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render

from accounts.profile import sections_for


def profile(request, username):
    profile_user = get_object_or_404(get_user_model(), username=username, is_active=True)
    return render(
        request,
        "accounts/user_detail.html",
        {"profile_user": profile_user, "sections": sections_for(request, profile_user)},
    )
