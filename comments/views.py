import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from accounts.social import provider_of
from blog import embeds
from blog.extensions import page_parts
from blog.likes import like_response, likes_summary, step_url
from blog.rendering import render_comment_markdown
from blog.shortcuts import denied, readable_course_or_404, readable_post_or_404
from blog.templatetags.blog_tags import reader_row
from comments import services
from comments.forms import CommentEditForm, CommentForm, ModerationForm, QueueReplyForm
from comments.models import Comment, target_field
from comments.threads import MY_PENDING, load_thread  # MY_PENDING: a guest's held comments
from config.hooks import MANAGE_TABS
from config.proxies import client_ip
from pagecache.skeleton import skeleton_of

GUEST_COOKIE = "comment_author"
GUEST_COOKIE_SALT = "comments.guest"
GUEST_COOKIE_AGE = 60 * 60 * 24 * 365


# --- Helpers shared by the views ---


def guest_details(request):
    """Name, email and website a guest asked us to remember (signed cookie), or {}."""
    try:
        raw = request.get_signed_cookie(GUEST_COOKIE, salt=GUEST_COOKIE_SALT)
        data = json.loads(raw)
    except (KeyError, signing.BadSignature, ValueError):
        return {}
    fields = ("guest_name", "guest_email", "guest_website")
    return {k: str(data[k]) for k in fields if k in data} | {"remember": True}


def comment_form(request, post, *, parent=None):
    guest = not request.user.is_authenticated
    initial = {"parent": parent.pk if parent else None} | (guest_details(request) if guest else {})
    return CommentForm(initial=initial, post=post, guest=guest)


def comment_post_url(target):
    """Where "Leave a reply" posts to: the post's, or the course page's (Comment.target)."""
    name = "comments:comment_create" if target_field(target) == "post" else "comments:page_comment"
    return reverse(name, args=[target.course.slug, target.slug])


def form_context(request, post, form):
    """Context for "Leave a reply" (on the post page and the reply page; `post` may be
    a course page)."""
    return {
        "comment_form": form,
        "comment_fields_html": blank_fields_html(form),
        "comment_form_is_guest": not request.user.is_authenticated,
        "signed_in_with": provider_of(request),
        "comment_hold_reason": post.course.comment_hold_reason(request.user),
        "comment_post_url": comment_post_url(post),
    }


def blank_fields_html(form):
    """The fields of a blank "Leave a reply" (unbound, nothing remembered, no parent),
    or None: crispy drew its seven fields on every drawn post page, a tenth of a drawn
    P500, yet they are the same for every reader of that form (its CSRF token is the
    enclosing form's). Drawn once per process, language and set of fields (guest or
    member, post or course page), as assignments' blank feedback form is. Its runs of
    blank lines and indentation (crispy's templates', half of its 5 KB) are drawn as one
    line break: whitespace all the same to the page (the fields hold no <pre>, and the
    empty <textarea>'s one line break stays), 2.5 KB less on every post page."""
    if form.is_bound or any(form.initial.values()):
        return None
    key = (get_language(), tuple(form.fields))
    html = BLANK_FIELDS.get(key)
    if html is None:
        guest = "guest_name" in form.fields
        context = {"comment_form": form, "comment_form_is_guest": guest}
        drawn = render_to_string("comments/_comment_fields.html", context)
        html = BLANK_FIELDS[key] = mark_safe(BLANK_LINES.sub("\n", drawn))  # noqa: S308 - drawn safe
    return html


BLANK_FIELDS = {}  # (language, field names): the blank fields' HTML (a few per process)
BLANK_LINES = re.compile(r"\s*\n\s*")


def remember_guest(request, response, form, comment):
    if not comment.is_guest:
        return
    if comment.status == Comment.Status.PENDING:
        request.session[MY_PENDING] = [*request.session.get(MY_PENDING, [])[-49:], comment.pk]
    if form.cleaned_data.get("remember"):
        details = {k: form.cleaned_data[k] for k in ("guest_name", "guest_email", "guest_website")}
        response.set_signed_cookie(
            GUEST_COOKIE,
            json.dumps(details),
            salt=GUEST_COOKIE_SALT,
            max_age=GUEST_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
        )
    elif GUEST_COOKIE in request.COOKIES:
        response.delete_cookie(GUEST_COOKIE, samesite="Lax")


def visible_comment_or_404(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("post__course", "page__course", "author"), pk=pk
    )
    if not comment.can_view(request.user, guest_comment_ids=request.session.get(MY_PENDING, [])):
        raise Http404("No such comment.")
    return comment


