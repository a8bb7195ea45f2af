"""A course's pages: reading one (from the page cache when it can), and the
instructors' list, editor (with preview) and delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.images import clean_image_upload
from blog import embeds, media, robots
from blog import services as blog_services
from blog.extensions import page_parts
from blog.forms import ScheduleForm
from blog.rendering import render_post_markdown
from blog.shortcuts import denied, readable_course_or_404
from config.hooks import COURSE_HEADER, PAGE_AFTER_BODY
from config.storage import StorageUnavailable
from coursepages import services
from coursepages.forms import PageForm, PagePreviewForm
from coursepages.models import Page
from coursepages.pages import PAGE
from pagecache.decorators import cached_page


@cached_page(PAGE)
def page_detail(request, course_slug, page_slug):
    page = PAGE.found(request, course_slug=course_slug, page_slug=page_slug)
    context = {
        "course": page.course,
        "page": page,
        **page_parts(request, page, PAGE_AFTER_BODY),
    }
    context["page_parts"].update(page_parts(request, page.course, COURSE_HEADER)["page_parts"])
    return robots.with_header(request, render(request, "coursepages/page_detail.html", context))


def pages_course_or_403(request, course_slug):
    """The course (404 if the user may not read it), if they write its pages; else 403."""
    course = readable_course_or_404(request, course_slug)
    if not course.can_write_pages(request.user):
        raise denied(course, "Only the course's instructors write its pages.")
    return course


def _page_of(course, page_slug):
    page = get_object_or_404(Page.objects.select_related("author"), course=course, slug=page_slug)
    page.course = course  # share the course and its role cache
    return page


@login_required
def page_list(request, course_slug):
    course = pages_course_or_403(request, course_slug)
    pages = list(Page.objects.for_course(course).in_menu_order())
    for page in pages:
        page.course = course  # a scheduled page's time is in the course's zone
    tops = [page for page in pages if page.parent_id is None]
    children = {}
    for page in pages:
        if page.parent_id is not None:
            children.setdefault(page.parent_id, []).append(page)
    rows = [(top, children.get(top.pk, [])) for top in tops]
    known = {top.pk for top in tops}
    rows += [(page, []) for page in pages if page.parent_id and page.parent_id not in known]
    return render(request, "coursepages/page_list.html", {"course": course, "rows": rows})


@login_required
def page_create(request, course_slug):
    course = pages_course_or_403(request, course_slug)
    return _edit_page(request, course, Page(course=course, author=request.user))


@login_required
def page_edit(request, course_slug, page_slug):
    course = pages_course_or_403(request, course_slug)
    return _edit_page(request, course, _page_of(course, page_slug))


SAVED = {
    "publish": "Published: the page is in the course menu.",
    "update": "Your changes are saved.",
    "unpublish": "The page is a draft again: only the course's instructors see it.",
    "draft": "Draft saved. Only the course's instructors can see it.",
}


def _saved_message(page, action):
    if action == "schedule" or (action == "update" and page.is_scheduled):
        return (
            f"Scheduled: it goes live {page.scheduled_text}. Until then only the course's "
            "instructors see it."
        )
    return SAVED[action]


def _edit_page(request, course, page):
    """Write or edit; "Preview" gives everything back as typed, with the body as it
    will be stored; "Schedule" publishes it later, at a time in the course's zone (the
    post editor's ScheduleForm and refusals: a bad, past or skipped time is a 400 with
    everything kept). Works without JavaScript."""
    action = request.POST.get("action", "draft")
    form = PageForm(request.POST or None, instance=page, course=course)
    schedule = ScheduleForm(request.POST or None, post=page, course=course)
    preview, problems = None, []
    if request.method == "POST":
        if action not in {*services.ACTIONS, "preview", "insert_image"}:
            raise PermissionDenied
        if action == "schedule" and page.is_published:
            raise PermissionDenied("A published page is already live.")
        if action in ("preview", "insert_image"):
            typed = _typed(request.POST)
            if action == "insert_image":
                typed["body"] = _with_inserted_image(request, course, typed["body"])
            form = PageForm(initial=typed, instance=page, course=course)
            if action == "preview":
                preview, problems = _preview(request, page, typed["body"])
        elif all([form.is_valid(), action != "schedule" or schedule.is_valid()]):
            values = form.service_values()
            if action == "schedule":
                values["publish_at"] = schedule.cleaned_data["publish_at"]
            problems = embeds.fetch_body_media(
                course=course, user=request.user, html=render_post_markdown(values["body"])
            )  # before the transaction: it may wait on other servers
            page = services.save_page(page=page, action=action, **values)
            for problem in problems:
                messages.warning(request, problem)
            messages.success(request, _saved_message(page, action))
            return redirect(page if page.is_published else _edit_url(page))
        else:
            messages.error(request, "The page was not saved yet: please check the fields below.")
    refused_time = action == "schedule" and bool(schedule.errors)
    context = {"course": course, "page": page, "form": form, "preview_html": preview,
               "preview_problems": problems,
               "schedule_form": schedule if refused_time else schedule.as_typed()}  # fmt: skip
    # A time that can't be used: 400, with everything as typed.
    status = 400 if refused_time else 200
    return render(request, "coursepages/page_form.html", context, status=status)


def _with_inserted_image(request, course, body):
    """ "Insert image" without JavaScript: the image stored as a post body's is (blog's
    pipeline: validated, re-encoded, renditions) and its Markdown added to the text."""
    try:
        clean = clean_image_upload(request.FILES["body_image"])
        image = blog_services.store_body_image(course=course, user=request.user, clean=clean)
    except KeyError:
        messages.error(request, "Choose an image to insert first.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except StorageUnavailable:
        messages.error(request, StorageUnavailable.message)
    else:
        name = image.body_rendition["name"]
        messages.success(request, "Image inserted at the end of your text.")
        return f"{body.rstrip()}\n\n![Describe this image]({media.stable_url(name)})\n"
    return body


def _typed(data):
    typed = {name: data.get(name, "") for name in PageForm.Meta.fields}
    typed["allows_comments"] = "allows_comments" in data  # a box left unticked sends nothing
    return typed


def _edit_url(page):
    return reverse("coursepages:page_edit", args=[page.course.slug, page.slug])


def _preview(request, page, body):
    """(the body as saving will store it, what went wrong fetching its media)."""
    problems = embeds.fetch_body_media(
        course=page.course, user=request.user, html=render_post_markdown(body)
    )
    return page.render_body(body), problems


@require_POST
@login_required
def page_preview(request, course_slug):
    """The editor's live preview (static/js/editor.js): the same renderer as saving."""
    course = pages_course_or_403(request, course_slug)
    form = PagePreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "The text is too long to preview."}, status=400)
    page = Page.objects.filter(course=course, slug=request.GET.get("page", "")).first()
    page = page or Page(course=course, author=request.user)
    page.course = course
    html, problems = _preview(request, page, form.cleaned_data["body"])
    return JsonResponse({"html": html, "problems": problems})


@login_required
def page_delete(request, course_slug, page_slug):
    course = pages_course_or_403(request, course_slug)
    page = _page_of(course, page_slug)
    if request.method == "POST":
        services.delete_page(page=page)
        messages.success(request, f"“{page.title}” is deleted.")
        return redirect("coursepages:page_list", course_slug=course.slug)
    # Its comments (comments' Comment.page) go with it: say how many.
    context = {"course": course, "page": page, "comment_count": page.comments.count()}
    return render(request, "coursepages/page_confirm_delete.html", context)
