"""The post editor (write, edit, preview, insert an image) and a post's delete and
unpublish."""

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.images import clean_image_upload
from blog import embeds, media, pending, services
from blog.forms import (
    PostForm,
    PreviewForm,
    ScheduleForm,
)
from blog.models import Post
from blog.rendering import render_post_markdown
from blog.shortcuts import (
    denied,
    readable_course_or_404,
    readable_post_or_404,
    writable_course_or_403,
)
from config.hooks import EDITOR_SECTIONS
from config.storage import StorageUnavailable

logger = logging.getLogger(__name__)


@login_required
def post_create(request, course_slug):
    course = writable_course_or_403(request, course_slug)
    return _edit_post(request, course, Post(course=course, author=request.user))


@login_required
def post_edit(request, course_slug, post_slug):
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_edit(request.user):
        raise denied(course, "Only the author and the course's instructors edit a post.")
    return _edit_post(request, course, post)


EDITOR_ACTIONS = {"draft", "publish", "schedule", "update", "unpublish", "preview", "insert_image"}


def _edit_post(request, course, post):
    """The editor, shared by "write" and "edit". Works without JavaScript."""
    action = request.POST.get("action", "draft")
    if request.method == "POST" and action in {"preview", "insert_image"}:
        return _editor_roundtrip(request, course, post, action)
    files, kept = _files_with_kept_image(request)
    form = PostForm(request.POST or None, files, instance=post, course=course)
    sections = editor_section_forms(request.POST or None, post=post, course=course)
    schedule = ScheduleForm(request.POST or None, post=post, course=course)
    if request.method == "POST":
        if action not in EDITOR_ACTIONS or (
            action == "unpublish" and not post.can_unpublish(request.user)
        ):
            raise PermissionDenied
        if action in {"publish", "schedule"} and not post.can_publish(request.user):
            raise denied(course)
        if action == "schedule" and post.is_published:
            raise PermissionDenied("A published post is already live.")
        valid = all(
            [
                form.is_valid(),
                *(section.form.is_valid() for section in sections),
                action != "schedule" or schedule.is_valid(),
            ]
        )
        if valid and action == "schedule":  # the editor sections' refuse() reads the time
            post.published_at = schedule.cleaned_data["publish_at"]
        refusal = valid and section_refusal(sections, post=post, action=action)
        if refusal:
            action = services.action_when_refused(action=action)
            if action is None:  # change nothing, say why
                refusal.form.add_error(None, refusal.message)
                valid = False
        if valid:
            values = form.service_values()
            try:
                if form.inserted_image:  # an image chosen for the text, sent with a save
                    image = services.store_body_image(
                        course=course, user=request.user, clean=form.inserted_image
                    )
                    markdown = _image_markdown(image)
                    values["body"] = values["body"].rstrip() + "\n\n" + markdown + "\n"
                problems = fetch_media(course, request.user, values["body"])
                if action == "schedule":
                    values["publish_at"] = schedule.cleaned_data["publish_at"]
                post = services.save_post(
                    post=post,
                    action=action,
                    sections=[(section.save, section.form.cleaned_data) for section in sections],
                    **values,
                )
            except StorageUnavailable as error:
                storage_down(request, error, doing="saving a post")
                context = {
                    "course": course,
                    "post": post,
                    "form": form,
                    "schedule_form": schedule.as_typed(),
                    "kept_image": kept,
                    "editor_sections": sections,
                }
                return StorageUnavailable.respond(render(request, "blog/post_form.html", context))
            if kept:
                pending.discard(kept)
            for problem in problems:
                messages.warning(request, problem)
            if refusal:
                messages.error(request, f"{refusal.message} Your post is saved as a draft.")
            else:
                notes = section_notes(sections, post=post, action=action)
                messages.success(request, " ".join([_saved_message(post, action), *notes]))
            return redirect(
                post
                if post.is_published
                else reverse("blog:post_edit", args=[course.slug, post.slug])
            )
        messages.error(
            request, "Your post was not saved yet: please check the fields marked below."
        )
        if form.featured_image and "image_upload" in request.FILES:  # valid: keep it
            kept = _keep_upload(request, request.FILES["image_upload"])
    refused_time = action == "schedule" and bool(schedule.errors)
    context = {
        "course": course,
        "post": post,
        "form": form,
        "schedule_form": schedule if refused_time else schedule.as_typed(),
        "kept_image": kept,
        "editor_sections": sections,
    }
    # A time that can't be used: 400, with everything as typed.
    return render(request, "blog/post_form.html", context, status=400 if refused_time else 200)