def safe_next(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


# --- Page parts registered with blog ---


def post_discussion_context(request, post):
    """The thread and "Leave a reply" under a post: a fixed number of queries."""
    thread = load_thread(
        post,
        viewer=request.user,
        guest_comment_ids=request.session.get(MY_PENDING, []),
        skeleton=skeleton_of(request),
    )
    return {
        "thread": thread,
        "can_comment": post.can_comment(request.user),
        "can_moderate_comments": post.course.can_moderate(request.user),
        **form_context(request, post, comment_form(request, post)),
    }


def page_discussion_context(request, page):
    """PAGE_AFTER_BODY's part (a course page's discussion): the post's thread and form
    while the page allows comments; switched off, the comments it has stay, read-only,
    and a page that never had any shows nothing (``has_comments``: its lookup's, else
    asked)."""
    has_comments = getattr(page, "has_comments", None)
    if has_comments is None:
        has_comments = Comment.objects.filter(page=page).exists()
    if not (page.allows_comments or has_comments):
        return None
    context = post_discussion_context(request, page)
    context["comments_closed"] = not page.allows_comments
    return context


def comment_who_context(request, post):
    """What ``{% per_viewer "comment_who" %}`` ("Signed in as ...") needs again."""
    return {"signed_in_with": provider_of(request)}


def comment_who_kept_by(request, post):
    """What "Signed in as ..." is drawn from: the reader's row, how they signed in and
    the page's address (``ViewerContext.kept_by``)."""
    return (reader_row(request), provider_of(request), request.get_full_path())


def course_moderation_context(request, course):
    if not course.can_moderate(request.user):
        return None
    pending = Comment.objects.for_course(course).filter(status=Comment.Status.PENDING)
    return {"pending_comment_count": pending.count()}


# --- Views ---


def resolve_embeds(post, body):
    """Look up the embeds of a comment before it is saved (outside its transaction): a
    link whose lookup fails still embeds, from its URL pattern (blog/embeds.py)."""
    html = render_comment_markdown(body)
    embeds.fetch_body_media(course=post.course, user=None, html=html)


@require_POST
def comment_create(request, course_slug, post_slug):
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_comment(request.user):
        raise denied(course, "You can't comment on this post.")
    return _create(request, course, post)


@require_POST
def page_comment(request, course_slug, page_slug):
    """A comment on a course page (coursepages' Page, reached through Comment.page so
    this app imports nothing of coursepages): 404 where the reader may not read it."""
    course = readable_course_or_404(request, course_slug)
    pages = Comment.page.field.related_model.objects.filter(course=course)
    page = get_object_or_404(pages, slug=page_slug)
    page.course = course  # share the course and its role cache
    if not page.can_read(request.user):
        raise Http404("No such page.")
    if not page.can_comment(request.user):
        raise denied(course, "You can't comment on this page.")
    return _create(request, course, page)


def _create(request, course, post):
    """Post the form's comment on `post` (or on a course page); 400 with what was typed."""
    form = CommentForm(request.POST, post=post, guest=not request.user.is_authenticated)
    if form.is_valid():
        resolve_embeds(post, form.cleaned_data["body"])
        try:
            comment = services.post_comment(
                **{target_field(post): post},
                user=request.user,
                ip=client_ip(request),
                **form.service_values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = redirect(comment.get_absolute_url())
            remember_guest(request, response, form, comment)
            return response
    parent = form.parent_comment
    context = {"post": post, "course": course, "parent": parent}
    if parent is not None:
        context["parent_name"] = parent.name_shown_to(request.user)
    return render(
        request,
        "comments/comment_form.html",
        context | form_context(request, post, form),
        status=400,
    )


def comment_reply(request, pk):
    """Reply without JavaScript: the comment and the form, on a page of their own."""
    parent = visible_comment_or_404(request, pk)
    if not parent.can_reply(request.user):
        raise denied(parent.course, "You can't reply to this comment.")
    post = parent.target
    form = comment_form(request, post, parent=parent)
    context = {
        "post": post,
        "course": post.course,
        "parent": parent,
        "parent_name": parent.name_shown_to(request.user),
    }
    return render(
        request, "comments/comment_form.html", context | form_context(request, post, form)
    )


@login_required
def comment_edit(request, pk):
    comment = visible_comment_or_404(request, pk)
    if not comment.can_edit(request.user):
        raise denied(comment.course, "You can only edit your own comments.")
    form = CommentEditForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        resolve_embeds(comment.target, form.cleaned_data["body"])
        services.edit_comment(comment=comment, body=form.cleaned_data["body"])
        messages.success(request, "Your comment is updated.")
        return redirect(comment.get_absolute_url())
    return render(request, "comments/comment_edit.html", {"comment": comment, "form": form})


@login_required
def comment_delete(request, pk):
    comment = visible_comment_or_404(request, pk)
    if not comment.can_delete(request.user):
        raise denied(comment.course, "You can only delete your own comments.")
    if request.method == "POST":
        services.withdraw_comment(comment=comment)
        messages.success(request, "Your comment is deleted.")
        return redirect(f"{comment.target.get_absolute_url()}#comments")
    return render(request, "comments/comment_confirm_delete.html", {"comment": comment})


@require_http_methods(["GET", "POST"])
def comment_like(request, pk):
    """Like (liked=1) or unlike (liked=0) a comment. Signed-in course members only.
    A GET is the Like link of a reader who may not like yet (comments.markup): on to
    the step they miss (signing in, then back to the comment), else to the comment."""
    comment = visible_comment_or_404(request, pk)
    if request.method == "GET":
        back = comment.get_absolute_url()
        step = comment.target.step_to_like(request.user)
        return redirect(step_url(step, back) if step else back)
    if not comment.can_like(request.user):
        raise denied(comment.course, "Only members of this course can like its comments.")
    liked = request.POST.get("liked", "1") != "0"
    count = services.like_comment(comment=comment, user=request.user, liked=liked)
    likers = None
    if comment.course.can_see_likers(request.user):
        likers = [like.user for like in comment.likes.select_related("user")]
    summary = likes_summary(count=count, liked=liked, likers=likers)
    return like_response(request, summary=summary, next_url=comment.get_absolute_url())


@require_POST
@login_required
def comment_moderate(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("post__course", "page__course"), pk=pk
    )
    if not comment.course.can_moderate(request.user):
        raise PermissionDenied("Only the course's instructors moderate its comments.")
    action = request.POST.get("action")
    if action not in services.MODERATION:
        return HttpResponseBadRequest("Unknown moderation action.")
    services.moderate_comments(comments=Comment.objects.filter(pk=pk), action=action)
    messages.success(request, MODERATED[action](1))
    return redirect(safe_next(request, comment.get_absolute_url()))


MODERATED = {
    "approve": lambda n: f"Approved {services.comments_count(n)}.",
    "spam": lambda n: f"Marked {services.comments_count(n)} as spam.",
    "remove": lambda n: f"Removed {services.comments_count(n)}.",
}


@login_required
def moderation_queue(request, course_slug):
    """Pending and spam comments of a course, oldest first: actions on each comment,
    a reply to it, and bulk actions on the selected ones."""
    course = readable_course_or_404(request, course_slug)
    if not course.can_moderate(request.user):
        raise PermissionDenied("Only the course's instructors moderate its comments.")
    queue = Comment.objects.for_course(course).awaiting_moderation()
    form = ModerationForm(request.POST or None, comments=queue)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        changed = services.moderate_comments(comments=form.cleaned_data["comments"], action=action)
        messages.success(request, MODERATED[action](changed))
        return redirect("comments:moderation_queue", course_slug=course.slug)
    return render_queue(request, course, queue=queue, form=form)


def render_queue(request, course, *, queue, form, reply_form=None, queue_url=None, status=200):
    """The queue's page; ``reply_form`` (bound, with errors) goes back to the comment
    it answered, with what was typed. Actions on a comment come back to ``queue_url``."""
    queue = queue.select_related("post__course", "page__course", "author")
    page = Paginator(queue.order_by("created"), 50)
    context = {
        "course": course,
        "form": form,
        "reply_form": reply_form,
        "page_obj": page.get_page(request.GET.get("page")),
        "queue_url": queue_url or request.get_full_path(),
        **page_parts(request, course, MANAGE_TABS),
    }
    return render(request, "comments/moderation_queue.html", context, status=status)


@require_POST
@login_required
def comment_queue_reply(request, pk):
    """Approve a held comment and reply to it, from the moderation queue."""
    comment = get_object_or_404(
        Comment.objects.exclude(status=Comment.Status.REMOVED).select_related(
            "post__course", "page__course"
        ),
        pk=pk,
    )
    course = comment.course
    if not course.can_moderate(request.user):
        raise PermissionDenied("Only the course's instructors moderate its comments.")
    queue_url = reverse("comments:moderation_queue", args=[course.slug])
    form = QueueReplyForm(request.POST, prefix=f"reply-{comment.pk}")
    if form.is_valid():
        try:
            services.reply_from_queue(
                comment=comment, user=request.user, body=form.cleaned_data["body"],
                ip=client_ip(request),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Approved {comment.name}’s comment and replied.")
            return redirect(safe_next(request, queue_url))
    queue = Comment.objects.for_course(course).awaiting_moderation()
    form.comment_id = comment.pk
    return render_queue(
        request, course, queue=queue, form=ModerationForm(comments=queue), reply_form=form,
        queue_url=safe_next(request, queue_url), status=400,
    )  # fmt: skip
