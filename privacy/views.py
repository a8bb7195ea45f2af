from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from privacy import services
from privacy.forms import ConfirmErasureForm
from privacy.models import EXPORT_LIFETIME, DataExport


@login_required
@require_http_methods(["GET", "POST"])
def data_export(request):
    """Download my data: ask for a zip, see the ones being built and the ones ready."""
    if request.method == "POST":
        services.request_export(user=request.user, by=request.user)
        messages.success(
            request,
            "We are putting your data together. You will get an email when it is ready, "
            "and the link will be on this page.",
        )
        return redirect("privacy:data_export")
    exports = DataExport.objects.for_user(request.user)[:10]
    context = {"exports": exports, "lifetime_days": EXPORT_LIFETIME.days}
    return render(request, "privacy/data_export.html", context)


@login_required
@require_safe
def data_export_download(request, pk):
    """The zip, from the storage, to the person it is about while it lasts; 404 otherwise."""
    export = DataExport.objects.filter(pk=pk).first()
    if export is None or not export.can_download(request.user):
        raise Http404("No such download.")
    try:
        file = export.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such download.") from None
    response = FileResponse(file, as_attachment=True, filename=f"my-data-{export.pk}.zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Erase my account: what happens, each course's policy, type the username."""
    user = request.user
    form = ConfirmErasureForm(request.POST or None, expected=user.username)
    if request.method == "POST" and form.is_valid():
        services.erase_person(user=user, by=user)
        logout(request)
        messages.success(request, "Your account has been erased.")
        return redirect("home")
    courses = services.erasure_courses(user)
    return render(request, "privacy/account_delete.html", {"form": form, "courses": courses})
