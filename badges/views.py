from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from awards.models import Award
from badges import baking, credentials
from badges import verify as checking
from badges.forms import CredentialChoicesForm, VerifyForm
from badges.models import STATUS_LIST_SIZE, Credential, SigningKey

JSON_LD = "application/ld+json"
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def json_ld(document, *, status=200, filename=None):
    """A public JSON-LD document any verifier (a web page too) may fetch."""
    response = JsonResponse(document, status=status, content_type=JSON_LD)
    response["Access-Control-Allow-Origin"] = "*"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def wants_json(request):
    accept = request.headers.get("Accept", "")
    return request.GET.get("format") == "json" or (("json" in accept) and "text/html" not in accept)


@require_GET
def issuer(request):
    """The issuer's Profile: JSON-LD for verifiers, a page for people."""
    if wants_json(request):
        return json_ld(credentials.issuer_profile())
    keys = list(SigningKey.objects.order_by("-pk"))
    context = {"keys": [(key, credentials.key_id(key)) for key in keys]}
    context["issuer_id"] = credentials.issuer_id()
    return render(request, "badges/issuer_detail.html", context)


@require_GET
def key(request, key_id):
    return json_ld(credentials.key_document(get_object_or_404(SigningKey, pk=key_id)))


@require_GET
def status_list(request, number):
    last = Credential.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if number > last // STATUS_LIST_SIZE:
        raise Http404("No such status list.")
    return json_ld(credentials.status_list(number))


@require_GET
def emblem(request, award_id):
    award = get_object_or_404(Award.objects.select_related("course"), pk=award_id)
    response = HttpResponse(baking.emblem_png(award), content_type="image/png")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def own_credential_or_404(request, uuid):
    """The credential of `uuid` when it is the signed-in student's own (else 404: a
    credential's existence is private)."""
    credential = credentials.load(uuid)
    if credential is None or not credential.can_view(request.user):
        raise Http404("No such credential.")
    return credential


@login_required
def credential_detail(request, uuid):
    credential = own_credential_or_404(request, uuid)
    form = CredentialChoicesForm(request.POST or None, instance=credential)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your Open Badge credential now says what you chose.")
        return redirect("badges:credential_detail", credential.uuid)
    context = {
        "credential": credential,
        "grant": credential.grant,
        "form": form,
        "document": credentials.unsigned(credential),
        "evidence_possible": credentials.evidence_possible(credential.grant.post),
    }
    return render(request, "badges/credential_detail.html", context)


def download_name(credential, extension):
    return f"open-badge-{credential.grant.award.slug}-{credential.uuid.hex[:8]}.{extension}"


@login_required
@require_GET
def credential_json(request, uuid):
    credential = own_credential_or_404(request, uuid)
    document = credentials.for_credential(credential)
    return json_ld(document, filename=download_name(credential, "json"))


BAKED = {  # kind: (emblem, bake, content type)
    "png": (baking.emblem_png, baking.bake_png, "image/png"),
    "svg": (baking.emblem_svg, baking.bake_svg, "image/svg+xml"),
}


def baked_download(request, uuid, kind):
    """The student's emblem with their credential baked in, as a download."""
    credential = own_credential_or_404(request, uuid)
    emblem, bake, content_type = BAKED[kind]
    document = credentials.for_credential(credential)
    response = HttpResponse(bake(emblem(credential.grant.award), document), content_type)
    response["Content-Disposition"] = f'attachment; filename="{download_name(credential, kind)}"'
    return response


@login_required
@require_GET
def credential_png(request, uuid):
    return baked_download(request, uuid, "png")


@login_required
@require_GET
def credential_svg(request, uuid):
    return baked_download(request, uuid, "svg")


def check_input(data, files):
    """(Result, None) for a valid VerifyForm input, or (None, form) with its errors."""
    form = VerifyForm(data, files)
    if not form.is_valid():
        return None, form
    if url := form.cleaned_data["url"]:
        credential = checking.credential_for_url(url)
        if credential is None:
            form.add_error("url", "No credential of this site has this address.")
            return None, form
        if credential.grant is None or credential.is_revoked:
            return checking.Result(checking.REVOKED), form
        return checking.check(credentials.for_credential(credential)), form
    try:
        document = baking.extract(form.cleaned_data["file"].read())
    except baking.NotABadge as error:
        form.add_error("file", str(error))
        return None, form
    return checking.check(document), form


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone may check a credential: valid, revoked or tampered, in plain words."""
    result, form = None, VerifyForm()
    if request.method == "POST" or request.GET.get("url"):
        result, form = check_input(request.POST or request.GET, request.FILES)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "badges/verify.html", {"form": form, "result": result}, status=status)


@csrf_exempt  # it changes nothing and reads no session: a pure check of what is sent
@require_http_methods(["GET", "POST"])
def verify_json(request):
    """The verify page as JSON: GET ?url=…, or POST a file (multipart "file") or the
    credential's JSON as the body."""
    if request.method == "POST" and request.content_type not in FORM_TYPES:
        try:
            result = checking.check(baking.parse(request.body))
        except baking.NotABadge as error:
            return JsonResponse({"status": "error", "errors": [str(error)]}, status=400)
        return JsonResponse(result.as_json())
    data = request.POST if request.method == "POST" else request.GET
    result, form = check_input(data, request.FILES)
    if result is None:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        return JsonResponse({"status": "error", "errors": errors}, status=400)
    return JsonResponse(result.as_json())
