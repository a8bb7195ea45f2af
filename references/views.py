from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from blog.models import Post
from blog.shortcuts import readable_course_or_404, readable_post_or_404
from references import formats, services
from references.bibliography import build_bibliography, build_checks
from references.forms import PasteForm, ReferenceForm
from references.models import Reference


def _editable_post_or_403(request, course_slug, post_slug):
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_edit(request.user):
        raise PermissionDenied("Only the post's author and the course's instructors edit it.")
    return post


def _list_url(post, anchor="references"):
    return reverse("references:reference_list", args=[post.course.slug, post.slug]) + f"#{anchor}"


@login_required
def reference_list(request, course_slug, post_slug):
    """A post's references: add one by hand or by pasting BibTeX/RIS; edit, move, remove."""
    post = _editable_post_or_403(request, course_slug, post_slug)
    form = ReferenceForm(post=post)
    paste_form = PasteForm(post=post)
    if request.method == "POST" and "paste" in request.POST:
        paste_form = PasteForm(request.POST, post=post)
        if paste_form.is_valid():
            added = services.add_references(post=post, entries=paste_form.entries)
            keys = ", ".join(f"[@{reference.key}]" for reference in added)
            messages.success(request, f"Added {len(added)} reference(s): cite them as {keys}.")
            return redirect(_list_url(post))
    elif request.method == "POST":
        form = ReferenceForm(request.POST, post=post)
        if form.is_valid():
            reference = services.save_reference(post=post, values=form.values())
            messages.success(request, f"Reference added: cite it as [@{reference.key}].")
            return redirect(_list_url(post, reference.get_anchor()))
    if request.method == "POST":
        messages.error(request, "The reference was not saved: please check the fields marked.")
    references = Reference.objects.for_post(post)
    return render(
        request,
        "references/reference_list.html",
        {"course": post.course, "post": post, "references": references, "form": form,
         "paste_form": paste_form},
    )  # fmt: skip


@login_required
def reference_edit(request, course_slug, post_slug, reference_id):
    post = _editable_post_or_403(request, course_slug, post_slug)
    reference = get_object_or_404(Reference, pk=reference_id, post=post)
    form = ReferenceForm(request.POST or None, instance=reference, post=post)
    if request.method == "POST" and form.is_valid():
        services.save_reference(post=post, values=form.values(), reference=reference)
        messages.success(request, "Reference saved.")
        return redirect(_list_url(post, reference.get_anchor()))
    return render(
        request,
        "references/reference_form.html",
        {"course": post.course, "post": post, "reference": reference, "form": form},
    )


@require_POST
@login_required
def reference_delete(request, course_slug, post_slug, reference_id):
    post = _editable_post_or_403(request, course_slug, post_slug)
    reference = get_object_or_404(Reference, pk=reference_id, post=post)
    services.delete_reference(reference=reference)
    messages.success(request, f"Removed [@{reference.key}]. Citations of it are now flagged.")
    return redirect(_list_url(post))


@require_POST
@login_required
def reference_move(request, course_slug, post_slug, reference_id):
    post = _editable_post_or_403(request, course_slug, post_slug)
    reference = get_object_or_404(Reference, pk=reference_id, post=post)
    services.move_reference(reference=reference, up=request.POST.get("direction") == "up")
    return redirect(_list_url(post, reference.get_anchor()))


EXPORTS = {
    "bib": (formats.to_bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (formats.to_ris, "application/x-research-info-systems; charset=utf-8"),
}


def reference_export(request, course_slug, post_slug, fmt):
    """A post's references as BibTeX or RIS, for anyone who may read the post."""
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if fmt not in EXPORTS:
        raise Http404("Export as .bib or .ris.")
    write, content_type = EXPORTS[fmt]
    response = HttpResponse(write(Reference.objects.for_post(post)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{post.slug}.{fmt}"'
    return response


def course_bibliography(request, course_slug):
    """Every reference cited in the course's published posts, with the posts citing it."""
    course = readable_course_or_404(request, course_slug)
    posts = Post.objects.visible_to(request.user).published().for_course(course)
    context = {"course": course, "entries": build_bibliography(posts)}
    if course.can_manage(request.user):
        context["checks"] = build_checks(course)
    return render(request, "references/course_bibliography.html", context)