def _files_with_kept_image(request):
    """(files for PostForm, KeptImage or None): a featured image kept by an earlier
    round trip stands in for an upload when no new file was chosen."""
    if request.method != "POST":
        return None, None
    if "image_upload" in request.FILES:  # a new choice replaces the kept image
        return request.FILES, None
    kept = pending.read(request.POST.get("pending_image"), user=request.user)
    if kept is None:
        return request.FILES, None
    files = request.FILES.copy()
    files["image_upload"] = pending.open_file(kept)
    return files, kept


def _keep_featured_image(request):
    """On a round trip (preview, insert image): keep a newly chosen featured image, or
    the one kept before. A file that isn't a usable image is refused with its reason."""
    kept = pending.read(request.POST.get("pending_image"), user=request.user)
    upload = request.FILES.get("image_upload")
    if upload is None:
        return kept
    try:
        clean_image_upload(upload)
    except ValidationError as error:
        messages.error(request, "The featured image was not kept: " + " ".join(error.messages))
        return kept
    if kept:
        pending.discard(kept)  # replaced by the new choice
    return _keep_upload(request, upload)


def _keep_upload(request, upload):
    """pending.keep, or None (and the reason shown) when the media storage is down."""
    try:
        return pending.keep(upload, user=request.user)
    except StorageUnavailable as error:
        storage_down(request, error, doing="keeping an image")
        return None


@dataclass
class EditorSectionForm:
    """Another app's section of the editor (config.hooks.EDITOR_SECTIONS), with its form."""

    template: str
    form: object
    save: object
    refuse: object = None
    note: object = None


@dataclass
class Refusal:
    form: object
    message: str


def section_refusal(sections, *, post, action):
    """The first editor section's refusal to let the post go live now, or None."""
    for section in sections:
        if section.refuse is None:
            continue
        message = section.refuse(post=post, action=action, cleaned_data=section.form.cleaned_data)
        if message:
            return Refusal(section.form, message)
    return None


def section_notes(sections, *, post, action):
    """What the editor sections add to the message after a save (their ``note``)."""
    notes = (
        section.note(post=post, action=action, cleaned_data=section.form.cleaned_data)
        for section in sections
        if section.note is not None
    )
    return [note for note in notes if note]


def editor_section_forms(data, *, post, course, as_typed=False):
    """The registered editor sections' forms, bound to `data`; with `as_typed`, unbound
    forms showing what was typed (for a preview, which must not show errors)."""
    sections = []
    for section in EDITOR_SECTIONS:
        form = section.form_class(data, post=post, course=course, prefix=section.key)
        if as_typed:
            typed = {name: form[name].value() for name in form.fields}
            form = section.form_class(post=post, course=course, prefix=section.key, initial=typed)
        if form.fields:
            sections.append(
                EditorSectionForm(
                    section.template, form, section.save, section.refuse, section.note
                )
            )
    return sections


def _editor_roundtrip(request, course, post, action):
    """Preview or insert an image without saving: give back everything as typed."""
    data = request.POST.copy()
    store_failed = False
    if action == "insert_image":
        try:
            clean = clean_image_upload(request.FILES["body_image"])
        except KeyError:
            messages.error(request, "Choose an image to insert first.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            try:
                image = services.store_body_image(course=course, user=request.user, clean=clean)
            except StorageUnavailable as error:
                storage_down(request, error, doing="inserting an image")
                store_failed = True
            else:
                markdown = _image_markdown(image)
                data["body"] = data.get("body", "").rstrip() + "\n\n" + markdown + "\n"
                messages.success(request, "Image inserted at the end of your text.")
    initial = {name: data.get(name, "") for name in PostForm.Meta.fields}
    initial["topics"] = data.getlist("topics")
    initial["new_topics"] = data.get("new_topics", "")
    form = PostForm(initial=initial, instance=post, course=course)
    preview, problems = None, []
    if action == "preview":
        preview, problems = preview_html(request, post, data.get("body", ""))
    sections = editor_section_forms(data, post=post, course=course, as_typed=True)
    context = {
        "course": course,
        "post": post,
        "form": form,
        "schedule_form": ScheduleForm(data, post=post, course=course).as_typed(),
        "preview_html": preview,
        "preview_problems": problems,
        "kept_image": _keep_featured_image(request),
        "editor_sections": sections,
    }
    response = render(request, "blog/post_form.html", context)
    return StorageUnavailable.respond(response) if store_failed else response


def storage_down(request, error, *, doing, as_json=False):
    """The one answer when the media storage can't save (StorageUnavailable): logged,
    and the reader told why nothing was saved: a message for a page (which keeps what
    they typed), or with ``as_json`` the 503 answer for the editor's script."""
    logger.error("Media storage unavailable while %s: %s", doing, error)
    if as_json:
        return StorageUnavailable.respond(JsonResponse({"error": StorageUnavailable.message}))
    messages.error(request, StorageUnavailable.message)
    return None


def _image_markdown(image):
    rendition = image.body_rendition
    return f"![Describe this image]({media.stable_url(rendition['name'])})"


def _saved_message(post, action):
    return {
        "publish": "Published! Your post is live in the course.",
        "schedule": (
            f"Scheduled: it goes live {post.scheduled_text}. Until then only you and the "
            "course's instructors can see it."
        )
        if post.is_scheduled
        else "",
        "update": "Your changes are saved.",
        "unpublish": (
            "The post is unpublished: it is a draft again, "
            "visible only to its author and the instructors."
        ),
    }.get(action, "Draft saved. Only you and the course's instructors can see it.")


@require_POST
@login_required
def post_preview(request, course_slug):
    """Live preview for the editor: the same renderer as the stored HTML."""
    course = writable_course_or_403(request, course_slug)
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "The text is too long to preview."}, status=400)
    post = Post.objects.filter(course=course, slug=request.GET.get("post", "")).first()
    if post is None or not post.can_edit(request.user):
        post = Post(course=course, author=request.user)  # a new post: nothing to look up
    post.course = course
    html, problems = preview_html(request, post, form.cleaned_data["body"])
    return JsonResponse({"html": html, "problems": problems})


def preview_html(request, post, body):
    """(the body as it will be stored, what went wrong fetching its media): its embeds
    and images from the web fetched as saving fetches them, then rendered by the code
    that renders it on save (Post.render_body)."""
    problems = fetch_media(post.course, request.user, body)
    return post.render_body(body), problems


def fetch_media(course, user, body):
    """Fetch a body's embeds and images from the web that have no record yet (before
    any transaction: it waits on other servers); the problems, for the author."""
    return embeds.fetch_body_media(course=course, user=user, html=render_post_markdown(body))


@require_POST
@login_required
def body_image_upload(request, course_slug):
    """ "Insert image" with JavaScript: store it and answer with its Markdown."""
    course = writable_course_or_403(request, course_slug)
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": "Choose an image to insert."}, status=400)
    try:
        clean = clean_image_upload(upload)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    try:
        image = services.store_body_image(course=course, user=request.user, clean=clean)
    except StorageUnavailable as error:
        return storage_down(request, error, doing="inserting an image", as_json=True)
    return JsonResponse({"markdown": _image_markdown(image)}, status=201)


@login_required
def post_delete(request, course_slug, post_slug):
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_delete(request.user):
        raise denied(course, "Only the author can delete a post.")
    if request.method == "POST":
        services.delete_post(post=post)
        messages.success(request, f"“{post.title}” was deleted.")
        return redirect(course)
    return render(request, "blog/post_confirm_delete.html", {"course": course, "post": post})


@require_POST
@login_required
def post_unpublish(request, course_slug, post_slug):
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_unpublish(request.user):
        raise denied(course)
    services.unpublish_post(post=post)
    messages.success(request, _saved_message(post, "unpublish"))
    return redirect(course)
